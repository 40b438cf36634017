package main

import (
	"fmt"
	"os"
)

func init() { register("lsp", "run the language server on stdio", runLsp) }

func runLsp(args []string) int {
	fmt.Fprintln(os.Stderr, "migsafe lsp: not implemented yet")
	return 2
}

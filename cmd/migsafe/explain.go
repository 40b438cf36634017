package main

import (
	"fmt"
	"os"
)

func init() { register("explain", "print a rule's documentation", runExplain) }

func runExplain(args []string) int {
	fmt.Fprintln(os.Stderr, "migsafe explain: not implemented yet")
	return 2
}

package main

import (
	"fmt"
	"os"
)

func init() { register("rules", "list every rule", runRules) }

func runRules(args []string) int {
	fmt.Fprintln(os.Stderr, "migsafe rules: not implemented yet")
	return 2
}

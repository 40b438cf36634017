package main

import (
	"fmt"
	"os"
)

func init() { register("fix", "rewrite findings into safe phased SQL", runFix) }

func runFix(args []string) int {
	fmt.Fprintln(os.Stderr, "migsafe fix: not implemented yet")
	return 2
}

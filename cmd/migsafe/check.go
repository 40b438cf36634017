package main

import (
	"fmt"
	"os"
)

func init() {
	register("check", "analyse migrations and print findings with a verdict per file", runCheck)
}

func runCheck(args []string) int {
	fmt.Fprintln(os.Stderr, "migsafe check: not implemented yet")
	return 2
}

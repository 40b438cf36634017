package main

import (
	"fmt"
	"os"
)

func init() { register("version", "print the version", runVersion) }

func runVersion(args []string) int {
	fmt.Fprintln(os.Stderr, "migsafe version: not implemented yet")
	return 2
}

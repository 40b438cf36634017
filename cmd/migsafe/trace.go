package main

import (
	"fmt"
	"os"
)

func init() {
	register("trace", "run a migration on a throwaway PostgreSQL and report the locks it took", runTrace)
}

func runTrace(args []string) int {
	fmt.Fprintln(os.Stderr, "migsafe trace: not implemented yet")
	return 2
}

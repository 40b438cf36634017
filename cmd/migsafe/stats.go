package main

import (
	"fmt"
	"os"
)

func init() { register("stats", "write table sizes from a database to the stats file", runStats) }

func runStats(args []string) int {
	fmt.Fprintln(os.Stderr, "migsafe stats: not implemented yet")
	return 2
}

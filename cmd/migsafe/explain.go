package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/migsafe/migsafe/engine/rules"
)

func init() { register("explain", "print a rule's documentation", runExplain) }

func runExplain(args []string) int {
	if len(args) != 1 {
		fmt.Fprintln(os.Stderr, "usage: migsafe explain RULE-ID (see `migsafe rules` for the list)")
		return 2
	}
	r := rules.ByID(args[0])
	if r == nil {
		fmt.Fprintf(os.Stderr, "migsafe explain: unknown rule %q (see `migsafe rules` for the list: %s)\n", args[0], strings.Join(rules.IDs(), ", "))
		return 2
	}
	optIn := ""
	if r.OptIn {
		optIn = ", opt-in (enable it in migsafe.toml [rules] enable)"
	}
	fmt.Printf("# %s\n\n%s\n\nCategory: %s. Status: %s. Severity: %s%s.\n\n%s\n", r.ID, r.Summary, r.Category, r.Status, r.Severity, optIn, strings.TrimSpace(r.Doc))
	return 0
}

package main

import (
	"fmt"
	"os"
	"text/tabwriter"

	"github.com/migsafe/migsafe/engine"
	"github.com/migsafe/migsafe/engine/rules"
)

//go:generate go run ../../scripts/gen-rules-doc -o ../../docs/rules.md -readme ../../README.md

func init() { register("rules", "list every rule", runRules) }

func runRules(args []string) int {
	const usage = "usage: migsafe rules\n\nLists every rule, then the problems reported for a file (syntax errors, bad ignore\ncomments, failed rollback round trips), which `migsafe explain` documents too."
	if code, done := simpleHelp(args, "rules", usage); done {
		return code
	}
	if len(args) > 0 {
		fmt.Fprintln(os.Stderr, usage)
		return 2
	}
	tw := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "RULE\tCATEGORY\tSTATUS\tOPT-IN\tSUMMARY")
	for _, r := range rules.All {
		optIn := ""
		if r.OptIn {
			optIn = "yes"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.ID, r.Category, r.Status, optIn, r.Summary)
	}
	for _, k := range engine.ProblemKindKeys() {
		p := engine.ProblemKinds[k]
		fmt.Fprintf(tw, "%s\t%s\t%s\t\t%s\n", p.ID, "(file problem)", p.Status, p.Summary)
	}
	if err := tw.Flush(); err != nil {
		fmt.Fprintf(os.Stderr, "migsafe rules: %v\n", err)
		return 2
	}
	return 0
}

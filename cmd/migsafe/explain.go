package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/migsafe/migsafe/engine"
	"github.com/migsafe/migsafe/engine/rules"
)

func init() { register("explain", "print a rule's documentation", runExplain) }

const explainUsage = "usage: migsafe explain RULE-ID (see `migsafe rules` for the list)"

func runExplain(args []string) int {
	if code, done := simpleHelp(args, "explain", explainUsage); done {
		return code
	}
	if len(args) != 1 {
		fmt.Fprintln(os.Stderr, explainUsage)
		return 2
	}
	// Rule IDs are lower case; one typed from a heading or in capitals
	// ("Adding-Required-Column") names the same rule.
	id := strings.ToLower(args[0])
	if k, ok := problemKind(id); ok {
		return printed(fmt.Printf("# %s\n\n%s\n\nStatus: %s. Reported for the file rather than by a rule; it cannot be disabled or ignored.\n\n%s\n", k.ID, k.Summary, k.Status, strings.TrimSpace(k.Doc)))
	}
	r := rules.ByID(id)
	if r == nil {
		fmt.Fprintf(os.Stderr, "migsafe explain: unknown rule %q (see `migsafe rules` for the list: %s)\n", args[0], strings.Join(append(rules.IDs(), problemIDs()...), ", "))
		return 2
	}
	optIn := ""
	if r.OptIn {
		optIn = ", opt-in (enable it in migsafe.toml [rules] enable)"
	}
	return printed(fmt.Printf("# %s\n\n%s\n\nCategory: %s. Status: %s. Severity: %s%s.\n\n%s\n", r.ID, r.Summary, r.Category, r.Status, r.Severity, optIn, strings.TrimSpace(r.Doc)))
}

// printed is the exit code after printing the documentation: 2 when it could not be
// written (it was 0 with nothing written, as `explain x > /dev/full` showed).
func printed(_ int, err error) int {
	if err != nil {
		fmt.Fprintf(os.Stderr, "migsafe explain: writing output: %v\n", err)
		return 2
	}
	return 0
}

func problemKind(id string) (engine.ProblemKind, bool) {
	for _, k := range engine.ProblemKinds {
		if k.ID == id {
			return k, true
		}
	}
	return engine.ProblemKind{}, false
}

func problemIDs() []string {
	keys := engine.ProblemKindKeys()
	ids := make([]string, len(keys))
	for i, k := range keys {
		ids[i] = engine.ProblemKinds[k].ID
	}
	return ids
}

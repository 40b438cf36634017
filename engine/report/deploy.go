package report

import (
	"fmt"
	"strings"

	"github.com/migsafe/migsafe/engine"
	"github.com/migsafe/migsafe/engine/locks"
)

// Deploy is a file's deploy order: when it runs relative to the application deploy,
// and the lines of the statements that need each side of it.
type Deploy struct {
	Order       string `json:"order"` // any, before-code, after-code, no-safe-order
	Before      []int  `json:"before"`
	After       []int  `json:"after"`
	NoSafeOrder []int  `json:"noSafeOrder"`
}

func buildDeploy(res *engine.Result) *Deploy {
	plan := res.Deploy()
	return &Deploy{Order: plan.Order().String(), Before: res.Lines(plan.Before), After: res.Lines(plan.After), NoSafeOrder: res.Lines(plan.NoSafeOrder)}
}

// Sentence says the order in words with the lines: "after the code deploy: deploy the
// application code that no longer needs what it removes first (lines 1, 3)".
func (d *Deploy) Sentence() string {
	if d == nil || d.Order == locks.AnyOrder.String() {
		return ""
	}
	list := func(ls []int) string {
		s := make([]string, len(ls))
		for i, l := range ls {
			s[i] = fmt.Sprint(l)
		}
		return strings.Join(s, ", ")
	}
	switch {
	case len(d.NoSafeOrder) > 0:
		return fmt.Sprintf("no order is safe for line %s: the running code breaks after it and the new code before it; use expand/contract phases", list(d.NoSafeOrder))
	case len(d.Before) > 0 && len(d.After) > 0:
		return fmt.Sprintf("split the migration: line %s must run before the code deploy, line %s after it", list(d.Before), list(d.After))
	case len(d.After) > 0:
		return "after the code deploy: " + locks.AfterCode.Describe()
	}
	return "before the code deploy: " + locks.BeforeCode.Describe()
}

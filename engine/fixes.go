package engine

import (
	"fmt"
	"os"
	"sync"

	"github.com/migsafe/migsafe/codeactions"
)

// fixes are a finding's fixes, built once, on first use.
type fixes struct {
	build func() []codeactions.Fix
	once  *sync.Once
	list  []codeactions.Fix
	// failed records the internal-error problem of a fix builder that panicked.
	failed func(Problem)
}

// Fixes are the fixes the rule attached to the finding, the preferred one first,
// built on the first call. A fix is a convenience: one that panics is dropped rather
// than taking the language server or the report down, and becomes an internal-error
// problem of the result at the statement, so `migsafe fix` does not pretend there was
// nothing to fix.
func (f *Finding) Fixes() []codeactions.Fix {
	if f.fixes.build == nil || f.fixes.once == nil {
		return nil
	}
	f.fixes.once.Do(func() {
		defer func() {
			if v := recover(); v != nil {
				at := f.Start
				if f.Stmt != nil {
					at = f.Stmt.Start
				}
				p := PanicProblem(v, "the fix for "+f.Rule.ID, at)
				fmt.Fprintf(os.Stderr, "migsafe: %s\n", p.Message)
				if f.fixes.failed != nil {
					f.fixes.failed(p)
				}
				f.fixes.list = nil
			}
		}()
		f.fixes.list = f.fixes.build()
	})
	return f.fixes.list
}

// WithFixes gives a finding made outside Analyze (a test's) its fixes.
func (f *Finding) WithFixes(build func() []codeactions.Fix) *Finding {
	f.fixes = fixes{build: build, once: new(sync.Once)}
	return f
}

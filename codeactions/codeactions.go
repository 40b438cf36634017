// Package codeactions rewrites findings into safe SQL: in-place edits and phased
// follow-up migrations. The CLI (`migsafe fix`, the fixes listed by `check`) and the
// language server both take their fixes from here.
package codeactions

import "github.com/migsafe/migsafe/engine"

// Fixes returns the fixes for one finding, the preferred one first.
func Fixes(res *engine.Result, fd *engine.Finding) []engine.Fix {
	return nil
}

// Attach fills in Fixes on every finding of a result.
func Attach(res *engine.Result) {
	for _, fd := range res.Findings {
		fd.Fixes = Fixes(res, fd)
	}
}

// Package codeactions rewrites findings into safe SQL: in-place edits and phased
// follow-up migrations. The CLI (`migsafe fix`, the fixes listed by `check`) and the
// language server both take their fixes from here.
//
// Fixes read the statement's syntax tree and scanner tokens, never the SQL text with
// patterns: edits are placed at token offsets so the author's formatting and comments
// survive, and new SQL is built from names and expressions taken from the tree.
package codeactions

import (
	"fmt"
	"os"

	"github.com/migsafe/migsafe/engine"
	"github.com/migsafe/migsafe/engine/config"
	"github.com/migsafe/migsafe/engine/migration"
)

// builders maps a rule ID to the fixes for its findings. A rule without an entry has
// no automatic fix.
var builders = map[string]func(site) []engine.Fix{
	"require-concurrent-index-creation": concurrentlyFixes,
	"require-concurrent-index-deletion": concurrentlyFixes,
	"require-concurrent-reindex":        concurrentlyFixes,
	"require-concurrent-refresh":        concurrentlyFixes,
	"concurrently-in-transaction":       inTransactionFixes,
	"require-lock-timeout":              lockTimeoutFixes,
	"adding-required-column":            requiredColumnFixes,
	"setting-not-null":                  setNotNullFixes,
	"constraint-missing-not-valid":      notValidFixes,
	"adding-foreign-key-constraint":     notValidFixes,
	"adding-unique-constraint":          uniqueFixes,
	"adding-field-with-rewrite":         volatileDefaultFixes,
	"renaming-column":                   renameColumnFixes,
	"unbatched-backfill":                backfillFixes,
}

// Fixes returns the fixes for one finding, the preferred one first; at most one is
// preferred. A fix builder that panics gives no fixes (and a line on stderr, the
// language server's log).
func Fixes(res *engine.Result, fd *engine.Finding) []engine.Fix {
	fixes, problem := build(res, fd, false)
	if problem != nil {
		fmt.Fprintf(os.Stderr, "migsafe: %s: %s\n", res.File.Path, problem.Message)
	}
	return fixes
}

// build runs the finding's fix builder; a panic in it becomes an internal-error
// problem at the statement: a fix is a convenience, and a bug in one must not take
// the language server down, but `migsafe fix` must not pretend there was nothing to fix.
func build(res *engine.Result, fd *engine.Finding, titles bool) (fixes []engine.Fix, problem *engine.Problem) {
	if res == nil || res.File == nil || fd == nil || fd.Rule == nil {
		return nil, nil
	}
	builder := builders[fd.Rule.ID]
	st := fd.Stmt
	if st == nil && fd.Rule.ID == "require-lock-timeout" {
		st = firstLocking(res)
	}
	// Fixes rewrite top-level statements into phases and new migrations, which do not
	// fit inside a DO body: a statement of one has none.
	if builder == nil || st == nil || st.Node == nil || st.Parent != nil {
		return nil, nil
	}
	if res.Config == nil {
		res.Config = config.Default()
	}
	defer func() {
		if v := recover(); v != nil {
			p := engine.PanicProblem(v, "the fix for "+fd.Rule.ID, st.Start)
			fixes, problem = nil, &p
		}
	}()
	return builder(site{res: res, st: st, text: res.File.Source.Text, titles: titles}), nil
}

// firstLocking is the first statement of the up section that takes a lock, where a
// file-level lock_timeout finding wants the SET.
func firstLocking(res *engine.Result) *migration.Statement {
	for _, sr := range res.Statements {
		if sr.Stmt.Section == migration.Up && sr.Stmt.Node != nil && len(sr.Locks.Locks) > 0 {
			return sr.Stmt
		}
	}
	return nil
}

// Attach fills in Fixes on every finding of a result; a fix builder that panics is
// recorded as a problem of the result.
func Attach(res *engine.Result) {
	for _, fd := range res.Findings {
		fixes, problem := build(res, fd, false)
		fd.Fixes = fixes
		if problem != nil {
			res.AddProblem(*problem)
		}
	}
}

// AttachTitles fills in each finding's fixes with their titles and kinds only, no
// edits and no new files: what `check` prints. Building the edits costs more than the
// analysis (NOT NULL fixes analyse the follow-up migrations they write), and holding
// them for every finding of a large file costs more memory than the file.
func AttachTitles(res *engine.Result) {
	for _, fd := range res.Findings {
		fixes, problem := build(res, fd, true)
		for i := range fixes {
			fixes[i].Edits, fixes[i].NewFiles = nil, nil
		}
		fd.Fixes = fixes
		if problem != nil {
			res.AddProblem(*problem)
		}
	}
}

package rules

import "github.com/migsafe/migsafe/codeactions"

// FixBuilder builds a finding's fixes; with titlesOnly the driver reads only their
// titles, kinds and preference (a report listing them), and a builder may leave out
// what is costly to build: edits, files and phases (see codeactions.Site.TitlesOnly).
// A non-nil at is the statement the finding was made on as an edited version of the
// file has it (the same text, moved): an analysis that keeps the finding builds its
// fixes there (see engine's incremental analysis).
type FixBuilder func(at *codeactions.Site, titlesOnly bool) []codeactions.Fix

// Fixes attaches fixes to a Diagnostic, as go/analysis's SuggestedFixes: build runs
// only when a driver asks (a code action, `migsafe fix`, a report listing them), on
// the statement as the Pass sees it now. build must read only its Site: the Pass moves
// on to other rules and statements before it runs.
func (p *Pass) Fixes(build func(codeactions.Site) []codeactions.Fix) FixBuilder {
	// The phased rewrites (new migrations, CONCURRENTLY outside the transaction) do not
	// fit inside a DO body: a statement of one gets none.
	if p.Stmt == nil || p.Stmt.Parent != nil {
		return nil
	}
	// An ORM statement's SQL is not the file's text: its fix is the front end's rewrite.
	if p.Stmt.Mapped() {
		if p.Rule == nil {
			return nil
		}
		id, st := p.Rule.ID, p.Stmt
		return func(*codeactions.Site, bool) []codeactions.Fix { return dslFixes(id, st) }
	}
	if build == nil {
		return nil
	}
	site := p.Site()
	return func(at *codeactions.Site, titlesOnly bool) []codeactions.Fix {
		s := site
		if at != nil {
			s = *at
		}
		s.TitlesOnly = titlesOnly
		return build(s)
	}
}

// Site is the statement under check as a fix sees it.
func (p *Pass) Site() codeactions.Site {
	return codeactions.Site{File: p.File, Stmt: p.Stmt, Config: p.Config, Locks: p.Locks}
}

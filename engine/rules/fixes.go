package rules

import "github.com/migsafe/migsafe/codeactions"

// FixBuilder builds a finding's fixes at site, the statement the finding is on as
// the driver has it (codeactions.Site.TitlesOnly: the driver reads only their titles,
// kinds and preference, and a builder may leave out what is costly to build). The
// engine keeps the site beside the builder, so a finding kept for an edited version
// of the file (the statement moved) builds its fixes there and holds nothing of the
// version it was made in.
type FixBuilder func(site codeactions.Site) []codeactions.Fix

// Fixes attaches fixes to a Diagnostic, as go/analysis's SuggestedFixes: build runs
// only when a driver asks (a code action, `migsafe fix`, a report listing them), on
// the statement as the Pass sees it now (Site). build must read only its Site: the
// Pass moves on to other rules and statements before it runs.
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
		return func(codeactions.Site) []codeactions.Fix { return dslFixes(id, st) }
	}
	return build
}

// Site is the statement under check as a fix sees it.
func (p *Pass) Site() codeactions.Site {
	return codeactions.Site{File: p.File, Stmt: p.Stmt, Config: p.Config, Locks: p.Locks}
}

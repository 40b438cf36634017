package rules

import (
	"fmt"
)

// UnsupportedOnVersion finds statements the configured PostgreSQL version does not have.
var UnsupportedOnVersion = &Rule{
	ID:       "unsupported-on-version",
	Category: LockContention,
	Status:   Block,
	Severity: Safety,
	Summary:  "a statement form the configured PostgreSQL version does not support: the migration fails",
	Doc: `BLOCK: the server rejects the statement with a syntax error and the deploy fails
half-way (or, in a transaction, entirely). The knowledge base marks which forms need
which version: ` + "`REINDEX ... CONCURRENTLY`" + ` needs PostgreSQL 12, ` + "`DETACH PARTITION ... CONCURRENTLY`" + `
needs 14, a ` + "`COMMIT`" + ` or ` + "`ROLLBACK`" + ` in a DO block's body needs 11.

**Fix.** Set ` + "`pg_version`" + ` in ` + "`migsafe.toml`" + ` to the version production runs, and if it
really is older, use that version's pattern: before 12, ` + "`CREATE INDEX CONCURRENTLY`" + ` a
replacement, ` + "`DROP INDEX CONCURRENTLY`" + ` the old index and rename; before 14, a plain ` + "`DETACH PARTITION`" + `
behind a short ` + "`lock_timeout`" + `.`,
	Check: func(p *Pass) {
		for _, part := range p.Locks.Parts {
			if !part.Facts.Unsupported {
				continue
			}
			start, end := concurrentlySpan(p)
			if _, _, ok := p.Keyword("CONCURRENTLY"); !ok && p.Stmt.Body == nil {
				start, end = p.Lead(2)
			}
			p.Report(Diagnostic{Start: start, End: end,
				Message: fmt.Sprintf("%s does not exist on PostgreSQL %d (pg_version): %s; the statement fails", part.Shape.Title, p.PG(), part.Facts.Note),
				Help:    "Set pg_version to the version production runs; if it is this old, use that version's pattern (see migsafe explain unsupported-on-version)."})
		}
	},
}

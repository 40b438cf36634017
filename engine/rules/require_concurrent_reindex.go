package rules

import (
	"fmt"

	"github.com/migsafe/migsafe/engine/locks"
)

// RequireConcurrentReindex finds REINDEX INDEX / TABLE without CONCURRENTLY.
var RequireConcurrentReindex = &Rule{
	ID:       "require-concurrent-reindex",
	Category: LockContention,
	Status:   Block,
	Severity: Downtime,
	Summary:  "REINDEX without CONCURRENTLY blocks writes (and queries using the index) for the whole rebuild",
	Doc: `BLOCK: a plain REINDEX rebuilds the index from a full read of the table while
holding SHARE on the table, so every INSERT, UPDATE and DELETE waits for the whole
rebuild, and ACCESS EXCLUSIVE on the index itself, so queries planned with it wait too
— the same outage as a non-concurrent CREATE INDEX.

**Safe pattern.** From PostgreSQL 12, ` + "`REINDEX INDEX CONCURRENTLY`" + ` (or ` + "`TABLE CONCURRENTLY`" + `)
builds the new index next to the old one under SHARE UPDATE EXCLUSIVE and swaps them; it
cannot run inside a transaction block. Before 12 there is no concurrent REINDEX: build a
replacement with ` + "`CREATE INDEX CONCURRENTLY`" + `, drop the old one with ` + "`DROP INDEX CONCURRENTLY`" + `, and
rename. (` + "`REINDEX ... CONCURRENTLY`" + ` on a server before 12 is reported by
` + "`unsupported-on-version`" + `.)

**Passes when** the table (for REINDEX TABLE) or the index (for REINDEX INDEX) was
created earlier in the same migration, or the table's configured size is below
` + "`small_table_rows`" + `.

` + "```sql" + `
-- bad
REINDEX INDEX users_email_idx;
-- good (PostgreSQL 12+)
REINDEX INDEX CONCURRENTLY users_email_idx;
` + "```",
	Check: func(p *Pass) {
		for _, part := range p.Locks.Parts {
			if part.Shape != locks.ReindexIndex && part.Shape != locks.ReindexTable {
				continue
			}
			table := part.Table
			if part.Shape == locks.ReindexIndex {
				if t, _, ok := p.State.IndexTable(part.Other); ok {
					table = t
				}
			}
			if table != "" && !p.LockDurationMatters(table) {
				continue
			}
			l := PartLock(part)
			l.Relation = table
			msg := fmt.Sprintf("REINDEX without CONCURRENTLY %s", Impact(l))
			if locks.IndexesBlockMore(part.Facts) {
				// The index locks decide what waits: every query on the table opens its
				// indexes while planning.
				im := part.Facts.Indexes
				msg = fmt.Sprintf("REINDEX without CONCURRENTLY takes %s on %s and %s on every index of it; queries plan with all of a table's indexes, so it %s",
					l.Mode, table, im, im.Blocks().Describe())
			}
			if il, ok := OtherLock(part); ok {
				msg += fmt.Sprintf(", and %s", Impact(il))
			}
			msg += ", until every index is rebuilt"
			if table != "" {
				if d := p.Duration(table, part.Facts.Work); d != "" {
					msg += " (" + d + ")"
				}
			}
			help := "Use REINDEX ... CONCURRENTLY, outside a transaction block (a migration of its own)."
			if p.PG() < 12 {
				msg += fmt.Sprintf("; REINDEX CONCURRENTLY does not exist before PostgreSQL 12 (pg_version = %d)", p.PG())
				help = "Before PostgreSQL 12: CREATE INDEX CONCURRENTLY a replacement, DROP INDEX CONCURRENTLY the old index, and rename the new one."
			}
			start, end := p.Lead(2)
			p.Report(Diagnostic{Fixes: p.Fixes(concurrentlyFixes), Start: start, End: end, Lock: &l, Message: msg, Help: help})
		}
	},
}

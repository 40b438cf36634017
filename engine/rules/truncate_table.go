package rules

import (
	"fmt"

	pg "github.com/pganalyze/pg_query_go/v5"

	"github.com/migsafe/migsafe/engine/locks"
)

// TruncateTable finds TRUNCATE of a table the migration did not create.
var TruncateTable = &Rule{
	ID:       "truncate-table",
	Category: DataLoss,
	Status:   Flag,
	Severity: DataLossSev,
	Summary:  "TRUNCATE deletes every row of the table; with CASCADE, of every table that references it",
	Doc: `FLAG: TRUNCATE empties the table at once and no down migration can refill it. Tables
that hold derived or disposable data (caches, queues, staging tables being rebuilt) are
truncated on purpose, so a plain TRUNCATE is a FLAG the author verifies. ` + "`TRUNCATE ... CASCADE`" + `
is a BLOCK: it also empties every table with a foreign key to this one, and theirs in
turn — tables the statement does not name and the reviewer does not see.

**Lock.** ACCESS EXCLUSIVE on each truncated table: reads and writes wait, briefly.

**Safe pattern.** Name every table to empty explicitly, without CASCADE; for a table
that is not disposable, archive its rows first or delete in batches with a WHERE.

**Passes when** the table is new: created earlier in the same migration, or by a
migration that is not deployed yet.

` + "```sql" + `
TRUNCATE search_cache;           -- FLAG: verify the data is disposable
TRUNCATE customers CASCADE;      -- BLOCK: also empties orders, invoices, ...
` + "```",
	Check: func(p *Pass) {
		ts := p.Stmt.Node.GetTruncateStmt()
		if ts == nil {
			return
		}
		cascade := ts.Behavior == pg.DropBehavior_DROP_CASCADE
		for _, part := range p.Locks.Parts {
			if part.Shape != locks.Truncate || p.IsNew(part.Table) {
				continue
			}
			l := PartLock(part)
			start, end := p.Stmt.Start, stmtEnd(p)
			if cascade {
				if s, e, ok := p.Keyword("CASCADE"); ok {
					start, end = s, e
				}
				p.Report(Diagnostic{Start: start, End: end, Lock: &l, Status: StatusPtr(Block),
					Message: fmt.Sprintf("TRUNCATE %s CASCADE deletes every row of %s and of every table that references it by foreign key, which the statement does not name (it %s)", part.Table, part.Table, Impact(l)),
					Help:    "Name each table to empty explicitly, without CASCADE, after checking its data is disposable."})
				continue
			}
			p.Report(Diagnostic{Start: start, End: end, Lock: &l,
				Message: Verify(fmt.Sprintf("the data in %s is disposable: TRUNCATE deletes every row and no down migration restores them (it %s)", part.Table, Impact(l))),
				Help:    "Archive the rows first if they may be needed, or DELETE in bounded batches with a WHERE."})
		}
	},
}

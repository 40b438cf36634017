package rules

import (
	"fmt"

	"github.com/migsafe/migsafe/engine/sqlast"
)

// DeleteWithoutWhere finds DELETE with no WHERE on a table the migration did not create.
var DeleteWithoutWhere = &Rule{
	ID:       "delete-without-where",
	Category: DataLoss,
	Status:   Block,
	Severity: DataLossSev,
	Summary:  "DELETE without WHERE deletes every row of the table",
	Doc: `BLOCK: every row is deleted, in one transaction that locks all of them, bloats the
table with dead tuples and floods the WAL. Either it is a mistake (a WHERE went
missing), or it means "empty the table" — and then it is the slowest way to do that.
No table size makes this safe: the rows are gone either way.

**Safe pattern.** Add the WHERE that selects the rows to delete, and delete in bounded
batches (see ` + "`unbatched-backfill`" + `). To empty a disposable table, ` + "`TRUNCATE`" + ` it
explicitly so the intent is visible.

**Passes when** the table is new: created earlier in the same migration, or by a
migration that is not deployed yet.

` + "```sql" + `
-- bad
DELETE FROM sessions;
-- good
DELETE FROM sessions WHERE id IN (SELECT id FROM sessions WHERE expires_at < now() LIMIT 5000);
` + "```",
	Check: func(p *Pass) {
		ds := p.Stmt.Node.GetDeleteStmt()
		if ds == nil || ds.WhereClause != nil {
			return
		}
		table := sqlast.RangeVarName(ds.Relation)
		if p.IsNew(table) {
			return
		}
		msg := fmt.Sprintf("DELETE without WHERE deletes every row of %s", table)
		l := p.LockOn(table)
		if l != nil {
			msg += fmt.Sprintf(" in one transaction: the statement %s, but it row-locks every row until it commits", Impact(*l))
		}
		p.Report(Diagnostic{Fixes: p.Fixes(batchJobFixes), Start: p.Stmt.Start, End: stmtEnd(p), Lock: l, Message: msg,
			Help: "Add a WHERE selecting the rows to delete and delete in bounded batches; to empty a disposable table, TRUNCATE it explicitly."})
	},
}

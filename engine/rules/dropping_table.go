package rules

import (
	"fmt"

	pg "github.com/pganalyze/pg_query_go/v5"

	"github.com/migsafe/migsafe/engine/sqlast"
)

// DroppingTable finds DROP TABLE of a table the migration did not create.
var DroppingTable = &Rule{
	ID:       "dropping-table",
	Category: DataLoss,
	Status:   Block,
	Severity: DataLossSev,
	Summary:  "DROP TABLE destroys the table and its data",
	Doc: `BLOCK: the table's rows are gone the moment the migration commits, and no down
migration can bring them back — only a restore from backup, which loses every write
since. A table drop deserves a deliberate, reviewed decision, recorded with a
` + "`-- migsafe:ignore dropping-table -- reason`" + ` comment once made.

**Lock.** ACCESS EXCLUSIVE on the table, and on every table that references it by
foreign key (their constraints are dropped with it).

**Safe pattern.** Contract in steps: first deploy code that no longer reads or writes
the table (see ` + "`removing-used-object`" + `); rename it or revoke access and wait a release
to prove nothing uses it; take a backup or copy (` + "`CREATE TABLE ... AS`" + `, an export)
if the data may be needed; then drop it in a migration of its own.

**Passes when** the table is new: created earlier in the same migration, or by a
migration that is not deployed yet; or when ` + "`DROP TABLE IF EXISTS`" + ` names a table the
history already dropped (the statement does nothing).

` + "```sql" + `
DROP TABLE legacy_sessions;  -- BLOCK unless suppressed with a reason
` + "```",
	Check: func(p *Pass) {
		ds := p.Stmt.Node.GetDropStmt()
		if ds == nil || ds.RemoveType != pg.ObjectType_OBJECT_TABLE {
			return
		}
		for _, obj := range ds.Objects {
			table := sqlast.ObjectName(obj)
			if p.IsNew(table) || ds.MissingOk && p.Absent(table) {
				continue
			}
			msg := fmt.Sprintf("DROP TABLE %s deletes the table and all its rows; no down migration can restore them", table)
			l := p.LockOn(table)
			if l != nil {
				msg += fmt.Sprintf(" (it %s)", Impact(*l))
			}
			if ds.Behavior == pg.DropBehavior_DROP_CASCADE {
				msg += "; CASCADE also drops the views and foreign keys that depend on it"
			}
			p.Report(Diagnostic{Fixes: p.Fixes(dropContractFixes), Start: p.Stmt.Start, End: stmtEnd(p), Lock: l, Message: msg,
				Help: "Stop all reads and writes in a release first, keep a copy of the data if it may be needed, then drop it in a migration of its own (and suppress this with a reason)."})
		}
	},
}

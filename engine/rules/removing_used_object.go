package rules

import (
	"fmt"

	pg "github.com/pganalyze/pg_query_go/v5"

	"github.com/migsafe/migsafe/engine/locks"
	"github.com/migsafe/migsafe/engine/sqlast"
)

// RemovingUsedObject finds DROP COLUMN and DROP TABLE of existing objects that the
// running application may still use.
var RemovingUsedObject = &Rule{
	ID:       "removing-used-object",
	Category: BackwardCompatibility,
	Status:   Flag,
	Severity: Downtime,
	Summary:  "DROP COLUMN / DROP TABLE of an object the deployed application may still read or write",
	Doc: `FLAG: migsafe cannot see the application, so it cannot know whether the release
running during the deploy still uses the column or table. If it does, each of its
queries naming it fails from the moment the migration commits — and an ORM that lists
every column in its SELECTs and INSERTs fails on a column it no longer even uses in
code. The author must verify that the code deployed *before* this migration has stopped
using the object.

**Safe pattern: contract last.** Release 1 stops reading and writing the object (for
ORMs, also mark the column ignored so it leaves generated SQL); release 2 — after
release 1 is fully deployed — drops it. The data-loss side of a drop is reported
separately by ` + "`dropping-column`" + ` and ` + "`dropping-table`" + `.

**Passes when** the table was created earlier in the same migration.

` + "```sql" + `
ALTER TABLE users DROP COLUMN nickname;  -- verify: no deployed code reads or writes users.nickname
` + "```",
	Check: func(p *Pass) {
		if ds := p.Stmt.Node.GetDropStmt(); ds != nil && ds.RemoveType == pg.ObjectType_OBJECT_TABLE {
			for _, obj := range ds.Objects {
				table := sqlast.ObjectName(obj)
				if p.IsNew(table) {
					continue
				}
				p.Report(Diagnostic{Start: p.Stmt.Start, End: stmtEnd(p),
					Message: Verify(fmt.Sprintf("the application deployed before this migration no longer reads or writes %s: its queries fail once the table is gone", table)),
					Help:    "Remove every use of the table in a release that is fully deployed before this migration runs."})
			}
			return
		}
		for _, part := range p.Locks.Parts {
			if part.Shape != locks.DropColumn || p.IsNew(part.Table) || part.Cmd.Subtype != pg.AlterTableType_AT_DropColumn {
				continue
			}
			start, end := dropColumnSpan(p, part.Cmd.Name)
			p.Report(Diagnostic{Start: start, End: end,
				Message: Verify(fmt.Sprintf("the application deployed before this migration no longer reads or writes %s.%s (ORMs that list every column count): its queries fail once the column is gone", part.Table, part.Cmd.Name)),
				Help:    "Stop using the column (and drop it from ORM mappings) in a release that is fully deployed before this migration runs."})
		}
	},
}

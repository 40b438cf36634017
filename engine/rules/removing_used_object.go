package rules

import (
	"fmt"

	pg "github.com/pganalyze/pg_query_go/v5"

	"github.com/migsafe/migsafe/engine/coderefs"
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

**With the workspace's code** (` + "`migsafe check`" + ` in a repository, the language server in a
workspace): BLOCK when the code at HEAD — deployed with this migration — still uses the
object in SQL (a .sql query file, a string literal that parses) or an ORM mapping (a
Rails model, a Django field, a Prisma field, a TypeORM column, a Go struct tag): it
fails as soon as the migration commits. With ` + "`--base REF`" + ` the previous release's code
is checked too: a use there means the migration is not safe while that release still
runs (FLAG, naming the uses); no use in either is a PASS. Identifiers that only look
like the column are listed as lower-confidence uses to verify.

**Passes when** the table (or the column) is new: created earlier in the same
migration, or by a migration that is not deployed yet, so no deployed code uses it;
or when ` + "`IF EXISTS`" + ` names what the history already dropped (the statement does nothing).

` + "```sql" + `
ALTER TABLE users DROP COLUMN nickname;  -- verify: no deployed code reads or writes users.nickname
` + "```",
	Check: func(p *Pass) {
		if ds := p.Stmt.Node.GetDropStmt(); ds != nil && ds.RemoveType == pg.ObjectType_OBJECT_TABLE {
			for _, obj := range ds.Objects {
				table := sqlast.ObjectName(obj)
				if p.IsNew(table) || ds.MissingOk && p.Absent(table) {
					continue
				}
				d := Diagnostic{Fixes: p.Fixes(dropContractFixes), Start: p.Stmt.Start, End: stmtEnd(p),
					Message: Verify(fmt.Sprintf("the application deployed before this migration no longer reads or writes %s: its queries fail once the table is gone", table)),
					Help:    "Remove every use of the table in a release that is fully deployed before this migration runs."}
				p.Report(withCode(p, d, coderefs.Object{Table: table}, "table "+table, "is dropped"))
			}
			return
		}
		for _, part := range p.Locks.Parts {
			if part.Shape != locks.DropColumn || p.IsNew(part.Table) || part.Cmd.Subtype != pg.AlterTableType_AT_DropColumn ||
				p.NewColumn(part.Table, part.Cmd.Name) || part.Cmd.MissingOk && p.ColumnAbsent(part.Table, part.Cmd.Name) {
				continue
			}
			start, end := dropColumnSpan(p, part.Cmd.Name)
			d := Diagnostic{Fixes: p.Fixes(dropContractFixes), Start: start, End: end,
				Message: Verify(fmt.Sprintf("the application deployed before this migration no longer reads or writes %s.%s (ORMs that list every column count): its queries fail once the column is gone", part.Table, part.Cmd.Name)),
				Help:    "Stop using the column (and drop it from ORM mappings) in a release that is fully deployed before this migration runs."}
			p.Report(withCode(p, d, coderefs.Object{Table: part.Table, Column: part.Cmd.Name}, part.Table+"."+part.Cmd.Name, "is dropped"))
		}
	},
}

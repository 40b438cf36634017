package rules

import (
	"fmt"

	pg "github.com/pganalyze/pg_query_go/v5"

	"github.com/migsafe/migsafe/engine/sqlast"
)

// DroppingSchema finds DROP SCHEMA of a schema the migration did not create.
var DroppingSchema = &Rule{
	ID:       "dropping-schema",
	Category: DataLoss,
	Status:   Block,
	Severity: DataLossSev,
	Summary:  "DROP SCHEMA destroys the schema and, with CASCADE, every table in it",
	Doc: `BLOCK: with ` + "`CASCADE`" + ` it drops every table, view, function and sequence in the
schema along with their data; without it the statement fails as soon as the schema is
not empty, which on a live system it usually is. Either way it is not something to ship
without a deliberate decision, recorded with a suppression comment and its reason.

**Lock.** ACCESS EXCLUSIVE on every table it drops.

**Safe pattern.** Drop the objects one by one in reviewed migrations, after the code
that used them is gone; drop the empty schema last, without CASCADE.

**Passes when** the schema is new: created earlier in the same migration, or by a
migration that is not deployed yet.

` + "```sql" + `
DROP SCHEMA reporting CASCADE;
` + "```",
	Check: func(p *Pass) {
		ds := p.Stmt.Node.GetDropStmt()
		if ds == nil || ds.RemoveType != pg.ObjectType_OBJECT_SCHEMA {
			return
		}
		for _, obj := range ds.Objects {
			name := sqlast.ObjectName(obj)
			if p.State.CreatedSchema(name) {
				continue
			}
			msg := fmt.Sprintf("DROP SCHEMA %s", name)
			if ds.Behavior == pg.DropBehavior_DROP_CASCADE {
				msg += " CASCADE deletes every table in it and all their rows; nothing short of a backup restores them"
			} else {
				msg += " fails if anything is left in it, and deletes the schema's permissions and defaults if not"
			}
			p.Report(Diagnostic{Start: p.Stmt.Start, End: stmtEnd(p), Message: msg,
				Help: "Drop the schema's objects in reviewed migrations first, then the empty schema without CASCADE."})
		}
	},
}

package rules

import (
	"fmt"

	"github.com/migsafe/migsafe/engine/coderefs"
	"github.com/migsafe/migsafe/engine/locks"
	"github.com/migsafe/migsafe/engine/sqlast"
)

// RenamingTable finds ALTER TABLE ... RENAME TO on an existing table.
var RenamingTable = &Rule{
	ID:       "renaming-table",
	Category: BackwardCompatibility,
	Status:   Block,
	Severity: Downtime,
	Summary:  "RENAME TO breaks application code still using the old table name",
	Doc: `BLOCK: the new name takes effect for every client at commit. During a rolling
deploy the previous release keeps querying the old name and every one of those queries
fails with "relation does not exist" until the last old instance is gone; reverting the
release breaks the same way.

**Lock.** ACCESS EXCLUSIVE on the table, briefly.

**Safe pattern: expand/contract.** Rename the table and leave a view with the old name
behind (a simple view over one table is updatable, so old code keeps reading and
writing); deploy code that uses the new name; drop the view in a later release. Or
create the new table, write to both, backfill, switch reads, drop the old one.

**With the workspace's code** the message names every use of the old name at HEAD
and, with ` + "`--base REF`" + `, in the previous release, as for ` + "`renaming-column`" + `.

**Passes when** the table is new: created earlier in the same migration, or by a
migration that is not deployed yet.

` + "```sql" + `
-- bad
ALTER TABLE customer RENAME TO customers;
-- good
ALTER TABLE customer RENAME TO customers;
CREATE VIEW customer AS SELECT * FROM customers;  -- dropped in a later release
` + "```",
	Check: func(p *Pass) {
		rs := p.Stmt.Node.GetRenameStmt()
		if rs == nil || len(p.Locks.Parts) == 0 || p.Locks.Parts[0].Shape != locks.RenameTable {
			return
		}
		part := p.Locks.Parts[0]
		if p.IsNew(part.Table) || viewKeepsName(p, part.Table) {
			return
		}
		start, end := p.FromKeyword("RENAME")
		l := PartLock(part)
		d := Diagnostic{Fixes: p.Fixes(renameTableFixes), Start: start, End: end, Lock: &l,
			Message: fmt.Sprintf("renaming %s to %s breaks every query of the running release that uses the old name, until it is replaced (it %s)", part.Table, rs.Newname, Impact(l)),
			Help:    "Leave a view with the old name (CREATE VIEW old AS SELECT * FROM new) until no deployed code uses it, or expand/contract."}
		p.Report(withRenameCode(p, d, coderefs.Object{Table: part.Table}, "table "+part.Table))
	},
}

// viewKeepsName reports a CREATE VIEW with the old name later in the file: the
// expand/contract bridge for a rename.
func viewKeepsName(p *Pass, old string) bool {
	for _, st := range p.Later() {
		if vs := st.Node.GetViewStmt(); vs != nil && p.SameTable(sqlast.RangeVarName(vs.View), old) && st.Section == p.Stmt.Section {
			return true
		}
	}
	return false
}

package rules

import (
	"fmt"

	"github.com/migsafe/migsafe/engine/coderefs"
	"github.com/migsafe/migsafe/engine/locks"
)

// RenamingColumn finds ALTER TABLE ... RENAME COLUMN on an existing table.
var RenamingColumn = &Rule{
	ID:       "renaming-column",
	Category: BackwardCompatibility,
	Status:   Block,
	Severity: Downtime,
	Summary:  "RENAME COLUMN breaks application code still using the old name",
	Doc: `BLOCK: a rename is instant for the database and immediate for every client. During a
rolling deploy the previous release keeps running against the migrated schema, and
every query it sends that names the old column fails — an error spike until the last
old instance is gone, and a failed rollback if the new release must be reverted. The
statement is instant, so it is easy to think it safe; it is not.

**Lock.** ACCESS EXCLUSIVE on the table, briefly.

**Safe pattern: expand/contract.** Add the new column; write to both (trigger or
application); backfill the new column in batches; switch reads to it; stop writing the
old one; drop it in a later release. For a pure rename with no data change, a view or
a generated column can bridge the gap as well.

**With the workspace's code** the message names every use of the old name at HEAD
(which breaks at once) and, with ` + "`--base REF`" + `, in the previous release; when the
previous release was checked and neither uses the old name, the finding drops to FLAG
(identifiers that only look like it) or PASS.

**Passes when** the table or the column is new: created earlier in the same migration,
or by a migration that is not deployed yet (no code uses it yet).

` + "```sql" + `
-- bad
ALTER TABLE users RENAME COLUMN name TO full_name;
-- good: release 1 adds full_name and writes both; release 2 reads full_name; release 3 drops name
ALTER TABLE users ADD COLUMN full_name text;
` + "```",
	Check: func(p *Pass) {
		rs := p.Stmt.Node.GetRenameStmt()
		if rs == nil || len(p.Locks.Parts) == 0 || p.Locks.Parts[0].Shape != locks.RenameColumn {
			return
		}
		part := p.Locks.Parts[0]
		if p.IsNew(part.Table) || p.NewColumn(part.Table, rs.Subname) {
			return
		}
		start, end := p.FromKeyword("RENAME")
		l := PartLock(part)
		d := Diagnostic{Fixes: p.Fixes(renameColumnFixes), Start: start, End: end, Lock: &l,
			Message: fmt.Sprintf("renaming %s.%s to %s breaks every query of the running release that uses the old name, until it is replaced (it %s)", part.Table, rs.Subname, rs.Newname, Impact(l)),
			Help:    "Expand/contract: add the new column, write both and backfill, move reads, then drop the old column in a later release."}
		p.Report(withRenameCode(p, d, coderefs.Object{Table: part.Table, Column: rs.Subname}, part.Table+"."+rs.Subname))
	},
}

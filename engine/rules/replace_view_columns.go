package rules

import (
	"fmt"

	"github.com/migsafe/migsafe/engine/project"
	"github.com/migsafe/migsafe/engine/sqlast"
)

// ReplaceViewColumns finds a CREATE OR REPLACE VIEW that PostgreSQL refuses because it
// changes the view's existing output columns.
var ReplaceViewColumns = &Rule{
	ID:       "replace-view-columns",
	Category: BackwardCompatibility,
	Status:   Block,
	Severity: Downtime,
	Summary:  "CREATE OR REPLACE VIEW that drops, renames, reorders or retypes a column fails",
	Doc: `BLOCK: ` + "`CREATE OR REPLACE VIEW`" + ` may only add columns at the end of the view.
A query with fewer columns fails with "cannot drop columns from view"; one whose
column at a place has another name (a rename, or columns in another order) fails with
"cannot change name of view column"; another type (a cast, a changed varchar length)
with "cannot change data type of view column". The migration stops at that statement,
on production, after the statements before it ran.

**Safe pattern.** Keep the existing columns, in their order and types, and add new
ones at the end; rename a column with ` + "`ALTER VIEW ... RENAME COLUMN`" + `. To drop or
retype one, drop the view and create it again in the same transaction (the code that
reads the dropped column must stop first).

**Passes when** the view's columns are unknown to the catalog replayed from the
migrations (made before them, with * over a join, or with a column it cannot name,
such as an expression PostgreSQL calls "?column?"), or a type is not known on both
sides.

` + "```sql" + `
CREATE TABLE orders (id bigint PRIMARY KEY, total numeric, status text);
CREATE VIEW order_totals AS SELECT id, total, status FROM orders;
CREATE OR REPLACE VIEW order_totals AS SELECT id, total FROM orders;          -- BLOCK: drops status
CREATE OR REPLACE VIEW order_totals AS SELECT id, status, total FROM orders;  -- BLOCK: reorders
-- good
CREATE OR REPLACE VIEW order_totals AS SELECT id, total, status, now() AS at FROM orders;
` + "```",
	Check: func(p *Pass) {
		vs := p.Stmt.Node.GetViewStmt()
		if vs == nil || !vs.Replace {
			return
		}
		old, ok := p.State.Catalog.Relation(project.RangeVarName(vs.View))
		if !ok || old.Kind != project.View || !old.Known() || old.Outputs == nil {
			return
		}
		outs := p.State.Catalog.ViewOutputs(vs)
		if outs == nil {
			return
		}
		msg := ""
		if len(outs) < len(old.Outputs) {
			msg = fmt.Sprintf("replacing view %s drops its column %s (\"cannot drop columns from view\")",
				old.Name.Name, old.Outputs[len(outs)].Name)
		}
		for i := 0; msg == "" && i < len(old.Outputs); i++ {
			was, is := old.Outputs[i], outs[i]
			switch {
			case was.Name != is.Name:
				msg = fmt.Sprintf("replacing view %s puts column %s where %s was (\"cannot change name of view column %q to %q\")",
					old.Name.Name, is.Name, was.Name, was.Name, is.Name)
			case was.Type != nil && is.Type != nil && sqlast.TypeText(was.Type) != sqlast.TypeText(is.Type):
				msg = fmt.Sprintf("replacing view %s changes the type of its column %s from %s to %s (\"cannot change data type of view column\")",
					old.Name.Name, was.Name, sqlast.TypeText(was.Type), sqlast.TypeText(is.Type))
			}
		}
		if msg == "" {
			return
		}
		p.Report(Diagnostic{Start: p.Stmt.Start, End: stmtEnd(p), Message: msg,
			Help: "Keep the view's columns in their order and types and add new ones at the end (ALTER VIEW ... RENAME COLUMN renames one); to drop or retype a column, drop the view and create it again in the same transaction."})
	},
}

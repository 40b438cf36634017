package rules

import (
	"fmt"
	"slices"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v5"

	"github.com/migsafe/migsafe/engine/project"
	"github.com/migsafe/migsafe/engine/sqlast"
)

// DependentView finds a drop or a type change that PostgreSQL refuses because a view
// or materialized view reads what it changes.
var DependentView = &Rule{
	ID:       "dependent-view",
	Category: BackwardCompatibility,
	Status:   Block,
	Severity: Downtime,
	Summary:  "DROP COLUMN, ALTER COLUMN ... TYPE or DROP TABLE under a view that reads it fails",
	Doc: `BLOCK: PostgreSQL records which columns a view's query reads, and refuses to take
them from under it: ` + "`DROP COLUMN`" + ` and ` + "`DROP TABLE`" + ` without CASCADE fail with "cannot
drop ... because other objects depend on it", and ` + "`ALTER COLUMN ... TYPE`" + ` fails with
"cannot alter type of a column used by a view or rule" (CASCADE is no way out there).
The migration stops at that statement, on production, after the statements before
it ran (or rolled back with them).

**Safe pattern.** Drop the view (or materialized view) first and create it again
after the change, in the same transaction, so readers never see it missing; or change
the view's query to stop reading the column in an earlier migration. CASCADE drops the
view with the column, and the queries of the running code that read the view fail.

**Passes when** the view does not read the column (the catalog replayed from the
migrations knows each view's query), the drop has CASCADE, or the view was dropped or
replaced by one that does not read it earlier.

` + "```sql" + `
CREATE TABLE orders (id bigint PRIMARY KEY, total numeric, status text);
CREATE VIEW order_totals AS SELECT id, total, status FROM orders;
ALTER TABLE orders ALTER COLUMN total TYPE bigint;  -- BLOCK: order_totals reads it
ALTER TABLE orders DROP COLUMN status;              -- BLOCK
-- good
BEGIN;
DROP VIEW order_totals;
ALTER TABLE orders ALTER COLUMN total TYPE bigint;
CREATE VIEW order_totals AS SELECT id, total FROM orders;
COMMIT;
` + "```",
	Check: func(p *Pass) {
		n := p.Stmt.Node
		if at := n.GetAlterTableStmt(); at != nil && at.Objtype == pg.ObjectType_OBJECT_TABLE {
			table := sqlast.RangeVarName(at.Relation)
			for _, c := range at.Cmds {
				cmd := c.GetAlterTableCmd()
				if cmd == nil {
					continue
				}
				switch {
				case cmd.Subtype == pg.AlterTableType_AT_DropColumn && cmd.Behavior != pg.DropBehavior_DROP_CASCADE:
					if views := viewsReading(p, table, cmd.Name); len(views) > 0 {
						start, end := dropColumnSpan(p, cmd.Name)
						p.Report(Diagnostic{Start: start, End: end, Message: fmt.Sprintf(
							"dropping %s.%s fails: %s it (\"cannot drop column %s of table %s because other objects depend on it\")",
							table, cmd.Name, readers(views), cmd.Name, table),
							Help: "Drop the view first and create it again without the column, in the same transaction; CASCADE would drop the view the running code reads."})
					}
				case cmd.Subtype == pg.AlterTableType_AT_AlterColumnType:
					if views := viewsReading(p, table, cmd.Name); len(views) > 0 {
						start, end, ok := p.Keyword("TYPE")
						if !ok {
							start, end = p.Whole()
						}
						p.Report(Diagnostic{Start: start, End: end, Message: fmt.Sprintf(
							"changing the type of %s.%s fails: %s it (\"cannot alter type of a column used by a view or rule\")",
							table, cmd.Name, readers(views)),
							Help: "Drop the view first, change the type, and create the view again, in the same transaction."})
					}
				}
			}
			return
		}
		if ds := n.GetDropStmt(); ds != nil && ds.RemoveType == pg.ObjectType_OBJECT_TABLE && ds.Behavior != pg.DropBehavior_DROP_CASCADE {
			for _, obj := range ds.Objects {
				table := sqlast.ObjectName(obj)
				if views := viewsReading(p, table, ""); len(views) > 0 {
					p.Report(Diagnostic{Start: p.Stmt.Start, End: stmtEnd(p), Message: fmt.Sprintf(
						"DROP TABLE %s fails: %s it (\"cannot drop table %s because other objects depend on it\")",
						table, readers(views), table),
						Help: "Drop the views that read the table first (and stop the code reading them), then the table."})
				}
			}
		}
	},
}

// viewsReading lists the views and materialized views whose query reads the table's
// column (any column when column is ""), as far as the catalog knows for certain. A
// view over SELECT * reads the columns the table had when the view was made: not one
// added after it.
func viewsReading(p *Pass, table, column string) []*project.Relation {
	t, ok := p.State.Table(table)
	if !ok {
		return nil
	}
	var col *project.Column
	if column != "" {
		if col, ok = t.Column(column); !ok {
			return nil
		}
	}
	var out []*project.Relation
	p.State.Catalog.RangeRelations(func(v *project.Relation) bool {
		if v.Kind != project.View && v.Kind != project.MatView || !v.Known() || !slices.Contains(v.Uses, t.ID) {
			return true
		}
		switch {
		case col == nil, slices.Contains(v.UsesColumns, column):
		case slices.Contains(v.UsesColumns, "*") && col.Origin.Seq != 0 && col.Origin.Seq < v.Origin.Seq:
		default:
			return true
		}
		// A view that also reads another table with a column of that name is not
		// told apart from one that reads this table's: the catalog keeps names only.
		if col != nil && !slices.Contains(v.UsesColumns, "*") && readsOtherWith(p, v, t.ID, column) {
			return true
		}
		out = append(out, v)
		return true
	})
	// In the order Relations gives, so the message names them the same way each run.
	slices.SortFunc(out, func(a, b *project.Relation) int {
		if c := strings.Compare(a.Name.Schema, b.Name.Schema); c != 0 {
			return c
		}
		return strings.Compare(a.Name.Name, b.Name.Name)
	})
	return out
}

// readsOtherWith reports a view that reads another relation with a column of that name.
func readsOtherWith(p *Pass, v *project.Relation, table project.ID, column string) bool {
	for _, id := range v.Uses {
		if id == table {
			continue
		}
		o, ok := p.State.Catalog.Rel(id)
		if !ok || !o.Known() {
			return true // unknown columns: it may
		}
		if _, has := o.Column(column); has {
			return true
		}
	}
	return false
}

// readers names the views: "view v reads", "views v, w read".
func readers(views []*project.Relation) string {
	var names []string
	kind := views[0].Kind.String()
	for _, v := range views {
		names = append(names, v.Name.Name)
		if v.Kind.String() != kind {
			kind = "view"
		}
	}
	if len(views) == 1 {
		return kind + " " + names[0] + " reads"
	}
	return kind + "s " + strings.Join(names, ", ") + " read"
}

package rules

import (
	"fmt"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v5"

	"github.com/migsafe/migsafe/engine/sqlast"
)

// ForeignKeyCascade finds ON DELETE CASCADE / SET NULL / SET DEFAULT.
var ForeignKeyCascade = &Rule{
	ID:       "foreign-key-cascade",
	Category: ForeignKeys,
	Status:   Flag,
	Severity: DataLossSev,
	Summary:  "ON DELETE CASCADE / SET NULL / SET DEFAULT changes rows of another table on delete",
	Doc: `FLAG: a cascading action is often exactly what is wanted, so this is not a BLOCK,
but it turns one DELETE into changes nobody wrote down: deleting a parent silently
deletes (or nulls out) every child, possibly thousands of rows, and cascades onward
through their own foreign keys. Each cascaded row is locked and written in the same
transaction, and without an index on the referencing columns each parent delete scans
the child table. The author must verify the cascade is intended.

**Check.** That losing the child rows with the parent is the intended lifecycle
(audit rows, payments and history usually are not); that the referencing columns are
indexed; and that application code does not expect to see children of deleted parents.
` + "`ON DELETE RESTRICT`" + ` (or the default ` + "`NO ACTION`" + `) makes deletes of referenced rows
fail loudly instead.

` + "```sql" + `
CREATE TABLE invoices (id bigint PRIMARY KEY,
  customer_id bigint REFERENCES customers (id) ON DELETE CASCADE);  -- deleting a customer deletes their invoices
` + "```",
	Check: func(p *Pass) {
		for _, fk := range foreignKeys(p.Stmt.Node) {
			var words []string
			switch fk.con.FkDelAction {
			case "c":
				words = []string{"ON", "DELETE", "CASCADE"}
			case "n":
				words = []string{"ON", "DELETE", "SET", "NULL"}
			case "d":
				words = []string{"ON", "DELETE", "SET", "DEFAULT"}
			default:
				continue
			}
			cs, ce := p.ClauseSpan(fk.con.Location)
			start, end, ok := p.KeywordIn(cs, ce, words...)
			if !ok {
				start, end = cs, ce
			}
			ref := sqlast.RangeVarName(fk.con.Pktable)
			effect := fmt.Sprintf("deleting a row of %s %s", ref, cascadeEffect(fk))
			p.Report(Diagnostic{Start: start, End: end, Message: Verify("the cascade is intended: " + effect),
				Help: "Keep it if losing or detaching the child rows with the parent is the intended lifecycle (and index the referencing columns); otherwise use ON DELETE RESTRICT or NO ACTION."})
		}
	},
}

// cascadeEffect says what a parent delete does to the referencing rows.
func cascadeEffect(fk fkRef) string {
	cols := strings.Join(fk.cols, ", ")
	switch fk.con.FkDelAction {
	case "c":
		return fmt.Sprintf("also deletes every row of %s that references it", fk.table)
	case "n":
		return fmt.Sprintf("sets %s (%s) to NULL in every row that references it", fk.table, cols)
	}
	return fmt.Sprintf("sets %s (%s) to its default in every row that references it", fk.table, cols)
}

// fkRef is one foreign key constraint written in a statement, with its table and
// referencing columns.
type fkRef struct {
	con   *pg.Constraint
	table string
	cols  []string
	// created is true when the statement is the table's CREATE TABLE.
	created bool
}

// foreignKeys lists the foreign keys a CREATE TABLE or ALTER TABLE writes.
func foreignKeys(n *pg.Node) []fkRef {
	var out []fkRef
	colFKs := func(table string, cd *pg.ColumnDef, created bool) {
		for _, c := range cd.Constraints {
			if con := c.GetConstraint(); con != nil && con.Contype == pg.ConstrType_CONSTR_FOREIGN {
				out = append(out, fkRef{con: con, table: table, cols: []string{cd.Colname}, created: created})
			}
		}
	}
	tableFK := func(table string, con *pg.Constraint, created bool) {
		if con != nil && con.Contype == pg.ConstrType_CONSTR_FOREIGN {
			out = append(out, fkRef{con: con, table: table, cols: nodeStrings(con.FkAttrs), created: created})
		}
	}
	if cs := n.GetCreateStmt(); cs != nil {
		table := sqlast.RangeVarName(cs.Relation)
		for _, elt := range cs.TableElts {
			if cd := elt.GetColumnDef(); cd != nil {
				colFKs(table, cd, true)
			}
			tableFK(table, elt.GetConstraint(), true)
		}
	}
	if at := n.GetAlterTableStmt(); at != nil {
		table := sqlast.RangeVarName(at.Relation)
		for _, c := range at.Cmds {
			cmd := c.GetAlterTableCmd()
			switch cmd.GetSubtype() {
			case pg.AlterTableType_AT_AddColumn:
				if cd := cmd.Def.GetColumnDef(); cd != nil {
					colFKs(table, cd, false)
				}
			case pg.AlterTableType_AT_AddConstraint:
				tableFK(table, cmd.Def.GetConstraint(), false)
			}
		}
	}
	return out
}

package rules

import (
	"fmt"

	pg "github.com/pganalyze/pg_query_go/v5"

	"github.com/migsafe/migsafe/engine/locks"
	"github.com/migsafe/migsafe/engine/sqlast"
)

// PreferTextField finds varchar(n) columns.
var PreferTextField = &Rule{
	ID:       "prefer-text-field",
	Category: LockContention,
	Status:   Flag,
	Severity: Safety,
	Summary:  "varchar(n) puts a limit in the type that takes an exclusive lock to change (opt-in)",
	OptIn:    true,
	Doc: `FLAG (opt-in, a convention rather than a hazard): in PostgreSQL ` + "`varchar(n)`" + ` is
stored exactly like ` + "`text`" + `; the ` + "`n`" + ` is only a check. But it is a check that lives
in the type, so changing it later is an ALTER COLUMN TYPE: raising the limit takes
ACCESS EXCLUSIVE (briefly; no rewrite), lowering it rewrites the table under that
lock. A CHECK constraint expresses the same rule and can be replaced online with
` + "`NOT VALID`" + ` and ` + "`VALIDATE`" + `.

**Enable** with ` + "`[rules] enable = [\"prefer-text-field\"]`" + `.

` + "```sql" + `
-- flagged
CREATE TABLE users (id bigint PRIMARY KEY, email varchar(255));
-- preferred
CREATE TABLE users (id bigint PRIMARY KEY, email text CHECK (length(email) <= 255));
` + "```",
	Check: func(p *Pass) {
		change := locks.AlterColumnTypeCoercible.Facts(p.PG()).Table
		for _, c := range columnTypes(p.Stmt.Node) {
			if sqlast.TypeName(c.typ) != "varchar" || len(sqlast.Typmods(c.typ)) == 0 {
				continue
			}
			start, end := p.TypeSpan(c.typ.Location)
			l := locks.Lock{Relation: c.table, Role: "table", Mode: change}
			p.Report(Diagnostic{Start: start, End: end,
				Message: fmt.Sprintf("%s.%s is %s: changing the limit later is an ALTER COLUMN TYPE that %s", c.table, c.column, sqlast.TypeText(c.typ), Impact(l)),
				Help:    fmt.Sprintf("Use text with CHECK (length(%s) <= n), which can be changed online with NOT VALID and VALIDATE.", c.column)})
		}
	},
}

// columnType is a column definition a statement writes: a CREATE TABLE column, an ADD
// COLUMN, or the new type of an ALTER COLUMN TYPE.
type columnType struct {
	table, column string
	typ           *pg.TypeName
	def           *pg.ColumnDef
	added         bool // a new column (CREATE TABLE or ADD COLUMN), not a type change
}

// columnTypes lists the column types a statement writes.
func columnTypes(n *pg.Node) []columnType {
	var out []columnType
	if cs := n.GetCreateStmt(); cs != nil {
		table := sqlast.RangeVarName(cs.Relation)
		for _, elt := range cs.TableElts {
			if cd := elt.GetColumnDef(); cd != nil && cd.TypeName != nil {
				out = append(out, columnType{table: table, column: cd.Colname, typ: cd.TypeName, def: cd, added: true})
			}
		}
	}
	if at := n.GetAlterTableStmt(); at != nil && at.Objtype == pg.ObjectType_OBJECT_TABLE {
		table := sqlast.RangeVarName(at.Relation)
		for _, c := range at.Cmds {
			cmd := c.GetAlterTableCmd()
			cd := cmd.GetDef().GetColumnDef()
			if cd == nil || cd.TypeName == nil {
				continue
			}
			switch cmd.Subtype {
			case pg.AlterTableType_AT_AddColumn:
				out = append(out, columnType{table: table, column: cd.Colname, typ: cd.TypeName, def: cd, added: true})
			case pg.AlterTableType_AT_AlterColumnType:
				out = append(out, columnType{table: table, column: cmd.Name, typ: cd.TypeName, def: cd})
			}
		}
	}
	return out
}

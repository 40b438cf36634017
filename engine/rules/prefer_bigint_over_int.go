package rules

import (
	"fmt"

	"github.com/migsafe/migsafe/engine/locks"
	"github.com/migsafe/migsafe/engine/sqlast"
)

// PreferBigintOverInt finds new integer and serial columns.
var PreferBigintOverInt = &Rule{
	ID:       "prefer-bigint-over-int",
	Category: LockContention,
	Status:   Flag,
	Severity: Downtime,
	Summary:  "new integer / serial columns can run out at 2^31-1, and widening them rewrites the table (opt-in)",
	OptIn:    true,
	Doc: `FLAG (opt-in): an ` + "`integer`" + ` (or ` + "`serial`" + `, ` + "`smallint`" + `) id or counter that
overflows stops every INSERT with "integer out of range" — an outage, typically years
later on the busiest table. Fixing it then means ALTER COLUMN TYPE bigint, which
rewrites the table and all its indexes under ACCESS EXCLUSIVE, plus every foreign key
that references it. bigint costs four more bytes per row now.

**Scope.** Columns the statement creates (CREATE TABLE, ADD COLUMN) of type smallint,
integer, smallserial or serial. Enable with ` + "`[rules] enable = [\"prefer-bigint-over-int\"]`" + `.

` + "```sql" + `
-- flagged
CREATE TABLE events (id serial PRIMARY KEY, count integer);
-- preferred
CREATE TABLE events (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, count bigint);
` + "```",
	Check: func(p *Pass) {
		widen := locks.AlterColumnType.Facts(p.PG())
		for _, c := range columnTypes(p.Stmt.Node) {
			if !c.added {
				continue
			}
			switch sqlast.TypeName(c.typ) {
			case "int2", "int4", "serial", "serial4", "smallserial", "serial2":
			default:
				continue
			}
			start, end := p.TypeSpan(c.typ.Location)
			l := locks.Lock{Relation: c.table, Role: "table", Mode: widen.Table}
			p.Report(Diagnostic{Start: start, End: end,
				Message: fmt.Sprintf("%s.%s is %s, which overflows at 2^31-1 or less; widening it later rewrites the table and %s", c.table, c.column, sqlast.TypeText(c.typ), Impact(l)),
				Help:    "Use bigint (or bigint GENERATED ... AS IDENTITY for ids)."})
		}
	},
}

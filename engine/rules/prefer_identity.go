package rules

import (
	"fmt"

	"github.com/migsafe/migsafe/engine/locks"
)

// PreferIdentity finds serial columns.
var PreferIdentity = &Rule{
	ID:       "prefer-identity",
	Category: ConstraintValidation,
	Status:   Flag,
	Severity: Safety,
	Summary:  "serial columns: prefer GENERATED ... AS IDENTITY (opt-in)",
	OptIn:    true,
	Doc: `FLAG (opt-in): ` + "`serial`" + ` is a macro for an integer column with a DEFAULT from a
separately owned sequence. The sequence needs its own grants, is easy to leave behind
or to desynchronise (explicit ids inserted past it cause duplicate-key errors later),
and ` + "`CREATE TABLE ... (LIKE ...)`" + ` copies the default pointing at the old sequence.
Identity columns (PostgreSQL 10+) are SQL-standard, tie the sequence to the column,
and with ` + "`GENERATED ALWAYS`" + ` reject accidental explicit ids.

**Enable** with ` + "`[rules] enable = [\"prefer-identity\"]`" + `.

` + "```sql" + `
-- flagged
CREATE TABLE tags (id bigserial PRIMARY KEY);
-- preferred
CREATE TABLE tags (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);
` + "```",
	Check: func(p *Pass) {
		for _, c := range columnTypes(p.Stmt.Node) {
			if !c.added || !locks.IsSerial(c.typ) {
				continue
			}
			start, end := p.TypeSpan(c.typ.Location)
			p.Report(Diagnostic{Start: start, End: end,
				Message: fmt.Sprintf("%s.%s is a serial column: its sequence is a separate object with its own grants and can drift from the column's values", c.table, c.column),
				Help:    "Use bigint GENERATED ALWAYS AS IDENTITY (or BY DEFAULT when code inserts explicit ids)."})
		}
	},
}

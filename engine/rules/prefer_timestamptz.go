package rules

import (
	"fmt"

	"github.com/migsafe/migsafe/engine/sqlast"
)

// PreferTimestamptz finds timestamp without time zone columns.
var PreferTimestamptz = &Rule{
	ID:       "prefer-timestamptz",
	Category: DataLoss,
	Status:   Flag,
	Severity: DataLossSev,
	Summary:  "timestamp without time zone stores a wall-clock time with no zone (opt-in)",
	OptIn:    true,
	Doc: `FLAG (opt-in): ` + "`timestamp`" + ` (without time zone) drops the offset of every value
written to it: a value written by a server or session in another time zone, or across
a daylight-saving change, cannot be placed on the timeline afterwards. ` + "`timestamptz`" + `
stores an absolute instant (as UTC) and converts on display, at no extra cost.

**Enable** with ` + "`[rules] enable = [\"prefer-timestamptz\"]`" + `.

` + "```sql" + `
-- flagged
ALTER TABLE orders ADD COLUMN shipped_at timestamp;
-- preferred
ALTER TABLE orders ADD COLUMN shipped_at timestamptz;
` + "```",
	Check: func(p *Pass) {
		for _, c := range columnTypes(p.Stmt.Node) {
			if sqlast.TypeName(c.typ) != "timestamp" {
				continue
			}
			start, end := p.TypeSpan(c.typ.Location)
			p.Report(Diagnostic{Start: start, End: end,
				Message: fmt.Sprintf("%s.%s is timestamp without time zone: the offset of every value written is lost", c.table, c.column),
				Help:    "Use timestamptz (timestamp with time zone)."})
		}
	},
}

package rules

import (
	"fmt"

	"github.com/migsafe/migsafe/engine/locks"
)

// ConstraintMissingNotValid finds ADD CONSTRAINT ... CHECK validated under the lock.
var ConstraintMissingNotValid = &Rule{
	ID:       "constraint-missing-not-valid",
	Category: ConstraintValidation,
	Status:   Block,
	Severity: Downtime,
	Summary:  "ADD CONSTRAINT CHECK without NOT VALID scans the table while blocking reads and writes",
	Doc: `BLOCK: adding a CHECK constraint checks every existing row while the statement holds
ACCESS EXCLUSIVE on the table, so on a large table all reads and writes wait for a full
scan. If a row violates the check the migration also fails after all that waiting.

**Safe pattern.** Add the constraint ` + "`NOT VALID`" + ` — new and updated rows are checked at
once, the catalog change is instant — then run ` + "`VALIDATE CONSTRAINT`" + ` in a later
statement, ideally a later transaction: it scans under SHARE UPDATE EXCLUSIVE, which
lets reads and writes continue.

A CHECK written on a column that ` + "`ADD COLUMN`" + ` adds scans every existing row the same way,
even when the new column holds only NULLs or its default, and a column constraint
cannot be ` + "`NOT VALID`" + `: add the column, then the constraint.

**Passes when** the table is new (created earlier in the same migration, or by a
migration that is not deployed yet), or its configured
size is below ` + "`small_table_rows`" + `.

` + "```sql" + `
-- bad
ALTER TABLE orders ADD CONSTRAINT orders_total_pos CHECK (total >= 0);
-- good
ALTER TABLE orders ADD CONSTRAINT orders_total_pos CHECK (total >= 0) NOT VALID;
ALTER TABLE orders VALIDATE CONSTRAINT orders_total_pos;
` + "```",
	Check: func(p *Pass) {
		for _, part := range p.Locks.Parts {
			if part.Shape != locks.AddCheck || !p.LockDurationMatters(part.Table) {
				continue
			}
			l := PartLock(part)
			start, end := p.ClauseSpan(part.Loc)
			msg := fmt.Sprintf("CHECK constraint without NOT VALID checks every row of %s while it %s", part.Table, Impact(l))
			if d := p.PartDuration(part); d != "" {
				msg += " (" + d + ")"
			}
			help := "Add the constraint NOT VALID, then VALIDATE CONSTRAINT in a later statement (it scans without blocking reads or writes)."
			if part.OfNewColumn {
				// A column constraint cannot be NOT VALID: it has to become a table constraint.
				help = "Add the column without the CHECK, then ADD CONSTRAINT ... CHECK (...) NOT VALID and VALIDATE CONSTRAINT in a later statement (it scans without blocking reads or writes)."
			}
			p.Report(Diagnostic{Fixes: p.Fixes(notValidFixes), Start: start, End: end, Lock: &l, Message: msg, Help: help})
		}
	},
}

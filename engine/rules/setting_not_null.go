package rules

import (
	"fmt"

	"github.com/migsafe/migsafe/engine/locks"
)

// SettingNotNull finds ALTER COLUMN ... SET NOT NULL that scans the table under its lock.
var SettingNotNull = &Rule{
	ID:       "setting-not-null",
	Category: ConstraintValidation,
	Status:   Block,
	Severity: Downtime,
	Summary:  "SET NOT NULL scans the whole table while holding a lock that blocks reads and writes",
	Doc: `BLOCK: to prove there is no NULL, PostgreSQL reads every row while it holds ACCESS
EXCLUSIVE on the table. On a large table that is minutes of a full outage for the
table: every read and write queues behind the scan.

**Safe pattern.** Prove the column is NOT NULL with a constraint that can be validated
without the strong lock, then let SET NOT NULL use it: add
` + "`CHECK (col IS NOT NULL) NOT VALID`" + ` (instant), ` + "`VALIDATE CONSTRAINT`" + ` (scans under SHARE
UPDATE EXCLUSIVE: reads and writes continue), then ` + "`SET NOT NULL`" + `. From PostgreSQL 12
SET NOT NULL sees the validated CHECK and skips its scan; the CHECK can be dropped
afterwards. Before 12 the CHECK does not help and the scan still runs.

**Passes when** the table is new (created earlier in the same migration, or by a
migration that is not deployed yet), its configured
size is below ` + "`small_table_rows`" + `, or (PostgreSQL 12+) a validated
` + "`CHECK (col IS NOT NULL)`" + ` on the column precedes the statement, in the file or in an
earlier migration of its set.

` + "```sql" + `
-- bad
ALTER TABLE users ALTER COLUMN phone SET NOT NULL;
-- good
ALTER TABLE users ADD CONSTRAINT users_phone_nn CHECK (phone IS NOT NULL) NOT VALID;
ALTER TABLE users VALIDATE CONSTRAINT users_phone_nn;
ALTER TABLE users ALTER COLUMN phone SET NOT NULL;
ALTER TABLE users DROP CONSTRAINT users_phone_nn;
` + "```",
	Check: func(p *Pass) {
		for _, part := range p.Locks.Parts {
			if (part.Shape != locks.SetNotNull && part.Shape != locks.SetNotNullChecked) || !part.Facts.Scan ||
				!p.LockDurationMatters(part.Table) {
				continue
			}
			l := PartLock(part)
			start, end, ok := p.Keyword("SET", "NOT", "NULL")
			if !ok {
				start, end = p.Whole()
			}
			msg := fmt.Sprintf("SET NOT NULL on %s.%s reads every row to check for NULLs while it %s", part.Table, part.Cmd.Name, Impact(l))
			if d := p.PartDuration(part); d != "" {
				msg += " (" + d + ")"
			}
			if part.Shape == locks.SetNotNullChecked {
				msg += "; " + part.Facts.Note
			}
			help := "Add CHECK (col IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT, then SET NOT NULL (PostgreSQL 12+ skips the scan)."
			if p.PG() < 12 {
				help = "Before PostgreSQL 12 SET NOT NULL always scans: keep a validated CHECK (col IS NOT NULL) NOT VALID constraint instead, or run it in a maintenance window."
			}
			p.Report(Diagnostic{Fixes: p.Fixes(setNotNullFixes(p.vouchFor(part.Table))), Start: start, End: end, Lock: &l, Message: msg, Help: help})
		}
	},
}

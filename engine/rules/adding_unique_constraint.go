package rules

import (
	"fmt"

	"github.com/migsafe/migsafe/engine/locks"
)

// AddingUniqueConstraint finds ADD UNIQUE / PRIMARY KEY that builds its index under the lock.
var AddingUniqueConstraint = &Rule{
	ID:       "adding-unique-constraint",
	Category: ConstraintValidation,
	Status:   Block,
	Severity: Downtime,
	Summary:  "ADD UNIQUE / PRIMARY KEY builds its index while blocking reads and writes",
	Doc: `BLOCK: without ` + "`USING INDEX`" + `, adding a UNIQUE or PRIMARY KEY constraint builds
the index inside the ALTER TABLE, holding ACCESS EXCLUSIVE for the whole build: on a
large table every read and write waits minutes. A duplicate fails the migration at
the end of it.

**Safe pattern.** Build the index first with ` + "`CREATE UNIQUE INDEX CONCURRENTLY`" + `
(reads and writes continue; it runs outside a transaction block), then attach it:
` + "`ALTER TABLE ... ADD CONSTRAINT name UNIQUE USING INDEX idx`" + ` (or ` + "`PRIMARY KEY USING INDEX`" + `),
which only updates the catalog. A PRIMARY KEY also needs the columns NOT NULL: set
them first (see ` + "`setting-not-null`" + `).

A UNIQUE or PRIMARY KEY written on a column that ` + "`ADD COLUMN`" + ` adds builds the same
index over every existing row, though the new column holds only NULLs or its default.

**Passes when** the table is new (created earlier in the same migration, or by a
migration that is not deployed yet), or its configured
size is below ` + "`small_table_rows`" + `.

` + "```sql" + `
-- bad
ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);
-- good
CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users (email);
ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key;
` + "```",
	Check: func(p *Pass) {
		for _, part := range p.Locks.Parts {
			if part.Shape != locks.AddUnique || !p.LockDurationMatters(part.Table) {
				continue
			}
			l := PartLock(part)
			start, end := p.ClauseSpan(part.Loc)
			msg := fmt.Sprintf("adding a UNIQUE or PRIMARY KEY constraint builds its index on %s inside the ALTER TABLE, which %s", part.Table, Impact(l))
			if d := p.PartDuration(part); d != "" {
				msg += " (" + d + ")"
			}
			help := "CREATE UNIQUE INDEX CONCURRENTLY first (in a migration of its own), then ADD CONSTRAINT ... UNIQUE USING INDEX (or PRIMARY KEY USING INDEX)."
			if part.OfNewColumn {
				help = "Add the column without it; then CREATE UNIQUE INDEX CONCURRENTLY on it (in a migration of its own) and ADD CONSTRAINT ... UNIQUE USING INDEX (or PRIMARY KEY USING INDEX)."
			}
			p.Report(Diagnostic{Fixes: p.Fixes(uniqueFixes(p.mayBeNull(), p.vouchFor(part.Table))), Start: start, End: end, Lock: &l, Message: msg, Help: help})
		}
	},
}

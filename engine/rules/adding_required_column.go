package rules

import (
	"fmt"

	"github.com/migsafe/migsafe/engine/locks"
)

// AddingRequiredColumn finds ADD COLUMN ... NOT NULL without a default.
var AddingRequiredColumn = &Rule{
	ID:       "adding-required-column",
	Category: ConstraintValidation,
	Status:   Block,
	Severity: Downtime,
	Summary:  "ADD COLUMN NOT NULL without a DEFAULT fails on any table that has rows",
	Doc: `BLOCK: PostgreSQL fills the new column with NULL for existing rows, so the
statement fails with "column contains null values" on any non-empty table — a failed
deploy. Even on an empty table, application code still running without the column
cannot insert rows any more (its INSERTs do not name the column): a
backward-compatibility break as well. Table size does not matter: a small table with
rows fails just the same.

**Safe pattern.** Add the column nullable and give it a DEFAULT at once (` + "`ALTER COLUMN ... SET DEFAULT`" + `
changes the catalog alone, whatever the value), so that the rows code still running
without the column inserts get a value; backfill the existing rows in batches; then add
` + "`CHECK (col IS NOT NULL) NOT VALID`" + `, ` + "`VALIDATE CONSTRAINT`" + `, and ` + "`SET NOT NULL`" + ` (which from
PostgreSQL 12 uses the validated check instead of scanning); drop the DEFAULT once all
code sets the column. Without the DEFAULT first, that code's rows stay NULL (the
backfill has passed their keys, or finished): VALIDATE fails, and the NOT VALID check,
which every new row must pass, refuses that code's inserts. A constant DEFAULT on the
ADD COLUMN itself is simpler still: from PostgreSQL 11 it is stored in the catalog, with
no rewrite and no backfill.

**Passes when** the table is new and empty: created earlier in the same migration, or
by a migration that is not deployed yet, and not filled since (CREATE TABLE AS,
SELECT INTO, INSERT and COPY fill it).

` + "```sql" + `
-- bad
ALTER TABLE users ADD COLUMN phone text NOT NULL;
-- good
ALTER TABLE users ADD COLUMN phone text;
ALTER TABLE users ALTER COLUMN phone SET DEFAULT '';
-- backfill in batches (SET phone = DEFAULT WHERE phone IS NULL), then:
ALTER TABLE users ADD CONSTRAINT users_phone_not_null CHECK (phone IS NOT NULL) NOT VALID;
ALTER TABLE users VALIDATE CONSTRAINT users_phone_not_null;
ALTER TABLE users ALTER COLUMN phone SET NOT NULL;
ALTER TABLE users DROP CONSTRAINT users_phone_not_null;
-- once all code sets phone:
ALTER TABLE users ALTER COLUMN phone DROP DEFAULT;
` + "```",
	Check: func(p *Pass) {
		for _, part := range p.Locks.Parts {
			if part.Shape != locks.AddColumnNotNull || p.IsEmpty(part.Table) {
				continue
			}
			cd := part.Cmd.Def.GetColumnDef()
			// The NOT NULL (or PRIMARY KEY) of this column definition, not another's.
			start, end := p.ClauseSpan(part.Loc)
			if s, e, ok := p.KeywordIn(start, end, "NOT", "NULL"); ok {
				start, end = s, e
			} else if s, e, ok := p.KeywordIn(start, end, "PRIMARY", "KEY"); ok {
				start, end = s, e
			}
			l := PartLock(part)
			p.Report(Diagnostic{Fixes: p.Fixes(requiredColumnFixes(p.vouchFor(part.Table))), Start: start, End: end, Lock: &l,
				Message: fmt.Sprintf("column %q is NOT NULL with no DEFAULT: the statement fails on any existing row of %s (it %s)", cd.Colname, part.Table, Impact(l)),
				Help:    "Add the column nullable with SET DEFAULT for the rows inserted meanwhile, backfill in batches, then add CHECK (col IS NOT NULL) NOT VALID, VALIDATE it, and SET NOT NULL; drop the DEFAULT once all code sets the column."})
		}
	},
}

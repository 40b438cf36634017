package rules

import (
	"fmt"

	"github.com/migsafe/migsafe/engine/locks"
)

// AddingForeignKeyConstraint finds foreign keys validated while both tables are locked.
var AddingForeignKeyConstraint = &Rule{
	ID:       "adding-foreign-key-constraint",
	Category: ForeignKeys,
	Status:   Block,
	Severity: Downtime,
	Summary:  "a FOREIGN KEY without NOT VALID blocks writes to both tables while every row is checked",
	Doc: `BLOCK: adding a foreign key to an existing table takes SHARE ROW EXCLUSIVE on the
table and on the table it references, then reads every row to check it has a parent.
Writes to both tables — often the busiest in the schema, like users — wait for the
whole scan. This holds for ` + "`ALTER TABLE ... ADD CONSTRAINT ... FOREIGN KEY`" + `, and for
` + "`ADD COLUMN ... REFERENCES`" + ` when an added column has a default (` + "`DEFAULT NULL`" + ` included).
Without one the new column is NULL in every row: PostgreSQL marks the key valid without
reading the table (checked on PostgreSQL 10 and 15), so that form passes. Up to
PostgreSQL 12 a default on any column the statement adds, or an
` + "`ADD CONSTRAINT ... FOREIGN KEY`" + ` beside it, makes it check the rows; migsafe assumes
so on every major.

**Safe pattern.** Add it ` + "`NOT VALID`" + ` (a brief lock, no scan; new rows are checked from
then on), then ` + "`VALIDATE CONSTRAINT`" + ` in a later migration: validation takes SHARE UPDATE
EXCLUSIVE on the table and ROW SHARE on the referenced one, so reads and writes go on.

**Passes when** the referencing table is new: created earlier in the same migration, or
by a migration that is not deployed yet (it is
empty: there is nothing to scan) or its configured size is below ` + "`small_table_rows`" + `.
A ` + "`CREATE TABLE`" + ` that references an existing table passes too. It still takes SHARE
ROW EXCLUSIVE on the referenced table, but only for the catalog change: nothing is
scanned, and the lock is released at commit. The risk left is waiting for that lock
behind a long transaction, which is what ` + "`lock_timeout`" + ` is for and what the
lock-contention rules report; a FLAG on every new table with a foreign key would be
noise authors learn to ignore.

` + "```sql" + `
-- bad
ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id);
-- good
ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;
-- next migration:
ALTER TABLE orders VALIDATE CONSTRAINT orders_user_fk;
` + "```",
	Check: func(p *Pass) {
		for _, part := range p.Locks.Parts {
			if part.Shape != locks.AddForeignKey || !p.LockDurationMatters(part.Table) {
				continue
			}
			l := PartLock(part)
			ref, _ := OtherLock(part)
			start, end := p.ClauseSpan(part.Loc)
			msg := fmt.Sprintf("the foreign key is checked against every row of %s while the statement %s, and %s", part.Table, Impact(l), Impact(ref))
			if d := p.PartDuration(part); d != "" {
				msg += " (" + d + ")"
			}
			p.Report(Diagnostic{Fixes: p.Fixes(notValidFixes), Start: start, End: end, Lock: &l, Message: msg,
				Help: "Add the foreign key NOT VALID, then VALIDATE CONSTRAINT in a later migration (it does not block reads or writes)."})
		}
	},
}

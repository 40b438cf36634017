package rules

import (
	"fmt"

	"github.com/migsafe/migsafe/engine/locks"
)

// AddingExclusionConstraint finds ADD CONSTRAINT ... EXCLUDE on an existing table.
var AddingExclusionConstraint = &Rule{
	ID:       "adding-exclusion-constraint",
	Category: ConstraintValidation,
	Status:   Flag,
	Severity: Downtime,
	Summary:  "ADD CONSTRAINT EXCLUDE builds its index and checks every row while blocking reads and writes",
	Doc: `FLAG rather than BLOCK because PostgreSQL offers no concurrent alternative: an
exclusion constraint cannot be added ` + "`NOT VALID`" + ` nor attached ` + "`USING INDEX`" + `, so the
only choices are to take the outage or to schedule it. The author must verify the
table is small enough, or plan a maintenance window.

**Lock.** ACCESS EXCLUSIVE on the table while the index is built and every row is
checked against every other: all reads and writes wait.

**Options.** Run it in a maintenance window; or create a new table with the constraint,
dual-write and backfill it, then swap; or enforce the rule in the application until
then. Set ` + "`lock_timeout`" + ` so that waiting for the lock does not queue traffic.

**Passes when** the table is new (created earlier in the same migration, or by a
migration that is not deployed yet), or its configured
size is below ` + "`small_table_rows`" + `.

` + "```sql" + `
ALTER TABLE bookings ADD CONSTRAINT bookings_no_overlap
  EXCLUDE USING gist (room_id WITH =, during WITH &&);
` + "```",
	Check: func(p *Pass) {
		for _, part := range p.Locks.Parts {
			if part.Shape != locks.AddExclusion || !p.LockDurationMatters(part.Table) {
				continue
			}
			l := PartLock(part)
			start, end := p.ClauseSpan(part.Loc)
			msg := fmt.Sprintf("the exclusion constraint builds its index and checks every row of %s while it %s; there is no concurrent alternative", part.Table, Impact(l))
			if d := p.PartDuration(part); d != "" {
				msg += " (" + d + ")"
			}
			p.Report(Diagnostic{Start: start, End: end, Lock: &l, Message: Verify("the table is small enough, or the migration runs in a maintenance window: " + msg),
				Help: "Schedule it in a maintenance window with lock_timeout set, or build a new table with the constraint and swap."})
		}
	},
}

package rules

import (
	"fmt"

	"github.com/migsafe/migsafe/engine/locks"
)

// StatementsAfterAccessExclusive finds slow or lock-taking statements that run while
// the transaction already holds ACCESS EXCLUSIVE on an existing table.
var StatementsAfterAccessExclusive = &Rule{
	ID:       "statements-after-access-exclusive",
	Category: LockContention,
	Status:   Flag,
	Severity: Downtime,
	Summary:  "work done in a transaction after it took ACCESS EXCLUSIVE on an existing table keeps that table blocked",
	Doc: `FLAG: a lock is released at COMMIT, not when the statement that took it ends. Once a
transaction holds ACCESS EXCLUSIVE on a table, no query can read or write that table
until the transaction ends, so every later statement in it extends the outage: a
backfill, a scan or an index build by its full duration, and a lock request on another
table by however long that request waits in its own queue. Whether the extra time
matters depends on the work, hence a FLAG that names the statement holding the lock.

Reported: statements that read or rewrite every row of a table that is not new and not
known to be small, and statements that take a lock blocking reads or writes on another
existing table. Quick catalog changes to the same table are not reported.

**Safe pattern.** Order the transaction so the ACCESS EXCLUSIVE statement comes last, or
split the migration so the slow work runs in a transaction of its own (or none), with
` + "`lock_timeout`" + ` set.

` + "```sql" + `
BEGIN;
ALTER TABLE users ADD COLUMN tier text;          -- ACCESS EXCLUSIVE on users from here
UPDATE users SET tier = 'free';                  -- flagged: users is blocked for the whole backfill
COMMIT;
` + "```",
	Check: func(p *Pass) {
		if !p.Stmt.Tx.In() {
			return
		}
		hold, ok := p.State.Exclusive[p.Stmt.Tx.ID]
		if !ok {
			return
		}
		what := laterWork(p, hold.Table)
		if what == "" {
			return
		}
		held := locks.Lock{Relation: hold.Table, Role: "table", Mode: locks.AccessExclusive}
		start, end := p.Lead(2)
		p.Report(Diagnostic{Start: start, End: end, Lock: &held,
			Message: fmt.Sprintf("this statement %s while the transaction still holds the lock taken at line %d, which %s until COMMIT", what, p.Line(hold.Stmt.Start), Impact(held)),
			Help:    "Run this work before the statement that takes ACCESS EXCLUSIVE, or in a separate transaction."})
	},
}

// laterWork says what the statement does that extends a held ACCESS EXCLUSIVE lock on
// held; "" when it is quick catalog work.
func laterWork(p *Pass, held string) string {
	for _, part := range p.Locks.Parts {
		if !(part.Facts.Scan || part.Facts.Rewrite) || part.Table == "" || !p.LockDurationMatters(part.Table) {
			continue
		}
		switch {
		case part.Shape == locks.Update || part.Shape == locks.Delete:
			// A keyed UPDATE touches a few rows; a backfill touches them all.
			if wholeTable(p.Stmt.Node) {
				return fmt.Sprintf("changes every row of %s", part.Table)
			}
		case part.Facts.Rewrite:
			return fmt.Sprintf("rewrites %s", part.Table)
		default:
			return fmt.Sprintf("reads every row of %s", part.Table)
		}
	}
	if l, ok := blockingLockOnExisting(p); ok && key(l.Relation) != key(held) && l.Relation != "" {
		return fmt.Sprintf("waits for a lock on %s", l.Relation)
	}
	return ""
}

package rules

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/migsafe/migsafe/engine/estimate"
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
backfill, a scan or an index build by its full duration. Whether the extra time
matters depends on the work, hence a FLAG that names the statement holding the lock.

Reported once per transaction, on the first statement that reads, changes or rewrites
every row of a table that is not new and not known to be small: the fix (reorder or
split the transaction) is the same for all of them. Quick catalog changes are not reported, nor is work on the
locked table that takes ACCESS EXCLUSIVE itself (it blocks the table on its own, and its
own rule reports it). Taking further locks on other tables is left to
` + "`require-lock-timeout`" + `: with a timeout set, that wait is bounded.

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
		// Made for every statement after the lock, not only the one reported.
		once := "statements-after-access-exclusive/" + strconv.Itoa(p.Stmt.Tx.ID)
		if p.State.Done(once) {
			return // reported once per transaction
		}
		what := laterWork(p, hold.Table)
		if what == "" || !p.State.Once(once) {
			return
		}
		held := locks.Lock{Relation: hold.Table, Role: "table", Mode: locks.AccessExclusive}
		if hold.Table == "" {
			// DROP INDEX names only the index: its table is "the index's table".
			held.Role = "index"
		}
		holder := hold.Stmt.Text
		if toks := hold.Stmt.Tokens; len(toks) >= 2 {
			// Two words name most statements (ALTER TABLE, DROP INDEX); these need
			// more: REFRESH MATERIALIZED VIEW, CREATE OR REPLACE VIEW.
			n := 2
			switch word := strings.ToUpper(hold.Stmt.SQLAt(int(toks[1].Start), int(toks[1].End))); {
			case word == "MATERIALIZED" && len(toks) >= 3:
				n = 3
			case word == "OR" && len(toks) >= 4:
				n = 4
			}
			holder = hold.Stmt.SQLAt(int(toks[0].Start), int(toks[n-1].End))
		}
		start, end := p.Lead(2)
		p.Report(Diagnostic{Start: start, End: end, Lock: &held,
			Message: fmt.Sprintf("this statement %s inside the transaction whose %s at line %d %s: that lock is held until COMMIT, so it lasts through this statement's work", what, holder, p.Line(hold.Stmt.Start), Impact(held)),
			Help:    "Run this work before the statement that takes ACCESS EXCLUSIVE, or in a separate transaction."})
	},
}

// laterWork says what per-row work the statement does that the held ACCESS EXCLUSIVE
// lock on held now lasts through; "" when it does none. Work on held itself counts only
// when the statement's own lock would have let reads through (CREATE INDEX, VALIDATE):
// otherwise it blocks the table by itself and its own rules report it.
func laterWork(p *Pass, held string) string {
	for _, part := range p.Locks.Parts {
		table := part.WorkTable()
		if part.Facts.Work == estimate.None || table == "" || !p.LockDurationMatters(table) {
			continue
		}
		own := part.Facts.Table
		if part.Facts.WorkOnOther {
			own = part.Facts.Other
		}
		if p.SameTable(table, held) && own.Blocks().Reads {
			continue
		}
		switch {
		case part.Facts.Work == estimate.Backfill:
			// A keyed UPDATE touches a few rows; a backfill touches them all.
			if wholeTable(p.Stmt.Node) && !locks.IsSystemCatalog(table) {
				return fmt.Sprintf("changes every row of %s", table)
			}
		case part.Facts.Work == estimate.BulkCopy:
			if !copyBounded(p.Stmt.Node.GetInsertStmt()) {
				return fmt.Sprintf("copies every row of %s into %s", table, part.Table)
			}
		case part.Facts.Rewrite:
			return fmt.Sprintf("rewrites %s", table)
		default:
			return fmt.Sprintf("reads every row of %s", table)
		}
	}
	return ""
}

package rules

import (
	"fmt"

	"github.com/migsafe/migsafe/engine/locks"
)

// LockTable finds explicit LOCK TABLE statements.
var LockTable = &Rule{
	ID:       "lock-table",
	Category: LockContention,
	Status:   Flag,
	Severity: Downtime,
	Summary:  "explicit LOCK TABLE in a migration blocks traffic until the transaction ends",
	Doc: `FLAG: an explicit LOCK TABLE holds its lock until the end of the transaction, so
everything the migration does after it runs while reads or writes of the table wait
(ACCESS EXCLUSIVE, the default mode, blocks reads too). Sometimes that is the point —
freezing writes while a data fix runs — so the author confirms it rather than the rule
blocking.

Modes that block neither reads nor writes (ACCESS SHARE, ROW SHARE, ROW EXCLUSIVE,
SHARE UPDATE EXCLUSIVE) are not reported.

**Safe pattern.** Take the weakest mode that does the job (SHARE blocks writes but not
reads), set a short ` + "`lock_timeout`" + ` first, and keep the transaction that holds it short.

**Passes when** the table is new: created earlier in the same migration, or by a
migration that is not deployed yet.`,
	Check: func(p *Pass) {
		for _, part := range p.Locks.Parts {
			if part.Shape != locks.LockTable || !part.Facts.Table.Blocking() || p.IsNew(part.Table) {
				continue
			}
			l := PartLock(part)
			p.Report(Diagnostic{Lock: &l,
				Message: fmt.Sprintf("LOCK TABLE %s until the transaction ends, and everything after it in the transaction runs under that lock", Impact(l)),
				Help:    "Use the weakest mode that works, set lock_timeout first, and keep the transaction short."})
		}
	},
}

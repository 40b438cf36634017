package rules

import (
	"fmt"

	"github.com/migsafe/migsafe/engine/locks"
)

// RequireConcurrentDetachPartition finds DETACH PARTITION without CONCURRENTLY where
// the server has the concurrent form.
var RequireConcurrentDetachPartition = &Rule{
	ID:       "require-concurrent-detach-partition",
	Category: LockContention,
	Status:   Flag,
	Severity: Downtime,
	Summary:  "DETACH PARTITION without CONCURRENTLY takes the parent table's strongest lock (PostgreSQL 14+)",
	Doc: `FLAG: DETACH PARTITION is a catalog change and quick once granted, but it takes
ACCESS EXCLUSIVE on the partitioned table, so while it waits for a long query on any
partition, every read and write of the whole partitioned table queues behind it.
Whether that hurts depends on traffic and on ` + "`lock_timeout`" + `: a FLAG to look at, not a BLOCK.

**Safe pattern.** From PostgreSQL 14, ` + "`DETACH PARTITION ... CONCURRENTLY`" + ` takes SHARE UPDATE
EXCLUSIVE and lets reads and writes continue. It cannot run inside a transaction block
(a migration of its own) and is not allowed when the table has a default partition;
if it is interrupted, finish it with ` + "`DETACH PARTITION ... FINALIZE`" + `.

**Before PostgreSQL 14** there is no concurrent form and so nothing better to suggest:
the rule reports nothing, and the lock queue risk is left to ` + "`require-lock-timeout`" + `.
` + "`CONCURRENTLY`" + ` on such a server is reported by ` + "`unsupported-on-version`" + `.

**Passes when** the partitioned table is new: created earlier in the same migration, or
by a migration that is not deployed yet.

` + "```sql" + `
-- flagged
ALTER TABLE events DETACH PARTITION events_2024;
-- good (PostgreSQL 14+)
ALTER TABLE events DETACH PARTITION events_2024 CONCURRENTLY;
` + "```",
	Check: func(p *Pass) {
		if p.PG() < 14 {
			return
		}
		for _, part := range p.Locks.Parts {
			if part.Shape != locks.DetachPartition || p.IsNew(part.Table) {
				continue
			}
			l := PartLock(part)
			start, end, ok := p.Keyword("DETACH", "PARTITION")
			if !ok {
				start, end = p.Lead(2)
			} else {
				end = p.ClauseEnd(start)
			}
			p.Report(Diagnostic{Start: start, End: end, Lock: &l,
				Message: fmt.Sprintf("DETACH PARTITION %s without CONCURRENTLY %s: quick once granted, but while it waits every query on the partitioned table queues behind it", part.Other, Impact(l)),
				Help:    "Use ALTER TABLE ... DETACH PARTITION ... CONCURRENTLY in a migration of its own (no transaction block; not with a default partition)."})
		}
	},
}

package rules

import (
	"fmt"

	"github.com/migsafe/migsafe/engine/project"
	"github.com/migsafe/migsafe/engine/sqlast"
)

// RequireConcurrentIndexCreation finds CREATE INDEX without CONCURRENTLY.
var RequireConcurrentIndexCreation = &Rule{
	ID:       "require-concurrent-index-creation",
	Category: LockContention,
	Status:   Block,
	Severity: Downtime,
	Summary:  "CREATE INDEX without CONCURRENTLY blocks writes for the whole index build",
	Doc: `BLOCK: on a large table the build takes minutes to hours, and every INSERT,
UPDATE and DELETE waits for it — an outage for any table that takes writes.

**Lock.** ` + "`CREATE INDEX`" + ` takes SHARE on the table: reads continue, writes wait
until the index is built, which means reading and sorting every row.

**Safe pattern.** Build it with ` + "`CREATE INDEX CONCURRENTLY`" + `, which takes SHARE UPDATE
EXCLUSIVE and lets reads and writes continue. It cannot run inside a transaction
block, so put it in a migration of its own (or mark the migration as
non-transactional for your runner), and check afterwards that it is valid: a failed
concurrent build leaves an INVALID index to drop and retry.

**Partitioned tables** do not support ` + "`CREATE INDEX CONCURRENTLY`" + ` on the parent. Create
the index ` + "`ON ONLY`" + ` the parent (instant, no build, and not reported), build each
partition's index concurrently, and ` + "`ALTER INDEX parent_idx ATTACH PARTITION part_idx`" + `
for each; the parent index becomes valid when all are attached.

On a table the migration history made partitioned the finding says so and offers no
` + "`CONCURRENTLY`" + ` fix, which would fail there (checked on PostgreSQL 15 and 18: "cannot
create index on partitioned table ... concurrently"; PostgreSQL 10 cannot index a
partitioned table at all).

**Passes when** the table is new: created earlier in the same migration, or by a
migration that is not deployed yet (it is empty),
or its configured size is below ` + "`small_table_rows`" + `, or the index is created ` + "`ON ONLY`" + `
a partitioned parent.

` + "```sql" + `
-- bad
CREATE INDEX users_email_idx ON users (email);
-- good
CREATE INDEX CONCURRENTLY users_email_idx ON users (email);
` + "```",
	Check: func(p *Pass) {
		is := p.Stmt.Node.GetIndexStmt()
		if is == nil || is.Concurrent || len(p.Locks.Locks) == 0 || !p.LockDurationMatters(p.Locks.Locks[0].Relation) || p.IndexExists(is) {
			return
		}
		// ON ONLY creates an invalid index on a partitioned parent alone, without
		// building anything: the first step of the safe pattern for partitioned tables.
		if is.Relation != nil && !is.Relation.Inh {
			return
		}
		l := p.Locks.Locks[0]
		start, end, ok := p.Keyword("INDEX")
		if !ok {
			start, end = p.Whole()
		} else if s, _, ok := p.Keyword("CREATE"); ok {
			start = s
		}
		msg := fmt.Sprintf("CREATE INDEX without CONCURRENTLY %s until the index is built", Impact(l))
		if d := p.PartDuration(p.Locks.Parts[0]); d != "" {
			msg += " (" + d + ")"
		}
		if t, ok := p.State.Table(sqlast.RangeVarName(is.Relation)); ok && t.Kind == project.PartitionedTable {
			// CONCURRENTLY fails on a partitioned parent ("cannot create index on
			// partitioned table ... concurrently"): no fix that writes it.
			msg += "; " + sqlast.RangeVarName(is.Relation) + " is partitioned, where CREATE INDEX CONCURRENTLY fails"
			help := "CREATE INDEX ... ON ONLY the parent (no build), then CREATE INDEX CONCURRENTLY on each partition and ALTER INDEX parent_idx ATTACH PARTITION partition_idx for each."
			if p.PG() < 11 {
				// PostgreSQL 10 has no index on a partitioned table at all.
				help = "PostgreSQL 10 cannot index a partitioned table: CREATE INDEX CONCURRENTLY on each partition instead."
			}
			p.Report(Diagnostic{Start: start, End: end, Message: msg, Lock: &l, Help: help})
			return
		}
		p.Report(Diagnostic{Fixes: p.Fixes(concurrentlyFixes), Start: start, End: end, Message: msg, Lock: &l,
			Help: "Use CREATE INDEX CONCURRENTLY, outside a transaction block (a migration of its own)."})
	},
}

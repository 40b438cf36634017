package rules

import (
	"fmt"

	"github.com/migsafe/migsafe/engine/locks"
	"github.com/migsafe/migsafe/engine/project"
)

// RequireConcurrentIndexDeletion finds DROP INDEX without CONCURRENTLY.
var RequireConcurrentIndexDeletion = &Rule{
	ID:       "require-concurrent-index-deletion",
	Category: LockContention,
	Status:   Flag,
	Severity: Downtime,
	Summary:  "DROP INDEX without CONCURRENTLY takes the table's strongest lock",
	Doc: `FLAG: dropping an index is quick once it has its lock, but the lock is ACCESS
EXCLUSIVE on the index's table. Waiting for it behind one long-running query makes every
later query on the table — reads included — queue behind the DROP. Whether that hurts
depends on the traffic and on ` + "`lock_timeout`" + `, so the finding asks for a look rather
than blocking.

**Safe pattern.** ` + "`DROP INDEX CONCURRENTLY`" + ` takes SHARE UPDATE EXCLUSIVE and waits for
running transactions instead of blocking new ones. It cannot run inside a transaction
block and drops one index per statement: give it a migration of its own.

**Passes when** the index was created earlier in the same migration (which covers the
indexes of a table created in it): the migration's own earlier statement already
waited for the table, and no production query uses the index yet. Also when its
table was created by a migration that is not deployed yet (nobody uses the table).

` + "```sql" + `
-- flagged
DROP INDEX users_email_idx;
-- good
DROP INDEX CONCURRENTLY users_email_idx;
` + "```",
	Check: func(p *Pass) {
		for _, part := range p.Locks.Parts {
			if part.Shape != locks.DropIndex {
				continue
			}
			// An index created earlier in the file (which covers every index of a table
			// created in it) has no queries depending on it yet.
			if p.indexLockHarmless(part.Other) {
				continue
			}
			l := PartLock(part)
			start, end := p.Lead(2)
			p.Report(Diagnostic{Fixes: p.Fixes(concurrentlyFixes), Start: start, End: end, Lock: &l,
				Message: fmt.Sprintf("DROP INDEX %s without CONCURRENTLY %s: quick once granted, but while it waits for the lock every later query on the table queues behind it", part.Other, Impact(l)),
				Help:    "Use DROP INDEX CONCURRENTLY, one index per statement, outside a transaction block (a migration of its own)."})
		}
	},
}

// newIndex reports an index no deployed query can depend on: created earlier in this
// file or by a migration that is not deployed yet.
func (p *Pass) newIndex(name string) bool {
	_, isNew, ok := p.State.IndexTable(name)
	return ok && isNew
}

// indexLockHarmless reports a DROP INDEX whose lock on the table hurts nobody: the
// index was created earlier in this file (which already waited for the table), or
// its table is new. An index a pending migration added to a table in use does not
// count: dropping it still locks that table.
func (p *Pass) indexLockHarmless(name string) bool {
	table, _, ok := p.State.IndexTable(name)
	if !ok {
		return false
	}
	ix, _ := p.State.Catalog.Relation(project.TreeName(name))
	return ix.Origin.Path == p.File.Path || p.IsNew(table)
}

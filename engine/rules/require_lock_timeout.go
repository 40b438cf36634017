package rules

import (
	"github.com/migsafe/migsafe/engine/locks"
	"github.com/migsafe/migsafe/engine/project"
)

// RequireLockTimeout finds the first statement of a file that takes a lock blocking
// reads or writes on an existing table with no lock_timeout set before it.
var RequireLockTimeout = &Rule{
	ID:       "require-lock-timeout",
	Category: LockContention,
	Status:   Flag,
	Severity: Downtime,
	Summary:  "a lock that blocks reads or writes is requested with no lock_timeout set",
	Doc: `FLAG: PostgreSQL grants table locks in order. A DDL statement that has to wait for
its lock — because one long query, a forgotten open transaction or a running backup
holds a conflicting lock — sits in the queue, and every query that arrives after it and
conflicts with the lock it wants queues behind it, even plain SELECTs when it wants
ACCESS EXCLUSIVE. A migration whose own work takes milliseconds can so stop all traffic
on the table for as long as the oldest query runs. ` + "`lock_timeout`" + ` bounds that wait: the
statement fails after a few seconds instead, and the deploy is retried. It is a FLAG
because the runner or the database role may already set one (` + "`ALTER ROLE ... SET\nlock_timeout`" + `), which migsafe cannot see.

Reported once per file, on the first statement that needs it.

**Safe pattern.** Start the migration with ` + "`SET lock_timeout = '5s';`" + ` (` + "`SET LOCAL`" + ` inside
a transaction), and retry the migration when it times out.

**Passes when** a ` + "`SET lock_timeout`" + ` runs earlier in the file (a ` + "`SET LOCAL`" + ` counts for
the rest of its transaction only; a value of 0 or ` + "`RESET`" + ` turns it off), or every lock the
statements take is on tables created in the file or blocks neither reads nor writes
(CREATE INDEX CONCURRENTLY, VALIDATE CONSTRAINT).

` + "```sql" + `
-- good
SET lock_timeout = '5s';
ALTER TABLE users ADD COLUMN nickname text;
` + "```",
	Check: func(p *Pass) {
		if p.State.LockTimeoutFor(p.Stmt.Tx) || p.State.Done("require-lock-timeout") {
			return // reported once per file
		}
		l, ok := blockingLockOnExisting(p)
		if !ok || !p.State.Once("require-lock-timeout") {
			return
		}
		start, end := p.Lead(2)
		rel := l.Relation
		if rel == "" {
			rel = "the table"
		}
		queued := "write"
		if l.Mode.Blocks().Reads {
			queued = "query"
		}
		p.Report(Diagnostic{Fixes: p.Fixes(lockTimeoutFixes), Start: start, End: end, Lock: &l,
			Message: Verify("no lock_timeout is set before this statement; it " + Impact(l) + ", so if it waits behind a long-running query, every later " + queued + " on " + rel + " queues behind it"),
			Help:    "Start the migration with SET lock_timeout = '" + p.Config.LockTimeout + "'; (SET LOCAL inside a transaction) and retry on timeout."})
	},
}

// blockingLockOnExisting finds the strongest lock the statement takes that blocks reads
// or writes on a relation that existed before the file (not the table a CREATE TABLE
// makes, not a table created earlier).
func blockingLockOnExisting(p *Pass) (locks.Lock, bool) {
	var best locks.Lock
	found := false
	consider := func(l locks.Lock) {
		if !l.Mode.Blocking() || p.IsNew(l.Relation) {
			return
		}
		if !found || l.Mode > best.Mode {
			best, found = l, true
		}
	}
	for _, part := range p.Locks.Parts {
		creates := part.Shape == locks.CreateTable || part.Shape == locks.CreateTableFK
		if !creates {
			if part.Shape == locks.DropIndex && p.indexLockHarmless(part.Other) {
				continue
			}
			consider(PartLock(part))
			if locks.IndexesBlockMore(part.Facts) {
				consider(locks.Lock{Relation: part.Table, Role: locks.IndexesRole, Mode: part.Facts.Indexes})
			}
		}
		if l, ok := OtherLock(part); ok && l.Role != "index" {
			if l.Relation == "" && part.Table != "" && p.IsNew(part.Table) {
				// DROP TABLE locks the tables its foreign keys reference without naming
				// them; of a table this migration made, the catalog knows them.
				for _, ref := range p.referencedBy(part.Table) {
					consider(locks.Lock{Relation: ref, Role: l.Role, Mode: l.Mode})
				}
				continue
			}
			consider(l)
		}
	}
	return best, found
}

// referencedBy lists the tables the catalog's foreign keys of table reference.
func (p *Pass) referencedBy(table string) []string {
	t, ok := p.State.Table(table)
	if !ok {
		return nil
	}
	var refs []string
	for _, c := range t.Constraints {
		if c.Kind != project.ForeignKey {
			continue
		}
		if ref, ok := p.State.Catalog.Rel(c.References); ok {
			refs = append(refs, p.State.Catalog.Spell(ref.Name))
		}
	}
	return refs
}

package rules

import (
	"fmt"

	"github.com/migsafe/migsafe/engine/locks"
)

// DroppingIndex finds DROP INDEX of an index that existed before the migration.
var DroppingIndex = &Rule{
	ID:       "dropping-index",
	Category: IndexDependencies,
	Status:   Flag,
	Severity: Performance,
	Summary:  "DROP INDEX of an existing index: queries or constraints may depend on it",
	Doc: `FLAG: migsafe cannot see the queries that run against the database. If one of them
is planned with this index, it turns into a sequential scan the moment the index is gone
— on a large table, a query that took milliseconds now takes seconds and piles up. An
index may also back a unique constraint or a foreign key's lookups. The author has to
verify, so the finding is a FLAG whose message starts with ` + "`Verify:`" + `.

**How to check.** ` + "`pg_stat_user_indexes.idx_scan`" + ` for the index on every node (primary and
replicas) over a full business cycle; ` + "`pg_constraint.conindid`" + ` for constraints using it;
foreign keys whose referencing columns it leads.

**Safe pattern.** When replacing an index, create the new one (concurrently) in an
earlier migration, confirm plans use it, then drop the old one with
` + "`DROP INDEX CONCURRENTLY`" + `. Keep the ` + "`CREATE INDEX`" + ` statement in the down migration.

**With the workspace's code**, when the index's definition is known (the down
migration that recreates it), the queries at HEAD that filter, join, group or sort on
its leading column are named: they are the ones it serves, and dropping it while they
run is a BLOCK unless the migration creates another index leading with that column.

**Passes when** the index was created earlier in the same migration, or by a migration
that is not deployed yet: no deployed query uses it.`,
	Check: func(p *Pass) {
		for _, part := range p.Locks.Parts {
			if part.Shape != locks.DropIndex && part.Shape != locks.DropIndexConcurrently {
				continue
			}
			if p.newIndex(part.Other) {
				continue
			}
			start, end := p.Lead(2)
			if _, e, ok := p.KeywordFrom(start, "DROP", "INDEX", "CONCURRENTLY"); ok {
				end = e
			}
			d := Diagnostic{Start: start, End: end,
				Message: Verify(fmt.Sprintf("no query plan, unique constraint or foreign-key lookup depends on index %s: once it is dropped, queries that used it scan the whole table", part.Other)),
				Help:    "Check pg_stat_user_indexes.idx_scan on the primary and replicas; when replacing the index, create the new one first, in an earlier migration."}
			p.Report(withIndexCode(p, d, part.Other))
		}
	},
}

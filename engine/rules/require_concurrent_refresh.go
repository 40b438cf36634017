package rules

import (
	"fmt"

	"github.com/migsafe/migsafe/engine/locks"
)

// RequireConcurrentRefresh finds REFRESH MATERIALIZED VIEW without CONCURRENTLY.
var RequireConcurrentRefresh = &Rule{
	ID:       "require-concurrent-refresh",
	Category: LockContention,
	Status:   Flag,
	Severity: Downtime,
	Summary:  "REFRESH MATERIALIZED VIEW without CONCURRENTLY blocks reads of the view for the whole refresh",
	Doc: `FLAG: a plain refresh re-runs the view's query and replaces its contents while
holding ACCESS EXCLUSIVE on the view, so every query reading the view waits for the
whole refresh. It is a FLAG because the concurrent form has preconditions (a unique
index, a populated view) that a view made outside the migrations may not meet, and a
view nobody reads during the deploy is fine to refresh plainly; where the migrations
show a view missing them, ` + "`concurrent-refresh-precondition`" + ` blocks the concurrent form.

**Safe pattern.** ` + "`REFRESH MATERIALIZED VIEW CONCURRENTLY`" + ` takes EXCLUSIVE, which lets
reads continue. It needs a unique index on the view covering all rows, and a view
that has been populated once (not one just created ` + "`WITH NO DATA`" + `).

**Passes when** the view is new: created earlier in the same migration, or by a
migration that is not deployed yet (its first refresh
cannot be concurrent anyway), or its configured size (` + "`[tables]`" + `) is below
` + "`small_table_rows`" + `.

` + "```sql" + `
-- flagged
REFRESH MATERIALIZED VIEW daily_totals;
-- good
CREATE UNIQUE INDEX CONCURRENTLY daily_totals_day ON daily_totals (day);
REFRESH MATERIALIZED VIEW CONCURRENTLY daily_totals;
` + "```",
	Check: func(p *Pass) {
		for _, part := range p.Locks.Parts {
			if part.Shape != locks.RefreshMatView || !p.LockDurationMatters(part.Table) {
				continue
			}
			l := locks.Lock{Relation: part.Table, Role: "materialized view", Mode: part.Facts.Table}
			msg := fmt.Sprintf("REFRESH MATERIALIZED VIEW without CONCURRENTLY %s until the refresh ends", Impact(l))
			if d := p.PartDuration(part); d != "" {
				msg += " (" + d + ")"
			}
			start, end, ok := p.Keyword("REFRESH", "MATERIALIZED", "VIEW")
			if !ok {
				start, end = p.Whole()
			}
			p.Report(Diagnostic{Fixes: p.Fixes(concurrentlyFixes), Start: start, End: end, Lock: &l, Message: msg,
				Help: "Use REFRESH MATERIALIZED VIEW CONCURRENTLY (needs a unique index on the view and a populated view)."})
		}
	},
}

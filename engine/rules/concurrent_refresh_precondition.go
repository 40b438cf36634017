package rules

import (
	"fmt"
	"slices"

	"github.com/migsafe/migsafe/engine/locks"
	"github.com/migsafe/migsafe/engine/project"
	"github.com/migsafe/migsafe/engine/sqlast"
)

// ConcurrentRefreshPrecondition finds REFRESH MATERIALIZED VIEW CONCURRENTLY that
// PostgreSQL refuses: the view has no unique index it can use, or holds no data yet.
var ConcurrentRefreshPrecondition = &Rule{
	ID:       "concurrent-refresh-precondition",
	Category: IndexDependencies,
	Status:   Block,
	Severity: Downtime,
	Summary:  "REFRESH MATERIALIZED VIEW CONCURRENTLY of a view without a usable unique index, or never populated, fails",
	Doc: `BLOCK: a concurrent refresh matches the new rows to the old ones through a unique
index, so PostgreSQL refuses it on a materialized view without one ("cannot refresh
materialized view ... concurrently": the index must be unique, on plain columns, with
no WHERE clause), and on a view created ` + "`WITH NO DATA`" + ` and not refreshed since
("CONCURRENTLY cannot be used when the materialized view is not populated"). The
migration stops at that statement.

**Safe pattern.** Create the unique index first (` + "`CREATE UNIQUE INDEX CONCURRENTLY`" + `,
on columns that identify a row of the view); populate a new view with a plain
` + "`REFRESH MATERIALIZED VIEW`" + ` (nobody reads it yet) before any concurrent one.

**Passes when** the catalog replayed from the migrations shows a usable unique index on
the view, or does not know the view (made outside the migrations). A view is taken to be
populated unless this file created it ` + "`WITH NO DATA`" + ` and has not refreshed it plainly since.

` + "```sql" + `
CREATE MATERIALIZED VIEW daily_totals AS SELECT day, sum(total) AS total FROM orders GROUP BY day;
REFRESH MATERIALIZED VIEW CONCURRENTLY daily_totals;  -- BLOCK: no unique index
-- good
CREATE UNIQUE INDEX daily_totals_day ON daily_totals (day);
REFRESH MATERIALIZED VIEW CONCURRENTLY daily_totals;
` + "```",
	Check: func(p *Pass) {
		for _, part := range p.Locks.Parts {
			if part.Shape != locks.RefreshMatViewConcurrently {
				continue
			}
			mv, ok := p.State.Catalog.Relation(project.TreeName(part.Table))
			// Uncertain since its own creation only means its columns were not listed
			// (a query the replay cannot type); its indexes are still all known.
			if !ok || mv.Kind != project.MatView || mv.Partial || mv.Uncertain && mv.UncertainSince != mv.Origin.Seq {
				continue
			}
			var msg string
			switch {
			case !hasUsableUniqueIndex(p.State.Catalog, mv):
				msg = fmt.Sprintf("REFRESH MATERIALIZED VIEW CONCURRENTLY %s fails: it has no unique index on plain columns without a WHERE clause (\"cannot refresh materialized view ... concurrently\")", part.Table)
			case !mv.FromQuery && p.State.New(part.Table) == CreatedHere && !refreshedBefore(p, mv):
				msg = fmt.Sprintf("REFRESH MATERIALIZED VIEW CONCURRENTLY %s fails: it was created WITH NO DATA and is not populated yet (\"CONCURRENTLY cannot be used when the materialized view is not populated\")", part.Table)
			default:
				continue
			}
			start, end, ok := p.Keyword("CONCURRENTLY")
			if !ok {
				start, end = p.Whole()
			}
			p.Report(Diagnostic{Start: start, End: end, Message: msg,
				Help: "Create a unique index on columns that identify the view's rows first, and populate a new view with a plain REFRESH before refreshing it concurrently."})
		}
	},
}

// hasUsableUniqueIndex: PostgreSQL's concurrent refresh needs a valid unique index
// whose keys are all plain columns and which has no predicate.
func hasUsableUniqueIndex(c *project.Catalog, mv *project.Relation) bool {
	for _, ix := range c.IndexesOf(mv) {
		if i := ix.Index; i != nil && i.Unique && i.Valid && !i.Partial && !slices.Contains(i.Columns, "") {
			return true
		}
	}
	return false
}

// refreshedBefore reports a plain REFRESH of the view earlier in the file, which
// populates one created WITH NO DATA.
func refreshedBefore(p *Pass, mv *project.Relation) bool {
	for _, st := range p.File.Statements {
		if st.Index >= p.Stmt.Index {
			break
		}
		if rm := st.Node.GetRefreshMatViewStmt(); rm != nil && !rm.Concurrent && !rm.SkipData {
			if r, ok := p.State.Catalog.Relation(project.TreeName(sqlast.RangeVarName(rm.Relation))); ok && r.ID == mv.ID {
				return true
			}
		}
	}
	return false
}

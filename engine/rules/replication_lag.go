package rules

import (
	"fmt"
	"time"

	pg "github.com/pganalyze/pg_query_go/v5"

	"github.com/migsafe/migsafe/engine/estimate"
	"github.com/migsafe/migsafe/engine/locks"
)

// ReplicationLagRule finds statements whose WAL-heavy work on a table of known size is
// estimated to outlast replication_lag_seconds.
var ReplicationLagRule = &Rule{
	ID:       "replication-lag",
	Category: ReplicationLag,
	Status:   Flag,
	Severity: Performance,
	Summary:  "a rewrite, index build or backfill on a large table that replicas must replay",
	Doc: `FLAG: a rewrite, an index build and a whole-table UPDATE or DELETE write the table's
size in WAL, which every physical replica replays with a single process and every
logical subscriber must decode. While they catch up, reads from replicas are stale (or,
for a synchronous standby, commits on the primary wait), and ACCESS EXCLUSIVE locks are
replayed too, so a rewrite blocks replica reads as well. Whether the lag is acceptable
depends on who reads the replicas: a FLAG with the estimate.

The estimate comes from the table's configured size (` + "`[tables]`" + ` or the stats file) and
wide throughput ranges (` + "`migsafe explain`" + ` the other rules for the lock side); the slow end
is compared with ` + "`replication_lag_seconds`" + ` (default 60). **No finding when the size is
unknown**: the lock-contention rules already treat an unknown table as large, and a
guess would only add noise. Validation scans (VALIDATE CONSTRAINT, SET NOT NULL) write
no WAL and are not reported. An UPDATE or DELETE is estimated as whole-table when it
has no WHERE clause or only ` + "`col IS NULL`" + ` tests (the shape of a backfill); others touch an
unknown share of the rows.

**Safe pattern.** Batch backfills (a few thousand rows per transaction, pausing while
replicas lag), build indexes concurrently in off-peak hours, and watch
` + "`pg_stat_replication.replay_lag`" + ` while the migration runs.`,
	Check: func(p *Pass) {
		worst := time.Duration(0)
		var at locks.Part
		var work estimate.Work
		var rows int64
		for _, part := range p.Locks.Parts {
			w, ok := walWork(p, part)
			table := part.WorkTable()
			if !ok || table == "" || p.IsNew(table) || p.IndexExists(p.Stmt.Node.GetIndexStmt()) {
				continue
			}
			n, known := p.Config.Rows(table)
			if !known {
				continue
			}
			if r := estimate.For(w, n); r.Max > worst {
				worst, at, work, rows = r.Max, part, w, n
			}
		}
		limit := time.Duration(p.Config.ReplicationLagSeconds * float64(time.Second))
		if worst <= limit {
			return
		}
		start, end := p.Lead(2)
		if at.Loc >= 0 {
			start = p.Stmt.Pos(at.Loc)
			end = p.ClauseEnd(start)
		}
		p.Report(Diagnostic{Start: start, End: end,
			Message: fmt.Sprintf("%s of %s at ~%s rows takes %s, above replication_lag_seconds = %g: replicas replay its WAL and fall that far behind", work, at.WorkTable(), estimate.Rows(rows), estimate.For(work, rows), p.Config.ReplicationLagSeconds),
			Help:    "Batch the work (or build the index concurrently off-peak) and watch pg_stat_replication.replay_lag while it runs."})
	},
}

// walWork says which per-row work of a part writes WAL for the whole table: rewrites,
// index builds, whole-table backfills and unbounded bulk copies. Validation scans
// write none.
func walWork(p *Pass, part locks.Part) (estimate.Work, bool) {
	switch w := part.Facts.Work; w {
	case estimate.Rewrite, estimate.IndexBuild:
		return w, true
	case estimate.Backfill:
		return w, wholeTable(p.Stmt.Node) && !locks.IsSystemCatalog(part.Table)
	case estimate.BulkCopy:
		return w, !copyBounded(p.Stmt.Node.GetInsertStmt())
	}
	return estimate.None, false
}

// wholeTable reports an UPDATE or DELETE with no WHERE, or one whose WHERE only tests
// columns for NULL: the backfill shape, which touches every row not yet filled.
func wholeTable(n *pg.Node) bool {
	var where *pg.Node
	switch {
	case n.GetUpdateStmt() != nil:
		where = n.GetUpdateStmt().WhereClause
	case n.GetDeleteStmt() != nil:
		where = n.GetDeleteStmt().WhereClause
	}
	return where == nil || onlyNullTests(where)
}

func onlyNullTests(n *pg.Node) bool {
	if n.GetNullTest() != nil {
		return true
	}
	if b := n.GetBoolExpr(); b != nil && b.Boolop != pg.BoolExprType_NOT_EXPR {
		for _, a := range b.Args {
			if !onlyNullTests(a) {
				return false
			}
		}
		return true
	}
	return false
}

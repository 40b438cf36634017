package rules

import (
	pg "github.com/pganalyze/pg_query_go/v5"

	"github.com/migsafe/migsafe/engine/locks"
)

// UnbatchedBulkCopy finds INSERT ... SELECT statements that copy every row of an
// existing table in one statement.
var UnbatchedBulkCopy = &Rule{
	ID:       "unbatched-bulk-copy",
	Category: ConcurrentWriteHazards,
	Status:   Flag,
	Severity: Performance,
	Summary:  "INSERT ... SELECT copies every row of an existing table in one statement instead of bounded batches",
	Doc: `FLAG: ` + "`INSERT INTO copy SELECT ... FROM big_table`" + ` reads the whole source and writes
every row, with its index entries and WAL, in one transaction. The locks are mild (ROW
EXCLUSIVE on the target, ACCESS SHARE on the source), so ordinary traffic goes on, but
the transaction stays open for the whole copy: VACUUM cannot remove dead rows anywhere
in the database while it runs, the WAL burst makes replicas lag, any lock the migration
took earlier in the same transaction is held throughout, and a failure near the end
rolls every row back, so the migration cannot resume. How long it takes depends on the
source's size, which the author must weigh: a FLAG, with the estimate when the size is
known (` + "`[tables]`" + ` or the stats file).

**Safe pattern: batched, idempotent, resumable.** Copy a bounded key range per
statement, each batch in its own short transaction, skipping rows already copied so a
re-run resumes:

` + "```sql" + `
-- good
-- repeat for id ranges until the source is exhausted (from a script or a job)
INSERT INTO orders_archive
SELECT * FROM orders WHERE id >= $1 AND id < $1 + 10000
ON CONFLICT (id) DO NOTHING;
` + "```" + `

A copy is bounded to a batch when its SELECT has a LIMIT or a key range in its WHERE
(as for ` + "`unbatched-backfill`" + `).

**Passes when** every source table was created earlier in the same migration, or its
configured size is below ` + "`small_table_rows`" + `, and for
` + "`INSERT ... VALUES`" + ` and a SELECT of constants or ` + "`generate_series`" + `, which read no table.`,
	Check: func(p *Pass) {
		ins := p.Stmt.Node.GetInsertStmt()
		if ins == nil || copyBounded(ins) {
			return
		}
		var sources []locks.Part
		for _, part := range p.Locks.Parts {
			if part.Shape == locks.InsertSelect && p.LockDurationMatters(part.Other) && !locks.IsSystemCatalog(part.Other) {
				sources = append(sources, part)
			}
		}
		if len(sources) == 0 {
			return
		}
		// The estimate follows the largest source of known size.
		at, largest := sources[0], int64(-1)
		for _, part := range sources {
			if n, ok := p.Config.Rows(part.Other); ok && n > largest {
				at, largest = part, n
			}
		}
		target := at.Table
		// With a WHERE the copy is of what it selects, not of every row: how much that
		// is, only the author knows.
		sel := ins.SelectStmt.GetSelectStmt()
		filtered := sel != nil && sel.WhereClause != nil
		what := "copies every row of " + at.Other
		switch {
		case filtered && len(sources) > 1:
			what = "copies what its WHERE selects from " + joinNames(sources)
		case filtered:
			what = "copies the rows of " + at.Other + " its WHERE selects"
		case len(sources) > 1:
			what = "reads every row of " + joinNames(sources)
		}
		msg := "INSERT ... SELECT " + what + " into " + target + " in one statement: the transaction stays open for the whole copy (VACUUM cannot clean up meanwhile, replicas lag behind its WAL, and a failure rolls all of it back)"
		if d := p.PartDuration(at); d != "" {
			msg += " (" + d + ")"
		}
		if filtered {
			msg = Verify("the WHERE selects only a few rows, or batch it: " + msg)
		}
		start, end, ok := p.Keyword("SELECT")
		if ok {
			end = stmtEnd(p)
		} else {
			start, end = p.Stmt.Start, stmtEnd(p)
		}
		l, _ := OtherLock(at)
		p.Report(Diagnostic{Start: start, End: end, Lock: &l, Message: msg,
			Help: "Copy in bounded key ranges, each its own transaction (WHERE id >= $1 AND id < $1 + 10000, with ON CONFLICT DO NOTHING so a re-run resumes), from a script or job rather than one migration transaction."})
	},
}

// copyBounded reports an INSERT ... SELECT bounded to a batch: a LIMIT, or a key
// range in the WHERE (on every branch of a UNION without an overall LIMIT).
func copyBounded(ins *pg.InsertStmt) bool {
	if ins == nil {
		return false
	}
	var bounded func(sel *pg.SelectStmt) bool
	bounded = func(sel *pg.SelectStmt) bool {
		switch {
		case sel == nil:
			return false
		case sel.LimitCount != nil:
			return true
		case sel.Op != pg.SetOperation_SETOP_NONE:
			return bounded(sel.Larg) && bounded(sel.Rarg)
		}
		return sel.WhereClause != nil && batchBounded(sel.WhereClause)
	}
	return bounded(ins.SelectStmt.GetSelectStmt())
}

func joinNames(parts []locks.Part) string {
	s := ""
	for i, part := range parts {
		switch {
		case i == 0:
		case i == len(parts)-1:
			s += " and "
		default:
			s += ", "
		}
		s += part.Other
	}
	return s
}

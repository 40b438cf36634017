package rules

import (
	"strings"

	pg "github.com/pganalyze/pg_query_go/v5"

	"github.com/migsafe/migsafe/engine/estimate"
	"github.com/migsafe/migsafe/engine/locks"
	"github.com/migsafe/migsafe/engine/sqlast"
)

// UnbatchedBackfill finds UPDATE and DELETE statements on existing tables that are not
// bounded to a batch.
var UnbatchedBackfill = &Rule{
	ID:       "unbatched-backfill",
	Category: ConcurrentWriteHazards,
	Status:   Flag,
	Severity: Downtime,
	Summary:  "UPDATE or DELETE of an existing table in one statement instead of bounded batches",
	Doc: `FLAG when the statement has a WHERE clause that does not bound it to a batch: the
WHERE may well select a handful of rows, which migsafe cannot know, so the author must
verify it. BLOCK for an UPDATE with no WHERE at all on a large or unknown-size table:
it rewrites every row in one transaction, and that is an incident. Every updated row
stays locked until the statement commits, so any application write to any of those
rows waits for the whole backfill; the table doubles in size with dead tuples; the WAL
burst makes replicas lag; and a failure half-way rolls everything back, so the
migration cannot resume. (DELETE with no WHERE is ` + "`delete-without-where`" + `.)

**Safe pattern: batched, idempotent, resumable.** Update a bounded slice of rows per
statement, each batch in its own short transaction, selecting only rows that still
need the change so a re-run skips finished work:

` + "```sql" + `
-- good
-- repeat until it updates 0 rows (from a script or a job, not one migration transaction)
UPDATE users SET email_lower = lower(email)
WHERE id IN (SELECT id FROM users WHERE email_lower IS NULL ORDER BY id LIMIT 5000);
-- or walk the key range: WHERE id >= $1 AND id < $1 + 5000 AND email_lower IS NULL
` + "```" + `

A statement is bounded to a batch when its WHERE has a key range (` + "`<`, `<=`, `>`, `>=`" + `,
` + "`BETWEEN`" + ` against a constant or parameter) or an ` + "`IN (SELECT ... LIMIT n)`" + `
subquery. Pause between batches so replicas keep up and autovacuum can reclaim space.

**Passes when** the table is new (created earlier in the same migration, or by a
migration that is not deployed yet), its configured
size is below ` + "`small_table_rows`" + `, or it is a system catalog (` + "`UPDATE pg_catalog.pg_enum`" + `,
` + "`UPDATE pg_attribute`" + `): changing catalog rows is not a backfill.`,
	Check: func(p *Pass) {
		var table string
		var where *pg.Node
		var isUpdate bool
		switch {
		case p.Stmt.Node.GetUpdateStmt() != nil:
			u := p.Stmt.Node.GetUpdateStmt()
			table, where, isUpdate = sqlast.RangeVarName(u.Relation), u.WhereClause, true
		case p.Stmt.Node.GetDeleteStmt() != nil:
			d := p.Stmt.Node.GetDeleteStmt()
			table, where = sqlast.RangeVarName(d.Relation), d.WhereClause
			if where == nil {
				return // delete-without-where
			}
		default:
			return
		}
		// Rows of a system catalog (UPDATE pg_enum, DELETE FROM pg_statistic) are catalog
		// surgery, not application data to backfill.
		if !p.LockDurationMatters(table) || batchBounded(where) || locks.IsSystemCatalog(table) {
			return
		}
		verb := "DELETE"
		if isUpdate {
			verb = "UPDATE"
		}
		var l *locks.Lock
		if lk := p.LockOn(table); lk != nil {
			l = lk
		}
		rowLocks := "every row it changes stays row-locked until it commits, so application writes to those rows wait for all of it"
		if l != nil {
			rowLocks = "the statement " + Impact(*l) + ", but " + rowLocks
		}
		help := "Backfill in bounded batches, each its own transaction: WHERE id IN (SELECT id FROM t WHERE <not yet done> ORDER BY id LIMIT 5000), repeated until no row changes."
		d := p.Duration(table, estimate.Backfill)
		if where == nil {
			start, end := p.Stmt.Start, stmtEnd(p)
			msg := "UPDATE of every row of " + table + " in one statement: " + rowLocks
			if d != "" {
				msg += " (" + d + ")"
			}
			p.Report(Diagnostic{Fixes: p.Fixes(batchJobFixes), Start: start, End: end, Lock: l, Status: StatusPtr(Block), Message: msg, Help: help})
			return
		}
		start, end, ok := p.Keyword("WHERE")
		if ok {
			end = stmtEnd(p)
		} else {
			start, end = p.Whole()
		}
		msg := verb + " of " + table + " is not bounded to a batch: if the WHERE matches many rows, " + rowLocks
		if d != "" {
			msg += " (if it matches every row: " + d + ")"
		}
		p.Report(Diagnostic{Fixes: p.Fixes(batchJobFixes), Start: start, End: end, Lock: l, Message: Verify("the WHERE selects only a few rows, or batch it: " + msg), Help: help})
	},
}

// batchBounded reports a WHERE clause that limits the statement to a batch: a key
// range or an IN/ANY subquery with LIMIT.
func batchBounded(where *pg.Node) bool {
	bounded := false
	sqlast.Walk(where, func(n *pg.Node) {
		if e := n.GetAExpr(); e != nil {
			switch e.Kind {
			case pg.A_Expr_Kind_AEXPR_BETWEEN, pg.A_Expr_Kind_AEXPR_NOT_BETWEEN:
				bounded = true
			case pg.A_Expr_Kind_AEXPR_OP:
				switch sqlast.LastName(e.Name) {
				case "<", "<=", ">", ">=":
					if isColumn(e.Lexpr) && isValue(e.Rexpr) || isColumn(e.Rexpr) && isValue(e.Lexpr) {
						bounded = true
					}
				case "=":
					// A primary-key lookup touches one row.
					if isKeyColumn(e.Lexpr) && isValue(e.Rexpr) || isKeyColumn(e.Rexpr) && isValue(e.Lexpr) {
						bounded = true
					}
				}
			case pg.A_Expr_Kind_AEXPR_IN:
				if l := e.Rexpr.GetList(); isKeyColumn(e.Lexpr) && l != nil && len(l.Items) <= 10000 {
					bounded = true
				}
			}
		}
		if sl := n.GetSubLink(); sl != nil {
			if sel := sl.Subselect.GetSelectStmt(); sel != nil && sel.LimitCount != nil {
				bounded = true
			}
		}
	})
	return bounded
}

func isColumn(n *pg.Node) bool { return n.GetColumnRef() != nil }

// isKeyColumn: a column named id, the conventional surrogate primary key.
func isKeyColumn(n *pg.Node) bool {
	cr := n.GetColumnRef()
	return cr != nil && strings.EqualFold(sqlast.LastName(cr.Fields), "id")
}

// isValue: a constant, a parameter, or a cast of either.
func isValue(n *pg.Node) bool {
	if tc := n.GetTypeCast(); tc != nil {
		return isValue(tc.Arg)
	}
	return n.GetAConst() != nil || n.GetParamRef() != nil
}

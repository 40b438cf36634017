package rules

import (
	"fmt"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v5"

	ca "github.com/migsafe/migsafe/codeactions"
	"github.com/migsafe/migsafe/engine/locks"
	"github.com/migsafe/migsafe/engine/sqlast"
)

// batchJobFixes, the fix of unbatched-backfill and delete-without-where, replaces an
// UPDATE or DELETE of every matching row in one transaction by a batch job (see
// codeactions.BatchJob): batch_size rows per transaction, a pause between batches, its
// progress kept so that it resumes, run outside the migration's transaction. It is
// offered where the statement's meaning survives batching: no FROM, WITH, RETURNING,
// USING or WHERE CURRENT OF. Idempotence comes from the table's primary key when it
// has one; the job also skips rows that already have the new values where that
// converges (no volatile or time-dependent value).
func batchJobFixes(s ca.Site) []ca.Fix {
	if s.PG() < 11 {
		return nil
	}
	var job ca.Job
	var what string
	switch {
	case s.Stmt.Node.GetUpdateStmt() != nil:
		u := s.Stmt.Node.GetUpdateStmt()
		if len(u.FromClause) > 0 || u.WithClause != nil || len(u.ReturningList) > 0 || u.Relation == nil {
			return nil
		}
		for _, t := range u.TargetList {
			rt := t.GetResTarget()
			if rt == nil || len(rt.Indirection) > 0 || rt.Val.GetSetToDefault() != nil || rt.Val.GetMultiAssignRef() != nil {
				return nil
			}
		}
		if s.TitlesOnly {
			// The title needs only to know that the values and the WHERE can be written
			// back: one deparse of them all says so for each.
			exprs := []*pg.Node{u.WhereClause}
			for _, t := range u.TargetList {
				exprs = append(exprs, t.GetResTarget().Val)
			}
			if len(u.TargetList) == 0 || currentOf(u.WhereClause) || !ca.Deparses(exprs...) {
				return nil
			}
			what = "update"
			break
		}
		var sets, needs []string
		converges := true
		for _, t := range u.TargetList {
			rt := t.GetResTarget()
			v, ok := ca.DeparseExpr(rt.Val)
			if !ok {
				return nil
			}
			sets = append(sets, ca.Ident(rt.Name)+" = "+v)
			if converges = converges && settles(rt.Val, rt.Name); converges {
				needs = append(needs, fmt.Sprintf("%s IS DISTINCT FROM (%s)", ca.Ident(rt.Name), v))
			}
		}
		if len(sets) == 0 {
			return nil
		}
		job = ca.Job{Table: ca.Relation(u.Relation), Alias: u.Relation.GetAlias().GetAliasname(), Set: strings.Join(sets, ", "), Converges: converges}
		if converges {
			job.Needs = strings.Join(needs, " OR ")
		}
		if !condition(u.WhereClause, &job.Where) {
			return nil
		}
		what = "update"
	case s.Stmt.Node.GetDeleteStmt() != nil:
		d := s.Stmt.Node.GetDeleteStmt()
		if len(d.UsingClause) > 0 || d.WithClause != nil || len(d.ReturningList) > 0 || d.Relation == nil {
			return nil
		}
		job = ca.Job{Table: ca.Relation(d.Relation), Alias: d.Relation.GetAlias().GetAliasname(), Converges: true}
		if s.TitlesOnly && (currentOf(d.WhereClause) || !ca.Deparses(d.WhereClause)) ||
			!s.TitlesOnly && !condition(d.WhereClause, &job.Where) {
			return nil
		}
		what = "delete"
	default:
		return nil
	}
	text := ""
	if !s.TitlesOnly {
		job.Name = jobName(s, job.Table+" batch "+what)
		text = ca.Lines(ca.BatchJobNote(fmt.Sprintf("The %s of %s, in batches", strings.ToUpper(what), job.Table)), ca.BatchJob(s.Config, job))
	}
	return noTransactionFixes(s, strings.TrimSuffix(text, "\n"), fmt.Sprintf("Run the %s as a batch job: %d rows per transaction, resumable, outside the migration's transaction", strings.ToUpper(what), s.Config.BatchSize), "batch_"+what)
}

// condition deparses a WHERE clause into *out; false where batching would change what
// it means (WHERE CURRENT OF a cursor).
func condition(where *pg.Node, out *string) bool {
	if where == nil {
		return true
	}
	if currentOf(where) {
		return false
	}
	var ok bool
	*out, ok = ca.DeparseExpr(where)
	return ok
}

func currentOf(where *pg.Node) bool {
	return where != nil && ca.Contains(where, func(n *pg.Node) bool { return n.GetCurrentOfExpr() != nil })
}

// settles reports whether "col IS DISTINCT FROM value" stops matching once a row is
// updated: false for volatile functions and for the time, which moves on with every
// batch's transaction, for values that read the column they set (n = n + 1), and for
// subqueries.
func settles(v *pg.Node, column string) bool {
	if v == nil || locks.IsVolatile(v) {
		return false
	}
	return !ca.Contains(v, func(n *pg.Node) bool {
		if n.GetSqlvalueFunction() != nil || n.GetSubLink() != nil {
			return true
		}
		if cr := n.GetColumnRef(); cr != nil && strings.EqualFold(sqlast.LastName(cr.Fields), column) {
			return true
		}
		if fc := n.GetFuncCall(); fc != nil {
			switch strings.ToLower(sqlast.LastName(fc.Funcname)) {
			case "now", "transaction_timestamp", "statement_timestamp", "clock_timestamp", "timeofday":
				return true
			}
		}
		return false
	})
}

// noTransactionFixes replaces the statement by text that must run outside a
// transaction block: in place when it already does, otherwise by turning the runner's
// transaction off, or moving it to a phase of its own right after this migration.
func noTransactionFixes(s ca.Site, text, title, phase string) []ca.Fix {
	if !s.Stmt.Tx.In() && alone(s) || !s.SharesTx() {
		return []ca.Fix{{Title: title, Kind: "quickfix", Preferred: true, Edits: []ca.Edit{s.Replace(s.Block(text))}}}
	}
	var fixes []ca.Fix
	if edits, files, ok := noTransaction(s, 1); ok {
		fixes = append(fixes, ca.Fix{Title: title + ", in this migration run without a transaction", Kind: "quickfix",
			Preferred: true, Edits: append(edits, s.Replace(s.Block(text))), Files: files})
	}
	phased := ca.Fix{Title: title + ", in a phase of its own", Kind: "refactor.rewrite", Preferred: len(fixes) == 0}
	if s.TitlesOnly {
		return append(fixes, phased)
	}
	// What the migration's down did to undo the data change (an UPDATE of the same
	// table) goes with the phase: undone by this migration's down after the job ran in
	// part (sqitch reverts a run's changes when one fails), it would undo rows the job
	// never changed.
	var down []string
	match := func(n *pg.Node) bool {
		u := n.GetUpdateStmt()
		return u != nil && u.Relation != nil && strings.EqualFold(sqlast.RangeVarName(u.Relation), sqlast.RangeVarName(dataTable(s)))
	}
	for _, st := range s.File.Down.Statements {
		if st.Node != nil && match(st.Node) {
			down = append(down, strings.TrimSpace(st.Text))
		}
	}
	edits := []ca.Edit{s.MoveOut("the statement runs as a batch job in the next migration")}
	var others []ca.FileEdit
	if len(down) > 0 {
		inFile, o := s.DownEdits(ca.Undo{Match: match, Stmts: []string{"-- Undone by the down of the batch job's phase."}})
		edits, others = append(edits, inFile...), o
	}
	phased.Edits, phased.Others = edits, others
	phased.Phases = []ca.Phase{{Name: phase, Up: ca.Lines(text), Down: linesOrNone(down), NoTx: true}}
	return append(fixes, phased)
}

// dataTable is the table an UPDATE or DELETE changes.
func dataTable(s ca.Site) *pg.RangeVar {
	if u := s.Stmt.Node.GetUpdateStmt(); u != nil {
		return u.Relation
	}
	return s.Stmt.Node.GetDeleteStmt().GetRelation()
}

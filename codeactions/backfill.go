package codeactions

import (
	"fmt"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v5"

	"github.com/migsafe/migsafe/engine"
	"github.com/migsafe/migsafe/engine/locks"
	"github.com/migsafe/migsafe/engine/sqlast"
)

// batchSize is the rows updated per transaction by the batched backfills.
const batchSize = 1000

// batchNote heads every batched backfill: what the loop needs to run at all.
const batchNote = "-- Batched backfill: each batch commits on its own (COMMIT in a DO block needs PostgreSQL 11+\n" +
	"-- and fails inside a transaction block, so this runs in a migration without one). It is\n" +
	"-- idempotent and resumable: a batch only picks rows that still need the change, so a\n" +
	"-- rerun after a failure continues where it stopped."

// batched is a DO block that applies sets (col = value) to table in batches of
// batchSize rows, each committed, until no row matches cond (may be "") and needs
// (the idempotence condition: the row does not have the new values yet).
func batched(table, sets, cond, needs string) string {
	where := "(" + needs + ")"
	if cond != "" {
		where = "(" + cond + ") AND " + where
	}
	return strings.Join([]string{
		batchNote,
		"DO $migsafe$",
		"DECLARE",
		"  batch_rows bigint;",
		"BEGIN",
		"  LOOP",
		"    UPDATE " + table + " SET " + sets,
		"    WHERE ctid = ANY (ARRAY(",
		"        SELECT ctid FROM " + table,
		"        WHERE " + where,
		fmt.Sprintf("        LIMIT %d))", batchSize),
		"      AND " + where + ";",
		"    GET DIAGNOSTICS batch_rows = ROW_COUNT;",
		"    EXIT WHEN batch_rows = 0;",
		"    COMMIT;",
		"  END LOOP;",
		"END",
		"$migsafe$;",
	}, "\n")
}

// backfillFixes replaces an UPDATE of every matching row in one transaction by the
// batched loop. The idempotence condition is built from the SET list
// (col IS DISTINCT FROM value), so it is offered only where that converges: values
// without volatile or time-dependent functions, plain columns, no FROM/WITH/RETURNING.
func backfillFixes(s site) []engine.Fix {
	u := s.st.Node.GetUpdateStmt()
	if u == nil || s.res.Config.PGVersion < 11 || len(u.FromClause) > 0 || u.WithClause != nil || len(u.ReturningList) > 0 || u.Relation == nil {
		return nil
	}
	var sets, needs []string
	for _, t := range u.TargetList {
		rt := t.GetResTarget()
		if rt == nil || len(rt.Indirection) > 0 || !converges(rt.Val) {
			return nil
		}
		v, ok := deparseExpr(rt.Val)
		if !ok {
			return nil
		}
		sets = append(sets, ident(rt.Name)+" = "+v)
		needs = append(needs, fmt.Sprintf("%s IS DISTINCT FROM (%s)", ident(rt.Name), v))
	}
	if len(sets) == 0 {
		return nil
	}
	cond := ""
	if u.WhereClause != nil {
		if contains(u.WhereClause, func(n *pg.Node) bool { return n.GetCurrentOfExpr() != nil }) {
			return nil
		}
		var ok bool
		if cond, ok = deparseExpr(u.WhereClause); !ok {
			return nil
		}
	}
	table := relation(u.Relation)
	if a := u.Relation.GetAlias().GetAliasname(); a != "" {
		table += " AS " + ident(a)
	}
	loop := s.block(batched(table, strings.Join(sets, ", "), cond, strings.Join(needs, " OR ")))
	return noTransactionFixes(s, loop, "Batch the backfill: idempotent, resumable, one commit per batch")
}

// noTransactionFixes replaces the statement by text that must run outside a
// transaction block: in place when it already does, otherwise by turning the runner's
// transaction off or moving it to a follow-up migration of its own.
func noTransactionFixes(s site, text, title string) []engine.Fix {
	if !s.st.Tx.In() {
		return []engine.Fix{{Title: title, Kind: "quickfix", Preferred: true, Edits: []engine.Edit{s.replace(text)}}}
	}
	var fixes []engine.Fix
	if edits, files, ok := noTransaction(s, 1); ok {
		fixes = append(fixes, engine.Fix{Title: title + ", in this migration run without a transaction", Kind: "quickfix",
			Preferred: true, Edits: append(edits, s.replace(text)), NewFiles: files})
	}
	return append(fixes, engine.Fix{
		Title:     title + ", in a migration of its own without a transaction",
		Kind:      "refactor.rewrite",
		Preferred: len(fixes) == 0,
		Edits:     []engine.Edit{s.remove()},
		NewFiles:  followUps(s.res, []step{{suffix: "backfill", up: lines(text), noTx: true}}),
	})
}

// converges reports whether "col IS DISTINCT FROM value" stops matching once a row is
// updated: false for volatile functions and for the time, which moves on with every
// batch's transaction, and for DEFAULT.
func converges(v *pg.Node) bool {
	if v == nil || locks.IsVolatile(v) {
		return false
	}
	return !contains(v, func(n *pg.Node) bool {
		if n.GetSqlvalueFunction() != nil || n.GetSetToDefault() != nil {
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

// volatileDefaultFixes splits ADD COLUMN ... DEFAULT volatile() (a table rewrite under
// ACCESS EXCLUSIVE) into an instant nullable ADD COLUMN, SET DEFAULT for new rows (no
// rewrite), and a batched backfill of the existing rows; a NOT NULL on the column
// follows as the phased NOT NULL. Before PostgreSQL 11 even a constant default
// rewrites, and a DO block cannot commit its batches, so nothing is offered there.
func volatileDefaultFixes(s site) []engine.Fix {
	at, cmds := alterTable(s.st)
	if at == nil || s.res.Config.PGVersion < 11 {
		return nil
	}
	var cuts []engine.Edit
	var setDefaults, fills, checks, sets []string
	table := relation(at.Relation)
	for _, cmd := range cmds {
		cd := cmd.GetDef().GetColumnDef()
		if cmd.Subtype != pg.AlterTableType_AT_AddColumn || cd == nil {
			continue
		}
		for i, n := range cd.Constraints {
			c := n.GetConstraint()
			switch c.GetContype() {
			case pg.ConstrType_CONSTR_DEFAULT:
				if !locks.IsVolatile(c.RawExpr) {
					continue
				}
				start, end, ok := constraintSpan(s, cd, i)
				ti := s.tokenAt(start)
				if !ok || ti+1 >= len(s.st.Tokens) || s.st.Tokens[ti+1].Start >= end {
					return nil
				}
				expr := s.text[s.st.Tokens[ti+1].Start:end]
				cuts = append(cuts, s.cut(start, end))
				col := ident(cd.Colname)
				setDefaults = append(setDefaults, fmt.Sprintf("ALTER TABLE %s ALTER COLUMN %s SET DEFAULT %s;", table, col, expr))
				fills = append(fills, s.block(batched(table, col+" = "+expr, "", col+" IS NULL")))
				if hasConstraint(cd, pg.ConstrType_CONSTR_NOTNULL) {
					p := newNotNullPhases(s, at.Relation, cd.Colname)
					checks = append(checks, p.addCheck())
					sets = append(sets, p.validate())
					sets = append(sets, p.setNotNull()...)
				}
			case pg.ConstrType_CONSTR_NOTNULL:
				if hasVolatileDefault(cd) {
					start, end, ok := constraintSpan(s, cd, i)
					if !ok {
						return nil
					}
					cuts = append(cuts, s.cut(start, end))
				}
			}
		}
	}
	if len(fills) == 0 {
		return nil
	}
	title := "Add the column without its default, SET DEFAULT for new rows, and backfill existing rows in batches"
	if !s.sharesTx() {
		all := append(append(append(setDefaults, fills...), checks...), sets...)
		return []engine.Fix{{Title: title, Kind: "quickfix", Preferred: true, Edits: append(cuts, s.after(all...))}}
	}
	steps := []step{{suffix: "backfill", up: lines(fills...), noTx: true}}
	if len(checks) > 0 {
		steps = append(steps, step{suffix: "not_null_check", up: lines(checks...)}, step{suffix: "set_not_null", up: lines(sets...)})
	}
	return []engine.Fix{{
		Title:     title + " (in follow-up migrations without a transaction)",
		Kind:      "refactor.rewrite",
		Preferred: true,
		Edits:     append(cuts, s.after(setDefaults...)),
		NewFiles:  s.vouch(followUps(s.res, steps)),
	}}
}

func hasVolatileDefault(cd *pg.ColumnDef) bool {
	for _, n := range cd.Constraints {
		if c := n.GetConstraint(); c.GetContype() == pg.ConstrType_CONSTR_DEFAULT && locks.IsVolatile(c.RawExpr) {
			return true
		}
	}
	return false
}

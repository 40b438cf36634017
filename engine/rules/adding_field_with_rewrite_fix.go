package rules

import (
	"fmt"

	pg "github.com/pganalyze/pg_query_go/v5"

	ca "github.com/migsafe/migsafe/codeactions"
	"github.com/migsafe/migsafe/engine/locks"
)

// volatileDefaultFixes splits ADD COLUMN ... DEFAULT volatile() (a table rewrite under
// ACCESS EXCLUSIVE) into an instant nullable ADD COLUMN, SET DEFAULT for new rows (no
// rewrite), and a batch job filling the existing rows; a NOT NULL on the column
// follows as the NOT NULL phases. Before PostgreSQL 11 even a constant default
// rewrites, and a DO block cannot commit its batches, so nothing is offered there.
func volatileDefaultFixes(vouch bool) func(ca.Site) []ca.Fix {
	return func(s ca.Site) []ca.Fix {
		at, cmds := ca.AlterTable(s.Stmt)
		if at == nil || s.PG() < 11 {
			return nil
		}
		var cuts []ca.Edit
		var setDefaults, fills []string
		var nns []ca.NotNull
		table := ca.Relation(at.Relation)
		text := s.Text()
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
					ti := s.TokenAt(start)
					if !ok || ti+1 >= len(s.Stmt.Tokens) || int(s.Stmt.Tokens[ti+1].Start) >= end {
						return nil
					}
					expr := text[s.Stmt.Tokens[ti+1].Start:end]
					cuts = append(cuts, s.Cut(start, end))
					col := ca.Ident(cd.Colname)
					setDefaults = append(setDefaults, fmt.Sprintf("ALTER TABLE %s ALTER COLUMN %s SET DEFAULT %s;", table, col, expr))
					fills = append(fills, ca.BatchJob(s.Config, ca.Job{Name: jobName(s, table+"."+cd.Colname+" backfill"), Table: table,
						Set: col + " = " + expr, Needs: col + " IS NULL", Converges: true}))
					if hasConstraint(cd, pg.ConstrType_CONSTR_NOTNULL) {
						nns = append(nns, ca.NewNotNull(at.Relation, cd.Colname, s.PG()))
					}
				case pg.ConstrType_CONSTR_NOTNULL:
					if hasVolatileDefault(cd) {
						start, end, ok := constraintSpan(s, cd, i)
						if !ok {
							return nil
						}
						cuts = append(cuts, s.Cut(start, end))
					}
				}
			}
		}
		if len(fills) == 0 {
			return nil
		}
		title := "Add the column without its default, SET DEFAULT for new rows, and fill existing rows with a batch job"
		if !s.SharesTx() {
			all := append([]string(nil), setDefaults...)
			for _, f := range fills {
				all = append(all, s.Block(f))
			}
			for _, ph := range notNullPhases(nns, false) {
				if len(nns) > 0 {
					all = append(all, ph.Up)
				}
			}
			return []ca.Fix{{Title: title, Kind: "quickfix", Preferred: true, Edits: append(cuts, s.After(all...))}}
		}
		var phases []ca.Phase
		for i, f := range fills {
			phases = append(phases, ca.Phase{Name: fmt.Sprintf("backfill_%d", i+1), Up: ca.Lines(ca.BatchJobNote("Fill existing rows"), f), NoTx: true})
		}
		if len(nns) > 0 {
			phases = append(phases, notNullPhases(nns, vouch)...)
		}
		return []ca.Fix{{
			Title:     title + " (in phases that follow this migration)",
			Kind:      "refactor.rewrite",
			Preferred: true,
			Edits:     append(cuts, s.After(setDefaults...)),
			Phases:    phases,
		}}
	}
}

func hasVolatileDefault(cd *pg.ColumnDef) bool {
	for _, n := range cd.Constraints {
		if c := n.GetConstraint(); c.GetContype() == pg.ConstrType_CONSTR_DEFAULT && locks.IsVolatile(c.RawExpr) {
			return true
		}
	}
	return false
}

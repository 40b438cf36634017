package runbook

import (
	pg "github.com/pganalyze/pg_query_go/v5"

	"github.com/migsafe/migsafe/engine"
	"github.com/migsafe/migsafe/engine/migration"
	"github.com/migsafe/migsafe/engine/project"
	"github.com/migsafe/migsafe/engine/rules"
)

// stmt is one statement of the up section with what was known before it ran: the
// schema catalog of engine/project as the migration's history and the statements
// before it leave it, and which of the tables and columns it names hold no deployed
// data (created by this migration, or by a migration that is not deployed yet). The
// runbook reads these facts; it never derives them again.
type stmt struct {
	sr *engine.StatementResult
	st *migration.Statement
	// node is the statement's outline (a deferred INSERT's target, else its tree).
	node *pg.Node
	// before is the catalog the statement runs against (a snapshot of its own).
	before *project.Catalog
	// fresh maps a table the statement names (lower-cased as trees spell it) that
	// holds no deployed data to why: "created by this migration", "created by
	// 0003_x.up.sql (pending: not deployed yet)".
	fresh map[string]string
	// freshColumns holds table+"."+column for the columns it drops or retypes that
	// were added by this migration or a pending one.
	freshColumns map[string]bool
}

// createdHere is why a table this migration creates holds no deployed data.
const createdHere = "created by this migration"

// walked is the up section, replayed.
type walked struct {
	stmts []stmt
	// after is the catalog after the up section.
	after *project.Catalog
	// lockTimeout is set when the migration sets a lock_timeout.
	lockTimeout bool
}

// walk replays the up section through the rules' state, as the analysis did: each
// top-level statement (DO bodies' statements are applied after their DO) with the
// catalog before it.
func walk(res *engine.Result) walked {
	var w walked
	state := rules.NewState(res.File.Path, res.History)
	state.KeepEachStep() // each statement's catalog is a snapshot the runbook keeps
	pass := rules.NewPass(nil, res.File, res.Config, state, nil)
	for i := range res.Statements {
		sr := &res.Statements[i]
		st := sr.Stmt
		node := st.Outline()
		if st.Section != migration.Up || st.Err != nil || node == nil {
			continue
		}
		s := stmt{sr: sr, st: st, node: node, before: state.Catalog, fresh: map[string]string{}, freshColumns: map[string]bool{}}
		mark := func(table string) {
			if table == "" {
				return
			}
			if _, done := s.fresh[lower(table)]; done || !pass.IsNew(table) {
				return
			}
			why := createdHere
			if t, ok := state.Table(table); ok && t.Origin.Path != res.File.Path {
				why = res.History.Describe(t.Origin)
			}
			s.fresh[lower(table)] = why
		}
		for _, p := range sr.Locks.Parts {
			mark(p.Table)
			mark(p.Other)
			if p.Cmd != nil && p.Table != "" && pass.NewColumn(p.Table, p.Cmd.Name) {
				s.freshColumns[lower(p.Table)+"."+p.Cmd.Name] = true
			}
		}
		for _, l := range sr.Locks.Locks {
			mark(l.Relation)
		}
		w.stmts = append(w.stmts, s)
		state.Update(st, sr.Locks)
		for _, b := range sr.Body {
			if b.Stmt.Err == nil {
				state.Update(b.Stmt, b.Locks)
			}
		}
		w.lockTimeout = w.lockTimeout || state.LockTimeout
	}
	w.after = state.Catalog
	return w
}

// table is the catalog's table named as in trees, before the statement.
func (s *stmt) table(name string) (*project.Relation, bool) {
	return s.before.Table(project.TreeName(name))
}

// isFresh reports a table of the statement that holds no deployed data.
func (s *stmt) isFresh(table string) bool {
	_, ok := s.fresh[lower(table)]
	return ok
}

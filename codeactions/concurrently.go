package codeactions

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v5"

	"github.com/migsafe/migsafe/engine"
	"github.com/migsafe/migsafe/engine/migration"
)

// concurrentlyAt is where CONCURRENTLY goes in a statement that lacks it: before the
// token that follows INDEX, VIEW or REINDEX's object kind (PostgreSQL's grammar puts
// it before IF [NOT] EXISTS and the name). ok is false when the statement cannot be
// made concurrent: several indexes dropped at once, CASCADE, REFRESH ... WITH NO DATA,
// REINDEX SYSTEM or REINDEX before PostgreSQL 12.
func concurrentlyAt(s site, pgVersion int) (at int, what string, ok bool) {
	n := s.st.Node
	var after string
	switch {
	case n.GetIndexStmt() != nil:
		if n.GetIndexStmt().Concurrent {
			return 0, "", false
		}
		after, what = "INDEX", "CREATE INDEX"
	case n.GetDropStmt() != nil && n.GetDropStmt().RemoveType == pg.ObjectType_OBJECT_INDEX:
		d := n.GetDropStmt()
		if d.Concurrent || len(d.Objects) != 1 || d.Behavior == pg.DropBehavior_DROP_CASCADE {
			return 0, "", false
		}
		after, what = "INDEX", "DROP INDEX"
	case n.GetReindexStmt() != nil:
		r := n.GetReindexStmt()
		if pgVersion < 12 || hasConcurrentOption(r.Params) {
			return 0, "", false
		}
		switch r.Kind {
		case pg.ReindexObjectType_REINDEX_OBJECT_INDEX:
			after = "INDEX"
		case pg.ReindexObjectType_REINDEX_OBJECT_TABLE:
			after = "TABLE"
		case pg.ReindexObjectType_REINDEX_OBJECT_SCHEMA:
			after = "SCHEMA"
		case pg.ReindexObjectType_REINDEX_OBJECT_DATABASE:
			after = "DATABASE"
		default:
			return 0, "", false
		}
		what = "REINDEX"
	case n.GetRefreshMatViewStmt() != nil:
		r := n.GetRefreshMatViewStmt()
		if r.Concurrent || r.SkipData {
			return 0, "", false
		}
		after, what = "VIEW", "REFRESH MATERIALIZED VIEW"
	default:
		return 0, "", false
	}
	for i, t := range s.st.Tokens {
		if strings.EqualFold(s.text[t.Start:t.End], after) && i+1 < len(s.st.Tokens) {
			return s.st.Tokens[i+1].Start, what, true
		}
	}
	return 0, "", false
}

func hasConcurrentOption(params []*pg.Node) bool {
	for _, p := range params {
		if de := p.GetDefElem(); de != nil && strings.EqualFold(de.Defname, "concurrently") {
			return true
		}
	}
	return false
}

// concurrentlyFixes inserts CONCURRENTLY. Outside a transaction that is the whole fix;
// inside one, CONCURRENTLY alone would make the statement fail, so the preferred fix
// moves it where no transaction wraps it, and the bare insertion is still offered.
func concurrentlyFixes(s site) []engine.Fix {
	at, what, ok := concurrentlyAt(s, s.res.Config.PGVersion)
	if !ok {
		return nil
	}
	ins := engine.Edit{Start: at, End: at, NewText: "CONCURRENTLY "}
	inPlace := engine.Fix{
		Title: fmt.Sprintf("Use %s CONCURRENTLY", what),
		Kind:  "quickfix",
		Edits: []engine.Edit{ins},
	}
	if extra := concurrentlyNote(s); extra != "" {
		inPlace.Title += " (" + extra + ")"
	}
	if !s.st.Tx.In() {
		inPlace.Preferred = true
		return []engine.Fix{inPlace}
	}
	inPlace.Title += "; it still runs in a transaction, where CONCURRENTLY fails"
	concurrent := s.text[s.st.Start:at] + "CONCURRENTLY " + s.text[at:s.st.End]
	fixes := outOfTransaction(s, concurrent, []engine.Edit{ins}, what+" CONCURRENTLY")
	return append(fixes, inPlace)
}

func concurrentlyNote(s site) string {
	switch {
	case s.st.Node.GetRefreshMatViewStmt() != nil:
		return "needs a unique index on the view"
	case s.st.Node.GetIndexStmt() != nil:
		return "check afterwards that the index is valid"
	}
	return ""
}

// inTransactionFixes moves a statement that cannot run in a transaction block out of
// the one it runs in.
func inTransactionFixes(s site) []engine.Fix {
	if !s.st.Tx.In() || !s.locks().NoTransaction {
		return nil
	}
	what := "the statement"
	if parts := s.locks().Parts; len(parts) > 0 && parts[0].Shape != nil {
		what = parts[0].Shape.Title
	}
	return outOfTransaction(s, s.st.Text, nil, what)
}

// outOfTransaction gives the statement (rewritten as stmt; inPlace are the edits
// that rewrite it where it stands) a place without a transaction: for a migration
// whose up section holds only this statement, turning the runner's transaction off;
// otherwise a follow-up migration of its own.
func outOfTransaction(s site, stmt string, inPlace []engine.Edit, what string) []engine.Fix {
	if !strings.HasSuffix(stmt, ";") {
		stmt += ";"
	}
	var fixes []engine.Fix
	if edits, files, ok := noTransaction(s, 1); ok {
		title := "Run this migration without a transaction"
		if len(inPlace) > 0 {
			title += " and use " + what
		}
		fixes = append(fixes, engine.Fix{
			Title:     title,
			Kind:      "quickfix",
			Preferred: true,
			Edits:     append(edits, inPlace...),
			NewFiles:  files,
		})
	}
	fixes = append(fixes, engine.Fix{
		Title:     fmt.Sprintf("Move %s to a migration of its own, outside a transaction", what),
		Kind:      "refactor.rewrite",
		Preferred: len(fixes) == 0,
		Edits:     []engine.Edit{s.remove()},
		NewFiles:  followUps(s.res, []step{{suffix: "concurrently", up: lines(stmt), down: reverse(s), noTx: true}}),
	})
	return fixes
}

// noTransaction turns off the runner's transaction for this migration when the
// statement is the only one of its up section, so that it runs outside any
// transaction once rewritten into n statements: goose sends statements one by one,
// while dbmate and Diesel send the section as one query, which PostgreSQL runs
// outside a transaction only while it is a single statement. An explicit BEGIN in the
// file, or a runner without such a switch, leaves ok false.
func noTransaction(s site, n int) (edits []engine.Edit, files []engine.NewFile, ok bool) {
	f := s.res.File
	if s.st.Tx.Kind != migration.RunnerTx || !alone(s) {
		return nil, nil, false
	}
	if f.Runner == migration.Diesel && n == 1 {
		meta := filepath.Join(filepath.Dir(f.Path), "metadata.toml")
		if _, err := os.Stat(meta); err == nil {
			return nil, nil, false // its settings would need an edit, not a new file
		}
		return nil, []engine.NewFile{{Path: meta, Text: "run_in_transaction = false\n"}}, true
	}
	for _, c := range f.Comments {
		t := strings.TrimSpace(strings.TrimPrefix(c.Text, "--"))
		switch {
		case f.Runner == migration.Goose && strings.EqualFold(t, "+goose Up"):
			return []engine.Edit{{Start: c.Start, End: c.Start, NewText: "-- +goose NO TRANSACTION\n"}}, nil, true
		case f.Runner == migration.Dbmate && n == 1 && strings.HasPrefix(t, "migrate:up"):
			return []engine.Edit{{Start: c.End, End: c.End, NewText: " transaction:false"}}, nil, true
		}
	}
	return nil, nil, false
}

// alone reports whether the statement is the only one of its file's up section.
func alone(s site) bool {
	for _, other := range s.res.File.Statements {
		if other != s.st && other.Section == migration.Up {
			return false
		}
	}
	return true
}

// reverse is the down step of a moved statement, where it is known: a created index
// is dropped. Anything else is left to the author, saying so.
func reverse(s site) string {
	is := s.st.Node.GetIndexStmt()
	if is == nil || is.Idxname == "" {
		return lines("-- Undo the statement above here: move its part of the down migration of " + filepath.Base(s.res.File.Path) + ".")
	}
	name := ident(is.Idxname)
	if sch := is.GetRelation().GetSchemaname(); sch != "" {
		name = ident(sch) + "." + name
	}
	return lines(fmt.Sprintf("DROP INDEX CONCURRENTLY IF EXISTS %s;", name))
}

package rules

import (
	"fmt"
	"path/filepath"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v5"

	ca "github.com/migsafe/migsafe/codeactions"
	"github.com/migsafe/migsafe/engine/migration"
)

// The fixes of the require-concurrent-* rules and of concurrently-in-transaction: add
// CONCURRENTLY, and give the statement a place where no transaction wraps it.

// concurrentlyAt is where CONCURRENTLY goes in a statement that lacks it: before the
// token that follows INDEX, VIEW or REINDEX's object kind (PostgreSQL's grammar puts
// it before IF [NOT] EXISTS and the name). ok is false when the statement cannot be
// made concurrent: several indexes dropped at once, CASCADE, REFRESH ... WITH NO DATA,
// REINDEX SYSTEM or REINDEX before PostgreSQL 12.
func concurrentlyAt(s ca.Site) (at int, what string, ok bool) {
	n := s.Stmt.Node
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
		if s.PG() < 12 || hasConcurrentOption(r.Params) {
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
	text := s.Text()
	for i, t := range s.Stmt.Tokens {
		if strings.EqualFold(text[t.Start:t.End], after) && i+1 < len(s.Stmt.Tokens) {
			return int(s.Stmt.Tokens[i+1].Start), what, true
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
func concurrentlyFixes(s ca.Site) []ca.Fix {
	at, what, ok := concurrentlyAt(s)
	if !ok {
		return nil
	}
	ins := ca.Edit{Start: at, End: at, NewText: "CONCURRENTLY "}
	inPlace := ca.Fix{
		Title: fmt.Sprintf("Use %s CONCURRENTLY", what),
		Kind:  "quickfix",
		Edits: []ca.Edit{ins},
	}
	if extra := concurrentlyNote(s); extra != "" {
		inPlace.Title += " (" + extra + ")"
	}
	if !s.Stmt.Tx.In() {
		inPlace.Preferred = true
		return []ca.Fix{inPlace}
	}
	inPlace.Title += "; it still runs in a transaction, where CONCURRENTLY fails"
	if uniqueNeededLater(s) {
		// Moved to the next migration, the index would not exist yet for the statement
		// that needs it, and the migration would fail where it ran; in place, CONCURRENTLY
		// fails in the transaction, which `migsafe fix` sees and leaves it as it is.
		return []ca.Fix{inPlace}
	}
	text := s.Text()
	concurrent := text[s.Stmt.Start:at] + "CONCURRENTLY " + text[at:s.Stmt.End]
	fixes := outOfTransaction(s, concurrent, []ca.Edit{ins}, what+" CONCURRENTLY")
	return append(fixes, inPlace)
}

// uniqueNeededLater: the statement creates a unique index that a later statement of
// its section needs: a foreign key referencing its table (PostgreSQL requires a
// unique index on the referenced columns when the key is added, NOT VALID or not) or
// a constraint USING INDEX it. Prisma writes a unique index and the foreign key on it
// in one migration (hatchet-goose v0_7_0).
func uniqueNeededLater(s ca.Site) bool {
	is := s.Stmt.Node.GetIndexStmt()
	if is == nil || !is.Unique {
		return false
	}
	table := ca.Relation(is.Relation)
	for _, other := range s.File.Statements {
		if other.Section != s.Stmt.Section || other.Start <= s.Stmt.Start || other.Node == nil {
			continue
		}
		if ca.Contains(other.Node, func(n *pg.Node) bool {
			c := n.GetConstraint()
			if c == nil {
				return false
			}
			if c.Contype == pg.ConstrType_CONSTR_FOREIGN && strings.EqualFold(ca.Relation(c.Pktable), table) {
				return true
			}
			return is.Idxname != "" && strings.EqualFold(c.Indexname, is.Idxname)
		}) {
			return true
		}
	}
	return false
}

// concurrentlyNote says what to check after the concurrent form ran: a CONCURRENTLY
// build that fails (a deadlock, a unique violation, a cancel) leaves an INVALID index.
func concurrentlyNote(s ca.Site) string {
	switch {
	case s.Stmt.Node.GetRefreshMatViewStmt() != nil:
		return "needs a unique index on the view"
	case s.Stmt.Node.GetIndexStmt() != nil:
		return "if it fails it leaves an INVALID index: DROP INDEX CONCURRENTLY it and run again"
	case s.Stmt.Node.GetReindexStmt() != nil:
		return "if it fails it leaves INVALID _ccnew indexes: DROP INDEX CONCURRENTLY them and run again"
	}
	return ""
}

// inTransactionFixes moves a statement that cannot run in a transaction block out of
// the one it runs in.
func inTransactionFixes(s ca.Site) []ca.Fix {
	if !s.Stmt.Tx.In() || !s.Locks.NoTransaction {
		return nil
	}
	what := "the statement"
	if parts := s.Locks.Parts; len(parts) > 0 && parts[0].Shape != nil {
		what = parts[0].Shape.Title
	}
	return outOfTransaction(s, s.Stmt.Text, nil, what)
}

// outOfTransaction gives the statement (rewritten as stmt; inPlace are the edits
// that rewrite it where it stands) a place without a transaction: for a migration
// whose up section holds only this statement, turning the runner's transaction off;
// otherwise a migration of its own, right after this one, whose down reverses it (and
// this migration's down no longer does).
func outOfTransaction(s ca.Site, stmt string, inPlace []ca.Edit, what string) []ca.Fix {
	if !strings.HasSuffix(stmt, ";") {
		stmt += ";"
	}
	var fixes []ca.Fix
	if edits, files, ok := noTransaction(s, 1); ok {
		title := "Run this migration without a transaction"
		if len(inPlace) > 0 {
			title += " and use " + what
		}
		fixes = append(fixes, ca.Fix{
			Title:     title,
			Kind:      "quickfix",
			Preferred: true,
			Edits:     append(edits, inPlace...),
			Files:     files,
		})
	}
	moved := ca.Fix{
		Title:     fmt.Sprintf("Move %s to a migration of its own, outside a transaction", what),
		Kind:      "refactor.rewrite",
		Preferred: len(fixes) == 0,
	}
	if s.TitlesOnly {
		return append(fixes, moved)
	}
	down, undo := reverse(s)
	inFile, others := s.DownEdits(undo...)
	moved.Edits = append([]ca.Edit{s.MoveOut(what + " runs in the next migration, outside a transaction")}, inFile...)
	moved.Others = others
	moved.Phases = []ca.Phase{{Name: "concurrently", Up: ca.Lines(stmt), Down: down, NoTx: true, Verify: verifyIndex(s)}}
	return append(fixes, moved)
}

// noTransaction turns off the runner's transaction for this migration when the
// statement is the only one of its up section, so that it runs outside any
// transaction once rewritten into n statements: goose and Flyway then send statements
// one by one, while dbmate and Diesel send the section as one query, which PostgreSQL
// runs outside a transaction only while it is a single statement. An explicit BEGIN in
// the file, or a runner without such a switch, leaves ok false.
func noTransaction(s ca.Site, n int) (edits []ca.Edit, files []ca.NewFile, ok bool) {
	f := s.File
	if s.Stmt.Tx.Kind != migration.RunnerTx || !alone(s) {
		return nil, nil, false
	}
	switch {
	case f.Runner == migration.Diesel && n == 1:
		meta := filepath.Join(filepath.Dir(f.Path), "metadata.toml")
		return nil, []ca.NewFile{{Path: meta, Text: "run_in_transaction = false\n"}}, true
	case f.Runner == migration.Flyway:
		return nil, []ca.NewFile{{Path: f.Path + ".conf", Text: "executeInTransaction=false\n"}}, true
	}
	for _, c := range f.Comments {
		t := strings.TrimSpace(strings.TrimPrefix(c.Text, "--"))
		switch {
		case f.Runner == migration.Goose && strings.EqualFold(t, "+goose Up"):
			return []ca.Edit{{Start: c.Start, End: c.Start, NewText: "-- +goose NO TRANSACTION\n"}}, nil, true
		case f.Runner == migration.Dbmate && n == 1 && strings.HasPrefix(t, "migrate:up"):
			return []ca.Edit{{Start: c.End, End: c.End, NewText: " transaction:false"}}, nil, true
		}
	}
	return nil, nil, false
}

// alone reports whether the statement is the only one of its file's up section.
func alone(s ca.Site) bool {
	for _, other := range s.File.Statements {
		if other != s.Stmt && other.Section == migration.Up {
			return false
		}
	}
	return true
}

// reverse is the down of a statement moved to a phase of its own, and the undos that
// take it out of this migration's down: a created index is dropped (concurrently); an
// index dropped is re-created with the statement this migration's down had for it.
func reverse(s ca.Site) (string, []ca.Undo) {
	n := s.Stmt.Node
	if is := n.GetIndexStmt(); is != nil && is.Idxname != "" {
		name := ca.Ident(is.Idxname)
		if sch := is.GetRelation().GetSchemaname(); sch != "" {
			name = ca.Ident(sch) + "." + name
		}
		return ca.Lines(fmt.Sprintf("DROP INDEX CONCURRENTLY IF EXISTS %s;", name)), []ca.Undo{{Match: ca.DropsIndex(is.Idxname)}}
	}
	if d := n.GetDropStmt(); d != nil && d.RemoveType == pg.ObjectType_OBJECT_INDEX && len(d.Objects) == 1 {
		name := ""
		if l := d.Objects[0].GetList(); l != nil && len(l.Items) > 0 {
			name = l.Items[len(l.Items)-1].GetString_().GetSval()
		}
		for _, st := range s.File.Down.Statements {
			if is := st.Node.GetIndexStmt(); is != nil && strings.EqualFold(is.Idxname, name) {
				create := st.Text
				if !is.Concurrent {
					if i := strings.Index(strings.ToUpper(create), "INDEX"); i >= 0 {
						create = create[:i+len("INDEX")] + " CONCURRENTLY" + create[i+len("INDEX"):]
					}
				}
				return ca.Lines(create), []ca.Undo{{Match: createsIndex(name)}}
			}
		}
	}
	return "", nil
}

func createsIndex(name string) func(*pg.Node) bool {
	return func(n *pg.Node) bool {
		is := n.GetIndexStmt()
		return is != nil && strings.EqualFold(is.Idxname, name)
	}
}

// verifyIndex is a sqitch verify query for a created index: it exists and is valid.
func verifyIndex(s ca.Site) string {
	is := s.Stmt.Node.GetIndexStmt()
	if is == nil || is.Idxname == "" {
		return ""
	}
	return fmt.Sprintf("SELECT 1 / count(*) FROM pg_index WHERE indexrelid = to_regclass(%s) AND indisvalid;\n", ca.Literal(is.Idxname))
}

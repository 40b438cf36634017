package migration_test

import (
	"testing"

	pg "github.com/pganalyze/pg_query_go/v5"
	"google.golang.org/protobuf/proto"

	"github.com/migsafe/migsafe/engine/migration"
	"github.com/migsafe/migsafe/internal/bigmigration"
	"github.com/migsafe/migsafe/internal/corpus"
)

// TestCorpusMatchesReferenceParse holds the front end's shortcuts (protobuf read field
// by field, statements parsed in batches, scanning in chunks, deferred INSERTs) to
// pg_query_go's own Parse and Scan over every real migration of the corpus: each
// statement's tree equals the one pg_query_go gives for the same text (locations
// included), a deferred statement's Tree() too, and the statements' tokens are the
// scanner's tokens of the file, comments and top-level semicolons left out.
func TestCorpusMatchesReferenceParse(t *testing.T) {
	matchReference(t, corpus.SQLFiles(t))
}

// TestLargeMigrationMatchesReferenceParse does the same for a generated 1 MB migration
// whose INSERTs are deferred and whose text is scanned in chunks, and checks that each
// deferred statement's Shape names the INSERT's own table.
func TestLargeMigrationMatchesReferenceParse(t *testing.T) {
	text := bigmigration.Generate(1 << 20)
	if n := matchReference(t, []corpus.File{{Path: "0001_large.sql", Text: text}}); n == 0 {
		t.Fatal("no statement was deferred")
	}
	for _, st := range migration.Parse("0001_large.sql", text, migration.Options{}).Statements {
		if st.Deferred && st.Shape.GetInsertStmt().GetRelation().GetRelname() != st.Tree().GetInsertStmt().GetRelation().GetRelname() {
			t.Fatalf("statement %d: shape %v, tree %v", st.Index, st.Shape, st.Tree().GetInsertStmt().GetRelation())
		}
	}
}

// matchReference compares the files' parses with pg_query_go's and returns how many
// statements were deferred.
func matchReference(t *testing.T, files []corpus.File) int {
	trees, deferred := 0, 0
	for _, f := range files {
		file := migration.Parse(f.Path, f.Text, migration.Options{})
		scanned, err := pg.Scan(f.Text)
		var want []*pg.ScanToken
		if err == nil {
			for _, tok := range scanned.Tokens {
				if tok.Token != pg.Token_SQL_COMMENT && tok.Token != pg.Token_C_COMMENT {
					want = append(want, tok)
				}
			}
		}
		w := 0
		for _, st := range file.Statements {
			if err == nil {
				for _, tok := range st.Tokens {
					for w < len(want) && want[w].Token == pg.Token_ASCII_59 && want[w].Start < tok.Start {
						w++ // a semicolon that ends a statement
					}
					if w >= len(want) || want[w].Start != tok.Start || want[w].End != tok.End || want[w].Token != tok.Kind {
						t.Fatalf("%s: token %+v of statement %d differs from the scanner's", f.Path, tok, st.Index)
					}
					w++
				}
				for w < len(want) && int(want[w].Start) < st.End {
					if !st.Deferred && want[w].Token != pg.Token_ASCII_59 {
						t.Fatalf("%s: statement %d lacks the scanner's token %+v", f.Path, st.Index, want[w])
					}
					w++ // a deferred statement's rows, or its semicolon
				}
			}
			tree := st.Tree()
			if tree == nil {
				continue
			}
			ref, err := pg.Parse(f.Text[st.Base:st.End])
			if err != nil || len(ref.Stmts) == 0 {
				t.Fatalf("%s: statement %d parses in migsafe but not alone: %v", f.Path, st.Index, err)
			}
			if !proto.Equal(tree, ref.Stmts[len(ref.Stmts)-1].Stmt) {
				t.Fatalf("%s: statement %d: tree differs from pg_query_go's", f.Path, st.Index)
			}
			trees++
			if st.Deferred {
				deferred++
			}
		}
	}
	t.Logf("%d trees compared, %d of them deferred", trees, deferred)
	return deferred
}

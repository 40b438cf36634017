package codeactions_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/migsafe/migsafe/codeactions"
	"github.com/migsafe/migsafe/engine"
	"github.com/migsafe/migsafe/engine/config"
	"github.com/migsafe/migsafe/engine/migration"
	"github.com/migsafe/migsafe/engine/rules"
)

// stand-in finding on statement i, for rules that may not be registered yet.
func standIn(res *engine.Result, id string, i int) *engine.Finding {
	r := rules.ByID(id)
	if r == nil {
		r = &rules.Rule{ID: id}
	}
	st := res.Statements[i].Stmt
	return &engine.Finding{Rule: r, Stmt: st, Start: st.Start, End: st.End}
}

// The language server's tests rely on these two exact edits.
func TestConcurrentlyIsOneInsertion(t *testing.T) {
	text := "CREATE INDEX users_email_idx ON users (email);"
	res := engine.Analyze("add_index.sql", text, nil, engine.Options{NoSiblings: true})
	var fd *engine.Finding
	for _, f := range res.Findings {
		if f.Rule.ID == "require-concurrent-index-creation" {
			fd = f
		}
	}
	if fd == nil {
		t.Fatal("require-concurrent-index-creation did not report")
	}
	fixes := codeactions.Fixes(res, fd)
	if len(fixes) != 1 || !fixes[0].Preferred || len(fixes[0].Edits) != 1 || len(fixes[0].NewFiles) != 0 {
		t.Fatalf("want one preferred fix with one edit, got %+v", fixes)
	}
	at := strings.Index(text, "users_email_idx")
	if e := fixes[0].Edits[0]; e.Start != at || e.End != at || e.NewText != "CONCURRENTLY " {
		t.Errorf("edit = %+v, want insertion of %q at %d", e, "CONCURRENTLY ", at)
	}
	out, err := apply(text, fixes[0].Edits)
	if err != nil || out != "CREATE INDEX CONCURRENTLY users_email_idx ON users (email);" {
		t.Errorf("fixed text = %q, %v", out, err)
	}
}

func TestLockTimeoutInsertedAtLineStart(t *testing.T) {
	text := "ALTER TABLE users ADD COLUMN phone text;\n"
	res := engine.Analyze("add_phone.sql", text, nil, engine.Options{NoSiblings: true})
	fixes := codeactions.Fixes(res, standIn(res, "require-lock-timeout", 0))
	if len(fixes) != 1 || len(fixes[0].Edits) != 1 {
		t.Fatalf("want one fix with one edit, got %+v", fixes)
	}
	if e := fixes[0].Edits[0]; e.Start != 0 || e.End != 0 || e.NewText != "SET lock_timeout = '5s';\n" {
		t.Errorf("edit = %+v", e)
	}

	// A file-level finding (no statement) puts the SET before the first statement that locks.
	text = "-- +goose Up\nSELECT 1;\nALTER TABLE users ADD COLUMN phone text;\n"
	res = engine.Analyze("00001_phone.sql", text, nil, engine.Options{NoSiblings: true})
	fixes = codeactions.Fixes(res, &engine.Finding{Rule: &rules.Rule{ID: "require-lock-timeout"}})
	if len(fixes) != 1 || len(fixes[0].Edits) != 1 || fixes[0].Edits[0].Start != strings.Index(text, "ALTER") {
		t.Errorf("file-level finding: fixes = %+v", fixes)
	}

	cfg := config.Default()
	cfg.LockTimeout = "2s"
	text = "BEGIN; ALTER TABLE users ADD COLUMN phone text;\n"
	res = engine.Analyze("add_phone.sql", text, cfg, engine.Options{NoSiblings: true})
	fixes = codeactions.Fixes(res, standIn(res, "require-lock-timeout", 1))
	out, err := apply(text, fixes[0].Edits)
	if want := "BEGIN; SET lock_timeout = '2s'; ALTER TABLE users ADD COLUMN phone text;\n"; err != nil || out != want {
		t.Errorf("fixed text = %q, %v; want %q", out, err, want)
	}
}

// Statements a fix cannot make safe get no fix rather than a wrong one.
func TestNoFixWhereNoneIsSafe(t *testing.T) {
	cases := []struct{ rule, sql, config string }{
		{"require-concurrent-index-deletion", "DROP INDEX a_idx, b_idx;", ""},
		{"require-concurrent-index-deletion", "DROP INDEX a_idx CASCADE;", ""},
		{"require-concurrent-reindex", "REINDEX INDEX a_idx;", "pg_version = 11"},
		{"require-concurrent-reindex", "REINDEX SYSTEM app;", ""},
		{"require-concurrent-refresh", "REFRESH MATERIALIZED VIEW v WITH NO DATA;", ""},
		{"unbatched-backfill", "UPDATE users SET seen = now();", ""},
		{"unbatched-backfill", "UPDATE users SET token = gen_random_uuid() WHERE token IS NULL;", ""},
		{"unbatched-backfill", "UPDATE users SET n = 1;", "pg_version = 10"},
		{"unbatched-backfill", "UPDATE users u SET n = o.n FROM other o WHERE o.id = u.id;", ""},
		{"adding-unique-constraint", "ALTER TABLE t ADD UNIQUE (a), ADD COLUMN b int;", ""},
		{"adding-field-with-rewrite", "ALTER TABLE t ADD COLUMN b int DEFAULT 0;", ""},
		{"renaming-column", "ALTER TABLE t RENAME TO u;", ""},
	}
	for _, c := range cases {
		cfg := config.Default()
		if c.config != "" {
			var err error
			if cfg, err = config.Parse("migsafe.toml", []byte(c.config), rules.Known); err != nil {
				t.Fatal(err)
			}
		}
		res := engine.Analyze("m.sql", c.sql, cfg, engine.Options{NoSiblings: true})
		if fixes := codeactions.Fixes(res, standIn(res, c.rule, 0)); len(fixes) != 0 {
			t.Errorf("%s on %q (%s): want no fix, got %q", c.rule, c.sql, c.config, fixes[0].Title)
		}
	}
}

// Follow-up migrations are named the way the project names its migrations.
func TestFollowUpNames(t *testing.T) {
	cases := []struct {
		name     string
		existing []string // other files in the directory
		file     string   // the migration fixed
		text     string
		want     []string
	}{
		{"golang-migrate next number", []string{"0009_later.up.sql", "0009_later.down.sql"}, "0007_add.up.sql",
			"CREATE TABLE a (id int);\nCREATE INDEX a_idx ON users (a);\n", []string{"0010_add_concurrently.up.sql", "0010_add_concurrently.down.sql"}},
		{"golang-migrate timestamps", nil, "20240102030405_add.up.sql",
			"CREATE TABLE a (id int);\nCREATE INDEX a_idx ON users (a);\n", []string{"20240102030406_add_concurrently.up.sql", "20240102030406_add_concurrently.down.sql"}},
		{"goose", []string{"00002_x.sql"}, "00001_add.sql",
			"-- +goose Up\nCREATE TABLE a (id int);\nCREATE INDEX a_idx ON users (a);\n", []string{"00003_add_concurrently.sql"}},
		{"dbmate", nil, "20240101000000_add.sql",
			"-- migrate:up\nCREATE TABLE a (id int);\nCREATE INDEX a_idx ON users (a);\n", []string{"20240101000001_add_concurrently.sql"}},
		{"flyway", []string{"V12__x.sql", "V3_1__y.sql"}, "V11__add.sql",
			"CREATE INDEX a_idx ON users (a);\n", []string{"V13__add_concurrently.sql"}},
		{"plain", nil, "add.sql",
			"BEGIN;\nCREATE INDEX a_idx ON users (a);\nCOMMIT;\n", []string{"add_concurrently.sql"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			for _, name := range append(c.existing, c.file) {
				if err := os.WriteFile(filepath.Join(dir, name), []byte("SELECT 1;\n"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			path := filepath.Join(dir, c.file)
			res := engine.Analyze(path, c.text, nil, engine.Options{NoSiblings: true})
			var idx int
			for i, sr := range res.Statements {
				if sr.Stmt.Node.GetIndexStmt() != nil {
					idx = i
				}
			}
			if !res.Statements[idx].Stmt.Tx.In() {
				t.Fatalf("case must put the index in a transaction (runner %s)", res.File.Runner)
			}
			fixes := codeactions.Fixes(res, standIn(res, "require-concurrent-index-creation", idx))
			var got []string
			for _, f := range fixes {
				for _, nf := range f.NewFiles {
					got = append(got, filepath.Base(nf.Path))
					if filepath.Dir(nf.Path) != dir {
						t.Errorf("%s is not beside %s", nf.Path, path)
					}
				}
			}
			if strings.Join(got, " ") != strings.Join(c.want, " ") {
				t.Errorf("new files = %v, want %v", got, c.want)
			}
		})
	}
}

// Every fix offered for any statement of the real migrations in the shared corpus
// applies cleanly and parses.
func TestCorpusFixesParse(t *testing.T) {
	root := filepath.Join("..", "..", "..", "shared", "corpus")
	if _, err := os.Stat(root); err != nil {
		root = "/work/shared/corpus"
		if _, err := os.Stat(root); err != nil {
			t.Skip("no corpus at ../shared/corpus")
		}
	}
	ids := []string{"require-concurrent-index-creation", "require-concurrent-index-deletion", "require-concurrent-reindex",
		"require-concurrent-refresh", "concurrently-in-transaction", "require-lock-timeout", "adding-required-column",
		"setting-not-null", "constraint-missing-not-valid", "adding-foreign-key-constraint", "adding-unique-constraint",
		"adding-field-with-rewrite", "renaming-column", "unbatched-backfill"}
	offered := map[string]int{}
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".sql") {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		res := engine.Analyze(p, string(data), nil, engine.Options{})
		codeactions.Attach(res)
		// Per file and rule, the fixes of the first statement that has any: re-parsing
		// the file once per fix of every statement would take minutes.
		for _, id := range ids {
			for i, sr := range res.Statements {
				if sr.Stmt.Node == nil || sr.Stmt.Section != migration.Up {
					continue
				}
				fixes := codeactions.Fixes(res, standIn(res, id, i))
				for _, fix := range fixes {
					offered[id]++
					checkCorpusFix(t, res, p, id, fix)
				}
				if len(fixes) > 0 {
					break
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("fixes offered on corpus statements: %v", offered)
}

func checkCorpusFix(t *testing.T, res *engine.Result, path, id string, fix engine.Fix) {
	t.Helper()
	out, err := apply(res.File.Source.Text, fix.Edits)
	if err != nil {
		t.Errorf("%s: %s fix %q: %v", path, id, fix.Title, err)
		return
	}
	files := map[string]string{path: out}
	for _, nf := range fix.NewFiles {
		files[nf.Path] = nf.Text
	}
	for p, text := range files {
		if strings.HasSuffix(p, ".toml") {
			continue
		}
		for _, st := range migration.Parse(p, text, migration.Options{}).Statements {
			if st.Err != nil && !hadSyntaxError(res, st.Err.Message) {
				t.Errorf("%s: %s fix %q leaves %s unparsable: %s", path, id, fix.Title, p, st.Err.Message)
			}
		}
	}
}

func hadSyntaxError(res *engine.Result, msg string) bool {
	for _, pr := range res.Problems {
		if pr.Kind == "syntax" && pr.Message == msg {
			return true
		}
	}
	return false
}

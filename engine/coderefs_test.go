package engine_test

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/migsafe/migsafe/engine"
	"github.com/migsafe/migsafe/engine/coderefs"
	"github.com/migsafe/migsafe/engine/coderefs/coderefstest"
	"github.com/migsafe/migsafe/engine/config"
	"github.com/migsafe/migsafe/engine/migration"
	"github.com/migsafe/migsafe/engine/rules"
)

// TestDroppedIndexQueries: the queries a dropped index serves (filtering or sorting on
// its leading column) make the drop a BLOCK, whether the index's definition comes from
// the down migration (the file judged alone) or from the catalog of its migration set,
// where the dropped index itself is no replacement for itself.
func TestDroppedIndexQueries(t *testing.T) {
	dir := coderefstest.Repo(t, "../testdata/coderefs/shop", "../testdata/coderefs/shop-base")
	path := filepath.Join(dir, "migrations", "000003_drop_orders_status_idx.up.sql")
	text, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	ws := coderefs.Open(dir, coderefs.Options{})
	alone := engine.Analyze(path, string(text), config.Default(), engine.Options{Code: ws})
	inSet := engine.AnalyzeBatch([]engine.Job{{Path: path, Config: config.Default(), OnDisk: true, Code: ws}}, engine.BatchOptions{})[0]
	if inSet.Err != nil || inSet.Result.History == nil {
		t.Fatalf("not analysed in its set: %v", inSet.Err)
	}
	for name, res := range map[string]*engine.Result{"alone": alone, "in its set": inSet.Result} {
		var f *engine.Finding
		for _, fd := range res.Findings {
			if fd.Rule.ID == "dropping-index" {
				f = fd
			}
		}
		if f == nil {
			t.Fatalf("%s: no dropping-index finding in %v", name, res.Findings)
		}
		if f.Status != rules.Block || !strings.Contains(f.Message, "orders.status, the leading column of orders_status_idx, at internal/store/users.go:25 (SQL in a Go string)") {
			t.Errorf("%s: %s: %s", name, f.Status, f.Message)
		}
		// The Prisma field maps the column but queries nothing.
		if strings.Contains(f.Message, "schema.prisma") {
			t.Errorf("%s: a model field counted as a query: %s", name, f.Message)
		}
	}
}

// TestCodeReferences checks the drop and rename findings against the shop fixture: a
// repository whose Rails model, Django model, Prisma schema, TypeORM entity, Go code
// and sqlc queries use columns the migration drops or renames, and whose previous
// release (the base commit) still uses a column HEAD stopped using. Every use is named
// with its file and line.
func TestCodeReferences(t *testing.T) {
	dir := coderefstest.Repo(t, "../testdata/coderefs/shop", "../testdata/coderefs/shop-base")
	path := filepath.Join(dir, "migrations", "000002_contract.up.sql")
	text, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	type want struct {
		status rules.Status
		uses   []string
		says   string
	}
	cases := []struct {
		name string
		base string
		// per "rule line" of the finding
		want map[string]want
	}{
		{name: "HEAD only", want: map[string]want{
			"removing-used-object 1": {rules.Block, []string{"app/models/user.rb:5 (Rails model User)", "db/queries/users.sql:7 (sqlc query SetNickname)", "internal/store/users.go:12 (SQL in a Go string)", "internal/store/users.go:31 (struct tag db on User.Nick)", "app/models/user.rb:9", "web/src/views/profile.js:3"}, "still uses it"},
			"renaming-column 2":      {rules.Block, []string{"db/queries/users.sql:2 (sqlc query GetUser)", "prisma/schema.prisma:8 (Prisma field User.email)", "web/src/entities/user.ts:8 (TypeORM entity UserEntity.emailAddress)"}, "still uses it"},
			"removing-used-object 3": {rules.Block, []string{"profiles/models.py:6 (Django field Account.code)"}, "still uses it"},
			"removing-used-object 4": {rules.Flag, nil, "give --base"},
			"removing-used-object 5": {rules.Flag, nil, "no use found"},
		}},
		{name: "with the previous release", base: coderefstest.BaseTag, want: map[string]want{
			"removing-used-object 1": {rules.Block, []string{"app/models/user.rb:5", "db/queries/users.sql:7", "internal/store/users.go:12"}, "still uses it"},
			"removing-used-object 4": {rules.Flag, []string{"internal/store/orders.go:10 (SQL in a Go string)"}, "not safe while the previous release (previous-release) is still running"},
			"removing-used-object 5": {rules.OK, nil, "safe while the previous release is still running"},
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ws := coderefs.Open(dir, coderefs.Options{BaseRef: tc.base})
			res := engine.Analyze(path, string(text), config.Default(), engine.Options{Code: ws})
			got := map[string]*engine.Finding{}
			for _, f := range res.Findings {
				line := res.File.Source.Position(f.Start, migration.CodePoints).Line + 1
				got[f.Rule.ID+" "+strconv.Itoa(line)] = f
			}
			for k, w := range tc.want {
				f := got[k]
				if f == nil {
					t.Errorf("%s: no finding", k)
					continue
				}
				if f.Status != w.status {
					t.Errorf("%s: status %s, want %s: %s", k, f.Status, w.status, f.Message)
				}
				if !strings.Contains(f.Message, w.says) {
					t.Errorf("%s: message does not say %q: %s", k, w.says, f.Message)
				}
				for _, u := range w.uses {
					if !strings.Contains(f.Message, u) {
						t.Errorf("%s: message does not name %s: %s", k, u, f.Message)
					}
				}
			}
			// A column of another table with the same name is no use: pets.nickname.
			if f := got["removing-used-object 1"]; f != nil && strings.Contains(f.Message, "users.go:20") {
				t.Errorf("SELECT nickname FROM pets counted as a use of users.nickname: %s", f.Message)
			}
			// Rails' ignored_columns prepared the drop of legacy_flags; .gitignored code
			// (build/bundle.js) is never read.
			if f := got["removing-used-object 5"]; f != nil && (strings.Contains(f.Message, "user.rb") || strings.Contains(f.Message, "bundle.js")) {
				t.Errorf("legacy_flags: %s", f.Message)
			}
		})
	}
}

// TestNoCodeToSearch: a workspace of migrations only (goose files at its root, which
// only their directives say are migrations) has no code to search. The drop and the
// dropped index say so rather than "no use found in N files", N counting the
// migrations; one file of queries beside them is searched and counted.
func TestNoCodeToSearch(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write("20240101120000_init.sql", "-- +goose Up\nCREATE TABLE users (id bigint PRIMARY KEY, nickname text);\nCREATE INDEX users_nickname_idx ON users (nickname);\n-- +goose Down\nDROP TABLE users;\n")
	path := write("20240102120000_drop.sql", "-- +goose Up\nDROP INDEX users_nickname_idx;\nALTER TABLE users DROP COLUMN nickname;\n-- +goose Down\nALTER TABLE users ADD COLUMN nickname text;\n")
	messages := func() map[string]string {
		t.Helper()
		res := engine.AnalyzeBatch([]engine.Job{{Path: path, Config: config.Default(), OnDisk: true, Code: coderefs.Open(dir, coderefs.Options{})}}, engine.BatchOptions{})[0]
		if res.Err != nil {
			t.Fatal(res.Err)
		}
		out := map[string]string{}
		for _, f := range res.Result.Findings {
			out[f.Rule.ID] = f.Message
		}
		return out
	}
	// dir is no git repository: its files are walked, and there is no HEAD to name
	// (the messages said "at HEAD").
	got := messages()
	for rule, says := range map[string]string{
		"removing-used-object": "no longer uses users.nickname: no code file to search under " + dir + " (not a git repository);",
		"dropping-index":       "no code file to search under " + dir + " (not a git repository) for queries on users.nickname",
	} {
		if m := got[rule]; !strings.Contains(m, says) || strings.Contains(m, " files") || strings.Contains(m, "HEAD") {
			t.Errorf("%s: want %q and no count of files: %s", rule, says, m)
		}
	}
	write("queries.sql", "-- name: UserByID :one\nSELECT id FROM users WHERE id = $1;\n")
	got = messages()
	if m := got["removing-used-object"]; !strings.Contains(m, "no use found (no SQL or model use in 1 file under "+dir+" (not a git repository))") {
		t.Errorf("removing-used-object with one file of queries: %s", m)
	}
	if m := got["dropping-index"]; !strings.Contains(m, "no query on users.nickname, the leading column of users_nickname_idx found in 1 file") {
		t.Errorf("dropping-index with one file of queries: %s", m)
	}

	// In a git repository: no code at HEAD, a file of queries in the previous release
	// (that does not use the column): both are said.
	head, overlay := t.TempDir(), t.TempDir()
	for _, name := range []string{"20240101120000_init.sql", "20240102120000_drop.sql"} {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(head, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(overlay, "queries.sql"), []byte("SELECT id FROM users WHERE id = $1;\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	repo := coderefstest.Repo(t, head, overlay)
	res := engine.AnalyzeBatch([]engine.Job{{Path: filepath.Join(repo, "20240102120000_drop.sql"), Config: config.Default(), OnDisk: true,
		Code: coderefs.Open(repo, coderefs.Options{BaseRef: coderefstest.BaseTag})}}, engine.BatchOptions{})[0]
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	const want = "no use of users.nickname found (no code file to search at HEAD, and no SQL or model use in 1 file of " + coderefstest.BaseTag + ")"
	var seen bool
	for _, f := range res.Result.Findings {
		if f.Rule.ID == "removing-used-object" {
			seen = true
			if f.Status != rules.OK || !strings.Contains(f.Message, want) {
				t.Errorf("removing-used-object with --base: %s: %s\nwant %s", f.Status, f.Message, want)
			}
		}
	}
	if !seen {
		t.Error("no removing-used-object finding with --base")
	}
}

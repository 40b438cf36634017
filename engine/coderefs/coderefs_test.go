package coderefs_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/migsafe/migsafe/engine/coderefs"
	"github.com/migsafe/migsafe/engine/coderefs/coderefstest"
)

const shop, shopBase = "../../testdata/coderefs/shop", "../../testdata/coderefs/shop-base"

func uses(r coderefs.Revision) []string {
	var out []string
	for _, u := range r.Uses {
		out = append(out, fmt.Sprintf("%s:%d %s", u.Path, u.Line, u.Kind))
	}
	return out
}

func TestUses(t *testing.T) {
	dir := coderefstest.Repo(t, shop, shopBase)
	ws := coderefs.Open(dir, coderefs.Options{BaseRef: coderefstest.BaseTag})
	cases := []struct {
		obj        coderefs.Object
		head, base string
	}{
		{coderefs.Object{Table: "users", Column: "nickname"},
			"app/models/user.rb:5 model, app/models/user.rb:9 mention, db/queries/users.sql:7 sql, internal/store/users.go:12 sql, internal/store/users.go:31 model, web/src/views/profile.js:3 mention",
			"app/models/user.rb:5 model, app/models/user.rb:9 mention, db/queries/users.sql:7 sql, internal/store/users.go:12 sql, internal/store/users.go:31 model, web/src/views/profile.js:3 mention"},
		// At the base, the running release's Rails model loaded email at start-up too.
		{coderefs.Object{Table: "public.users", Column: "email"},
			"db/queries/users.sql:2 sql, prisma/schema.prisma:8 model, web/src/entities/user.ts:8 model",
			"app/models/user.rb:1 model, db/queries/users.sql:2 sql, prisma/schema.prisma:8 model, web/src/entities/user.ts:8 model"},
		{coderefs.Object{Table: "accounts", Column: "legacy_code"}, "profiles/models.py:6 model", "profiles/models.py:6 model"},
		{coderefs.Object{Table: "orders", Column: "coupon_code"}, "", "internal/store/orders.go:10 sql"},
		// Rails' ignored_columns: the model already stopped mapping it.
		{coderefs.Object{Table: "users", Column: "legacy_flags"}, "", ""},
		// The same column name on another table: only the query of that table, and the
		// struct tag (whose table is guessed from the struct's name, User) as a mention.
		{coderefs.Object{Table: "pets", Column: "nickname"}, "internal/store/users.go:20 sql, internal/store/users.go:31 mention", "internal/store/users.go:20 sql, internal/store/users.go:31 mention"},
		// A belongs_to names its foreign key column.
		{coderefs.Object{Table: "users", Column: "account_id"}, "app/models/user.rb:3 model", "app/models/user.rb:3 model"},
		// The tables the models map.
		{coderefs.Object{Table: "accounts"}, "profiles/models.py:4 model, profiles/models.py:9 mention", "profiles/models.py:4 model, profiles/models.py:9 mention"},
	}
	for _, c := range cases {
		rep := ws.Uses(c.obj)
		if rep.Err != nil {
			t.Fatal(rep.Err)
		}
		if got := strings.Join(uses(rep.Head), ", "); got != c.head {
			t.Errorf("%s at HEAD:\n got %s\nwant %s", c.obj, got, c.head)
		}
		if got := strings.Join(uses(*rep.Base), ", "); got != c.base {
			t.Errorf("%s at %s:\n got %s\nwant %s", c.obj, coderefstest.BaseTag, got, c.base)
		}
	}
	rep := ws.Uses(coderefs.Object{Table: "users", Column: "nickname"})
	// .gitignored build output is not code; the migrations are not either.
	if rep.Head.Files != 7 || rep.Base.Files != 8 {
		t.Errorf("files scanned: HEAD %d, base %d; want 7 and 8", rep.Head.Files, rep.Base.Files)
	}
}

// TestWalkHonoursGitignore reads a directory that is not a git repository.
func TestWalkHonoursGitignore(t *testing.T) {
	dir := t.TempDir()
	if out, err := exec.Command("cp", "-r", shop+"/.", dir).CombinedOutput(); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	os.MkdirAll(filepath.Join(dir, "node_modules", "pkg"), 0o755)
	os.WriteFile(filepath.Join(dir, "node_modules", "pkg", "q.js"), []byte(`q("SELECT nickname FROM users")`), 0o644)
	os.WriteFile(filepath.Join(dir, "build", "keep.js"), []byte(`q("SELECT nickname FROM users")`), 0o644)
	ws := coderefs.Open(dir, coderefs.Options{Exclude: []string{"web/"}})
	got := strings.Join(uses(ws.Uses(coderefs.Object{Table: "users", Column: "nickname"}).Head), ", ")
	want := "app/models/user.rb:5 model, app/models/user.rb:9 mention, db/queries/users.sql:7 sql, internal/store/users.go:12 sql, internal/store/users.go:31 model"
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	// code_paths limits the scan.
	ws = coderefs.Open(dir, coderefs.Options{Paths: []string{"internal"}})
	if got := strings.Join(uses(ws.Uses(coderefs.Object{Table: "users", Column: "nickname"}).Head), ", "); got != "internal/store/users.go:12 sql, internal/store/users.go:31 model" {
		t.Errorf("code_paths internal: %s", got)
	}
}

// TestChanged: the language server's index follows edits, creations and deletions.
func TestChanged(t *testing.T) {
	dir := coderefstest.Repo(t, shop, shopBase)
	ws := coderefs.Open(dir, coderefs.Options{})
	obj := coderefs.Object{Table: "orders", Column: "coupon_code"}
	if n := len(ws.Uses(obj).Head.Uses); n != 0 {
		t.Fatalf("%d uses before the edit", n)
	}
	p := filepath.Join(dir, "internal", "store", "coupons.go")
	os.WriteFile(p, []byte("package store\n\nconst q = `SELECT coupon_code FROM orders`\n"), 0o644)
	ws.Changed(p)
	if got := strings.Join(uses(ws.Uses(obj).Head), ", "); got != "internal/store/coupons.go:3 sql" {
		t.Errorf("after creating coupons.go: %q", got)
	}
	os.WriteFile(p, []byte("package store\n\nconst q = `SELECT id FROM orders`\n"), 0o644)
	ws.Changed(p)
	if got := uses(ws.Uses(obj).Head); len(got) != 0 {
		t.Errorf("after editing coupons.go: %v", got)
	}
	os.Remove(p)
	ws.Changed(p)
	if got := uses(ws.Uses(obj).Head); len(got) != 0 {
		t.Errorf("after deleting coupons.go: %v", got)
	}
}

// TestMigrationsByTheirDirectivesAreNotCode: a project that keeps its goose or dbmate
// migrations where no directory name says so (at its root) still has them recognised
// by their directives: their statements (a backfill's UPDATE) are not code that uses a
// column, and they are not counted among the code files read.
func TestMigrationsByTheirDirectivesAreNotCode(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"20240101120000_init.sql": "-- +goose Up\nCREATE TABLE users (id int, nickname text);\nINSERT INTO archive (nick) SELECT nickname FROM users;\n-- +goose Down\nDROP TABLE users;\n",
		"20240102120000_fill.sql": "-- migrate:up\nINSERT INTO archive (nick) SELECT nickname FROM users;\n\n-- migrate:down\n",
		"queries.sql":             "-- name: Nick :one\nSELECT nickname FROM users WHERE id = $1;\n",
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	rep := coderefs.Open(dir, coderefs.Options{}).Uses(coderefs.Object{Table: "users", Column: "nickname"})
	if rep.Err != nil {
		t.Fatal(rep.Err)
	}
	if got, want := strings.Join(uses(rep.Head), ", "), "queries.sql:2 sql"; got != want {
		t.Errorf("uses of users.nickname:\n got %s\nwant %s", got, want)
	}
	if rep.Head.Files != 1 {
		t.Errorf("code files read: %d, want 1 (the two migrations are not code)", rep.Head.Files)
	}
}

// TestKnownMigrationIsNotReadAgain: a file the caller says it read as migration text
// (check read every migration it analyses) is skipped by the index without being
// read. The file here says otherwise when read, which shows it was not: were it read,
// it would be code using the column.
func TestKnownMigrationIsNotReadAgain(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"20240101120000_fill.sql": "SELECT nickname FROM users;\n",
		"queries.sql":             "-- name: Nick :one\nSELECT nickname FROM users WHERE id = $1;\n",
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ws := coderefs.Open(dir, coderefs.Options{})
	ws.KnownMigration(filepath.Join(dir, "20240101120000_fill.sql"))
	ws.KnownMigration(filepath.Join(dir, "not-listed.sql"))
	rep := ws.Uses(coderefs.Object{Table: "users", Column: "nickname"})
	if rep.Err != nil {
		t.Fatal(rep.Err)
	}
	if got, want := strings.Join(uses(rep.Head), ", "), "queries.sql:2 sql"; got != want || rep.Head.Files != 1 {
		t.Errorf("uses of users.nickname in %d files:\n got %s\nwant %s in 1 file", rep.Head.Files, got, want)
	}
}

// A named pipe where the code search reads (a .gitignore, a code file of the walk) is
// passed over at once: opened to be read, a FIFO blocked the search, and with it the
// check, until a writer came, for ever when none does.
func TestSearchPassesOverNamedPipes(t *testing.T) {
	dir := t.TempDir()
	if out, err := exec.Command("cp", "-r", shop+"/.", dir).CombinedOutput(); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "app", ".gitignore"), 0o644); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	done := make(chan string, 1)
	go func() {
		ws := coderefs.Open(dir, coderefs.Options{Paths: []string{"internal"}})
		done <- strings.Join(uses(ws.Uses(coderefs.Object{Table: "users", Column: "nickname"}).Head), ", ")
	}()
	select {
	case got := <-done:
		if got != "internal/store/users.go:12 sql, internal/store/users.go:31 model" {
			t.Errorf("uses: %s", got)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the search blocked on a FIFO .gitignore")
	}
}

// TestTooWideRootIsNotSearched: a root that is no repository and is the home directory
// or the filesystem root (a migration saved directly under ~ or /) is not walked: the
// home directory's files were read (its other projects' uses judged this migration)
// and / took in /proc. The report says why nothing was searched.
func TestTooWideRootIsNotSearched(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	if err := os.WriteFile(filepath.Join(home, "old.py"), []byte(`q = "SELECT nickname FROM users"`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for dir, says := range map[string]string{home: "is the home directory", "/": "is the filesystem root"} {
		rep := coderefs.Open(dir, coderefs.Options{}).Uses(coderefs.Object{Table: "users", Column: "nickname"})
		if rep.Err == nil || !strings.Contains(rep.Err.Error(), says) || len(rep.Head.Uses) > 0 {
			t.Errorf("%s: err %v, uses %v", dir, rep.Err, uses(rep.Head))
		}
	}
	// A directory below it is searched as before.
	sub := filepath.Join(home, "project")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(filepath.Join(home, "old.py"), filepath.Join(sub, "old.py")); err != nil {
		t.Fatal(err)
	}
	if rep := coderefs.Open(sub, coderefs.Options{}).Uses(coderefs.Object{Table: "users", Column: "nickname"}); rep.Err != nil || len(rep.Head.Uses) != 1 {
		t.Errorf("%s: err %v, uses %v", sub, rep.Err, uses(rep.Head))
	}
}

// TestVirtualenvIsNotCode: a Python virtualenv in the project that git does not ignore
// (python -m venv before 3.13 writes no .gitignore into it), listed as an untracked
// file or walked outside git, is installed packages, not the project's code.
func TestVirtualenvIsNotCode(t *testing.T) {
	repo := coderefstest.Repo(t, shop, shopBase)
	plain := t.TempDir()
	if out, err := exec.Command("cp", "-r", shop+"/.", plain).CombinedOutput(); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	obj := coderefs.Object{Table: "users", Column: "nickname"}
	for _, dir := range []string{repo, plain} {
		want := strings.Join(uses(coderefs.Open(dir, coderefs.Options{}).Uses(obj).Head), ", ")
		for _, p := range []string{".venv/lib/python3.11/site-packages/pkg/q.py", "env/lib/python3.9/site-packages/pkg/q.py"} {
			full := filepath.Join(dir, filepath.FromSlash(p))
			if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(full, []byte(`Q = "SELECT nickname FROM users"`+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if got := strings.Join(uses(coderefs.Open(dir, coderefs.Options{}).Uses(obj).Head), ", "); got != want {
			t.Errorf("%s with a virtualenv:\n got  %s\nwant %s", dir, got, want)
		}
	}
}

// TestSubmoduleCodeIsSearched: the code of a git submodule checked out in the
// repository (a library of queries the service deploys) is searched; git listed the
// submodule as its directory alone, so its SELECT was missed.
func TestSubmoduleCodeIsSearched(t *testing.T) {
	lib := t.TempDir()
	gitIn := func(dir string, args ...string) {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-c", "protocol.file.allow=always", "-c", "user.email=t@example.com", "-c", "user.name=t"}, args...)...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v: %s", args, err, out)
		}
	}
	gitIn(lib, "init", "-q", "-b", "main")
	if err := os.WriteFile(filepath.Join(lib, "q.go"), []byte("package lib\n\nconst Q = `SELECT nickname FROM users WHERE id = $1`\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	gitIn(lib, "add", "q.go")
	gitIn(lib, "commit", "-q", "-m", "lib")
	repo := coderefstest.Repo(t, shop, shopBase)
	gitIn(repo, "submodule", "add", "-q", lib, "third_party/lib")
	gitIn(repo, "commit", "-q", "-m", "submodule")
	rep := coderefs.Open(repo, coderefs.Options{}).Uses(coderefs.Object{Table: "users", Column: "nickname"})
	if got := strings.Join(uses(rep.Head), ", "); !strings.Contains(got, "third_party/lib/q.go:3 sql") {
		t.Errorf("the submodule's query is missed: %s", got)
	}
}

package project

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/migsafe/migsafe/engine/migration"
	"github.com/migsafe/migsafe/internal/gitdir"
)

// fakeGit puts a git on PATH that logs its arguments and fails (as outside a work
// tree), and returns the log's path.
func fakeGit(t *testing.T) string {
	t.Helper()
	bin := t.TempDir()
	log := filepath.Join(bin, "calls")
	script := "#!/bin/sh\necho \"$@\" >>" + log + "\nexit 128\n"
	if err := os.WriteFile(filepath.Join(bin, "git"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin)
	t.Setenv("GIT_DIR", "")
	t.Setenv("GIT_WORK_TREE", "")
	return log
}

// gitCalls is what the fake git was asked, one call a line.
func gitCalls(t *testing.T, log string) []string {
	t.Helper()
	data, err := os.ReadFile(log)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSpace(string(data)), "\n")
}

// The default base asks git only where git could find a work tree: a directory with
// .git above it, or $GIT_DIR / $GIT_WORK_TREE set. Elsewhere nothing is pending and
// no git process runs.
func TestDefaultBaseAsksGitOnlyNearGit(t *testing.T) {
	root := t.TempDir()
	if top, ok := gitdir.Top(root); ok {
		t.Skipf("the temporary directory %s is inside a git work tree (%s)", root, top)
	}
	dir := filepath.Join(root, "repo", "db", "migrations")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	set := &Set{Runner: "golang-migrate", Dir: dir, Migrations: []Migration{{Up: filepath.Join(dir, "1_a.up.sql")}}}
	pending := func() *Pending {
		t.Helper()
		p, err := PendingOf(set, PendingOptions{})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}

	log := fakeGit(t)
	if p := pending(); p.Count() != 0 || p.How != "" {
		t.Errorf("outside git: %d pending (%q), want none", p.Count(), p.How)
	}
	if calls := gitCalls(t, log); len(calls) != 0 {
		t.Errorf("outside git, git was run: %q", calls)
	}

	t.Setenv("GIT_DIR", filepath.Join(root, "elsewhere.git"))
	pending()
	if calls := gitCalls(t, log); len(calls) != 1 || !strings.Contains(calls[0], "--is-inside-work-tree") {
		t.Errorf("with $GIT_DIR set, git calls %q, want the work-tree question", calls)
	}

	log = fakeGit(t)
	if err := os.Mkdir(filepath.Join(root, "repo", ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	pending()
	if calls := gitCalls(t, log); len(calls) != 1 || !strings.Contains(calls[0], "--is-inside-work-tree") {
		t.Errorf("below a .git directory, git calls %q, want the work-tree question", calls)
	}
}

// A migration renamed since the base (same text, new file name) has run: with
// --base it counted as pending, so the table it created was new and empty and a
// later migration's blocking index on it passed. A new migration stays pending.
func TestPendingBaseRenamedMigrationIsDeployed(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	repo := t.TempDir()
	dir := filepath.Join(repo, "db")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-C", repo}, args...)...)
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	write := func(name, text string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	run("init", "-q", "-b", "main")
	write("1_t.up.sql", "CREATE TABLE orders (id bigint);\n")
	run("add", "db")
	run("commit", "-qm", "base")
	run("mv", "db/1_t.up.sql", "db/1_orders.up.sql")
	write("2_i.up.sql", "CREATE INDEX ON orders (id);\n")
	set := &Set{Runner: "golang-migrate", Dir: dir, Migrations: []Migration{
		{Up: filepath.Join(dir, "1_orders.up.sql")}, {Up: filepath.Join(dir, "2_i.up.sql")}}}
	p, err := PendingOf(set, PendingOptions{Base: "main"})
	if err != nil {
		t.Fatal(err)
	}
	if p.Is(set.Migrations[0].Up) {
		t.Error("the renamed migration counts as pending")
	}
	if !p.Is(set.Migrations[1].Up) {
		t.Error("the new migration does not count as pending")
	}
	// Renamed within its version, it is the same migration to golang-migrate.
	if was, _, ok := p.RenamedSince(set.Migrations[0].Up); ok {
		t.Errorf("a rename within the version is reported (was %s)", was)
	}
	// Under a new version it would run again where it has run: reported.
	run("mv", "db/1_orders.up.sql", "db/3_orders.up.sql")
	set.Migrations[0].Up = filepath.Join(dir, "3_orders.up.sql")
	if p, err = PendingOf(set, PendingOptions{Base: "main"}); err != nil {
		t.Fatal(err)
	}
	if was, base, ok := p.RenamedSince(set.Migrations[0].Up); !ok || was != filepath.Join(dir, "1_t.up.sql") || base != "main" || p.Is(set.Migrations[0].Up) {
		t.Errorf("renamed to a new version: RenamedSince %q %q %v, pending %v", was, base, ok, p.Is(set.Migrations[0].Up))
	}
}

// sqitch rework edits a deployed change's script in place (keeping the old one as
// name@tag.sql) and deploys it again: that edit is no edited deployed migration; an
// edit without the copy is.
func TestEditedSinceSqitchRework(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	repo := t.TempDir()
	deploy := filepath.Join(repo, "deploy")
	if err := os.MkdirAll(deploy, 0o755); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-C", repo}, args...)...)
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	up := filepath.Join(deploy, "users.sql")
	old := "CREATE TABLE users (id bigint);\n"
	if err := os.WriteFile(up, []byte(old), 0o644); err != nil {
		t.Fatal(err)
	}
	run("init", "-q", "-b", "main")
	run("add", "deploy")
	run("commit", "-qm", "base")
	set := &Set{Runner: migration.Sqitch, Dir: repo, Migrations: []Migration{{Up: up}}}
	edited := "CREATE TABLE users (id bigint, email text);\n"
	check := func(want bool) {
		t.Helper()
		p, err := PendingOf(set, PendingOptions{Base: "main"})
		if err != nil {
			t.Fatal(err)
		}
		if _, got := p.EditedSince(up, edited); got != want {
			t.Errorf("edited %v, want %v", got, want)
		}
		if _, got := p.EditedSince(up, old); got {
			t.Error("the base's own text counts as edited")
		}
	}
	check(true)
	if err := os.WriteFile(filepath.Join(deploy, "users@v1.sql"), []byte(old), 0o644); err != nil {
		t.Fatal(err)
	}
	check(false)
}

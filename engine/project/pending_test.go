package project

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

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

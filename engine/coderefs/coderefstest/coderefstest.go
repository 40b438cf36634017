// Package coderefstest builds git repositories from fixture trees for tests of code
// references: a base commit (the previous release) and a HEAD commit on top of it.
package coderefstest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// BaseTag is the tag of the base commit.
const BaseTag = "previous-release"

// Repo copies head into a new git repository and returns its path. The first commit,
// tagged BaseTag, is head with the files of overlay on top and without the paths
// listed in overlay/REMOVED; the second commit is head as it is. Files head's
// .gitignore ignores are copied but never committed.
func Repo(t testing.TB, head, overlay string) string {
	t.Helper()
	dir := t.TempDir()
	copyTree(t, head, dir)
	run(t, dir, "init", "-q", "-b", "main")
	run(t, dir, "config", "user.email", "test@example.com")
	run(t, dir, "config", "user.name", "test")
	var removed []string
	if data, err := os.ReadFile(filepath.Join(overlay, "REMOVED")); err == nil {
		removed = strings.Fields(string(data))
	}
	stash := t.TempDir()
	for _, p := range removed {
		if err := os.Rename(filepath.Join(dir, p), filepath.Join(stash, filepath.Base(p))); err != nil {
			t.Fatal(err)
		}
	}
	added := copyTree(t, overlay, dir)
	run(t, dir, "add", "-A")
	run(t, dir, "commit", "-q", "-m", "previous release")
	run(t, dir, "tag", BaseTag)
	for _, p := range added {
		if _, err := os.Stat(filepath.Join(head, p)); os.IsNotExist(err) {
			os.Remove(filepath.Join(dir, p))
		}
	}
	copyTree(t, head, dir)
	run(t, dir, "add", "-A")
	// An empty overlay makes both commits the same tree.
	run(t, dir, "commit", "-q", "--allow-empty", "-m", "this release")
	return dir
}

// copyTree copies the files below src into dst (except REMOVED) and returns their
// slash paths relative to src.
func copyTree(t testing.TB, src, dst string) []string {
	t.Helper()
	var out []string
	err := filepath.Walk(src, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if rel == "REMOVED" {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return err
		}
		out = append(out, filepath.ToSlash(rel))
		return os.WriteFile(target, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func run(t testing.TB, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

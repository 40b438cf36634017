package gitdir

import (
	"os"
	"path/filepath"
	"testing"
)

func TestTop(t *testing.T) {
	root := t.TempDir()
	if top, ok := Top(root); ok {
		t.Skipf("the temporary directory %s is inside a git work tree (%s)", root, top)
	}
	deep := filepath.Join(root, "a", "b", "c")
	if err := os.MkdirAll(deep, 0o755); err != nil {
		t.Fatal(err)
	}
	if top, ok := Top(deep); ok {
		t.Errorf("Top(%s) = %s, want none", deep, top)
	}
	// A linked work tree's .git is a file.
	if err := os.WriteFile(filepath.Join(root, "a", ".git"), []byte("gitdir: elsewhere\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if top, ok := Top(deep); !ok || top != filepath.Join(root, "a") {
		t.Errorf("Top(%s) = %s, %v; want %s", deep, top, ok, filepath.Join(root, "a"))
	}
}

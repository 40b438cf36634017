package main

import (
	"os"
	"path/filepath"
	"testing"
)

// Writing over a stats file is all or nothing: the new content replaces the old one
// whole, and a write that fails leaves the old file and no temporary beside it.
func TestWriteAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "stats.json")
	if err := os.WriteFile(path, []byte(`{"version": 1, "tables": {"a": {}}, "long": "old content longer than the new"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := writeAtomic(path, []byte("{}\n")); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); string(got) != "{}\n" {
		t.Errorf("after the write: %q", got)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, %v; want 0644 like the file it replaces", fi.Mode(), err)
	}

	// A directory in the way: the rename fails and nothing is left behind.
	sub := filepath.Join(dir, "sub")
	if err := os.MkdirAll(filepath.Join(sub, "stats.json", "x"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := writeAtomic(filepath.Join(sub, "stats.json"), []byte("{}\n")); err == nil {
		t.Error("writing over a non-empty directory succeeded")
	}
	if entries, _ := os.ReadDir(sub); len(entries) != 1 {
		t.Errorf("left in %s: %v", sub, entries)
	}
}

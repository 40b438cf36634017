package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// collectInputs stats the paths in parallel but keeps their order: files and walked
// directories in the order given, and the first path that fails is the one reported.
func TestCollectInputsKeepsTheOrderOfThePaths(t *testing.T) {
	dir := t.TempDir()
	var paths []string
	for i := 0; i < 300; i++ {
		p := filepath.Join(dir, fmt.Sprintf("%03d.sql", 299-i))
		if err := os.WriteFile(p, []byte("SELECT 1;"), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	sub := filepath.Join(dir, "sub")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"b.sql", "a.sql"} {
		if err := os.WriteFile(filepath.Join(sub, n), []byte("SELECT 1;"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ins, err := collectInputs(append(append([]string{}, paths[:150]...), append([]string{sub}, paths[150:]...)...), "", nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, in := range ins {
		got = append(got, in.path)
		if !in.sized && !strings.HasPrefix(in.path, sub) {
			t.Errorf("%s: no size", in.path)
		}
	}
	want := append(append(append([]string{}, paths[:150]...), filepath.Join(sub, "a.sql"), filepath.Join(sub, "b.sql")), paths[150:]...)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("inputs out of order:\n%v", got)
	}
	missing := []string{paths[0], filepath.Join(dir, "gone-1.sql"), paths[1], filepath.Join(dir, "gone-2.sql")}
	if _, err := collectInputs(missing, "", nil); err == nil || !strings.Contains(err.Error(), "gone-1.sql") || strings.Contains(err.Error(), "gone-2.sql") {
		t.Errorf("two missing paths: %v, want the first named", err)
	}
}

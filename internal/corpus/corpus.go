// Package corpus finds the shared corpus of real migrations (shared/corpus beside the
// repository) for tests and benchmarks, which read it in place and never copy it.
package corpus

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// Dir is $MIGSAFE_CORPUS, else the first shared/corpus found walking up from the
// working directory (a test's package directory); "" when there is none.
func Dir() string {
	if d := os.Getenv("MIGSAFE_CORPUS"); d != "" {
		return d
	}
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		c := filepath.Join(dir, "shared", "corpus")
		if st, err := os.Stat(c); err == nil && st.IsDir() {
			return c
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// File is one migration of the corpus.
type File struct {
	Path, Text string
}

// SQLFiles reads every .sql file of the corpus, sorted by path; it skips the test when
// there is no corpus.
func SQLFiles(tb testing.TB) []File {
	tb.Helper()
	root := Dir()
	if root == "" {
		tb.Skip("no shared/corpus found above the repository (set MIGSAFE_CORPUS)")
	}
	var files []File
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".sql") {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		files = append(files, File{Path: p, Text: string(data)})
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	if len(files) == 0 {
		tb.Skipf("%s holds no .sql files", root)
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	return files
}

// Package corpus finds the shared corpus of real migrations (shared/corpus beside the
// repository) for tests and benchmarks, which read it in place and never copy it.
package corpus

import (
	"os"
	"path/filepath"
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

package lsp

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap"

	"github.com/migsafe/migsafe/internal/corpus"
)

// TestCorpus opens every migration of the shared corpus (../shared/corpus beside the
// repository, or $MIGSAFE_CORPUS) in one server session: each gets its diagnostics,
// none is an internal error.
func TestCorpus(t *testing.T) {
	dir := corpus.Dir()
	if dir == "" {
		t.Skip("no shared/corpus found above the repository (set MIGSAFE_CORPUS)")
	}
	var files []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".sql") {
			files = append(files, p)
		}
		return nil
	})
	c := newClient(t, Options{Logger: zap.NewNop()})
	c.initialize("", "")
	start := time.Now()
	for _, p := range files {
		abs, _ := filepath.Abs(p)
		text, err := os.ReadFile(abs)
		if err != nil {
			t.Fatal(err)
		}
		uri := pathURI(abs)
		c.open(uri, string(text))
		for _, d := range c.waitDiags(uri, 1).Diagnostics {
			if strings.Contains(d.Message, "internal error") {
				t.Errorf("%s: %s", p, d.Message)
			}
		}
	}
	t.Logf("%d corpus files analysed through the server in %v", len(files), time.Since(start))
}

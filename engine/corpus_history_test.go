package engine_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/migsafe/migsafe/engine"
	"github.com/migsafe/migsafe/engine/config"
)

// The corpus's three SQL projects, analysed as `check` does: every file in its set,
// against the catalog its history leaves, with no error and the invariants of a lone
// analysis kept. Their histories are long and real: most files must see tables of
// earlier ones (a replay that silently produced empty catalogs would pass otherwise).
func TestCorpusHistories(t *testing.T) {
	files := corpusFiles(t)
	cfg := config.Default()
	var jobs []engine.Job
	for _, f := range files {
		for _, project := range []string{"hatchet-goose", "dhis2-flyway", "openmeter-golang-migrate"} {
			if strings.Contains(f.path, string(filepath.Separator)+project+string(filepath.Separator)) {
				jobs = append(jobs, engine.Job{Path: f.path, Text: f.text, Config: cfg})
			}
		}
	}
	if len(jobs) == 0 {
		t.Skip("the corpus has none of its SQL projects")
	}
	withHistory := 0
	for i, o := range engine.AnalyzeBatch(jobs, engine.BatchOptions{}) {
		if o.Err != nil {
			t.Fatalf("%s: %v", jobs[i].Path, o.Err)
		}
		checkInvariants(t, o.Result)
		if h := o.Result.History; h != nil && h.Before != nil && len(h.Before.Relations()) > 0 {
			withHistory++
		}
	}
	if withHistory < len(jobs)*9/10 {
		t.Errorf("only %d of %d files were judged against a non-empty catalog", withHistory, len(jobs))
	}
	t.Logf("%d of %d files judged against the catalog of their history", withHistory, len(jobs))
}

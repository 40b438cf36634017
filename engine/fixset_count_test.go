package engine

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/migsafe/migsafe/engine/config"
)

// TestFixInSetAnalysesLinear: with a migration judged in its set, each fix FixFile
// tries had its new migrations judged with every earlier fix's, and the layout
// renumbers those, so all of them were analysed again at every trial: the dhis2
// migration of 845 type changes took 10 GB and minutes through `check --format
// markdown` (its runbook composes the fixes). A trial judges the files it adds, and
// the whole plan is judged once at the end.
func TestFixInSetAnalysesLinear(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "db", "migration")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	const n = 24
	var create, alter strings.Builder
	create.WriteString("CREATE TABLE t (id int PRIMARY KEY")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&create, ", c%d int", i)
		fmt.Fprintf(&alter, "ALTER TABLE t ALTER COLUMN c%d TYPE bigint;\n", i)
	}
	create.WriteString(");\n")
	if err := os.WriteFile(filepath.Join(dir, "V1__create.sql"), []byte(create.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "V2__widen.sql")
	if err := os.WriteFile(path, []byte(alter.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := config.Default()
	in := AnalyzeBatch([]Job{{Path: path, Text: alter.String(), Config: cfg, OnDisk: true}}, BatchOptions{})[0]
	if in.Err != nil {
		t.Fatal(in.Err)
	}
	if in.Result.History == nil {
		t.Fatal("the migration was not judged in its set")
	}
	start := inSetAnalyses.Load()
	fixed, err := FixFile(path, alter.String(), cfg, FixOptions{Split: true, History: in.Result.History})
	if err != nil {
		t.Fatal(err)
	}
	analyses := inSetAnalyses.Load() - start

	sqlFiles := 0
	for _, f := range fixed.Files {
		if strings.HasSuffix(f.File.Path, ".sql") {
			sqlFiles++
		}
	}
	if sqlFiles < 2*n { // each change: a backfill, then the NOT NULL
		for _, s := range fixed.Skipped {
			t.Log(s.Reason)
		}
		t.Fatalf("%d new migrations judged for %d type changes: the fixes were not composed", sqlFiles, n)
	}
	// Each new migration once when its fix is tried, and once more at the end.
	if analyses > int64(3*sqlFiles) {
		t.Errorf("%d analyses in the set for %d new migrations: earlier fixes' migrations judged again at each trial", analyses, sqlFiles)
	}
	t.Logf("%d analyses in the set for %d new migrations", analyses, sqlFiles)
}

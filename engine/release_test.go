package engine_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/migsafe/migsafe/engine"
	"github.com/migsafe/migsafe/engine/config"
	"github.com/migsafe/migsafe/engine/report"
)

// TestReleaseTreesSameReport: with ReleaseTrees, each tree is dropped once its last
// reader has run; the report (findings, fix titles, problems, deploy plans) of every
// file under testdata is the one the analysis holding every tree gives, and trees are
// released: in fixtures of every rule, sets with down files (given as jobs beside
// their ups, and not), DO bodies, ORM migrations.
func TestReleaseTreesSameReport(t *testing.T) {
	var jobs []engine.Job
	err := filepath.WalkDir(filepath.Join("..", "testdata"), func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !(strings.HasSuffix(p, ".sql") || strings.HasSuffix(p, ".rb") || strings.HasSuffix(p, ".py") || strings.HasSuffix(p, ".ts") || strings.HasSuffix(p, ".js")) {
			return nil
		}
		jobs = append(jobs, engine.Job{Path: p, OnDisk: true, Config: config.Default()})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(jobs) < 100 {
		t.Fatalf("%d files under testdata: the walk missed them", len(jobs))
	}
	run := func(release bool) ([]byte, int) {
		var results []*engine.Result
		released := 0
		for _, o := range engine.AnalyzeBatch(jobs, engine.BatchOptions{Workers: 2, ReleaseTrees: release}) {
			if o.Err != nil {
				continue
			}
			results = append(results, o.Result)
			for _, st := range o.Result.File.Statements {
				if st.Released {
					released++
					if st.Node != nil {
						t.Errorf("%s: statement %d released but holds its tree", o.Result.File.Path, st.Index)
					}
				}
			}
		}
		var b bytes.Buffer
		if err := report.WriteJSON(&b, report.Build(results)); err != nil {
			t.Fatal(err)
		}
		return b.Bytes(), released
	}
	kept, none := run(false)
	got, released := run(true)
	if none != 0 {
		t.Errorf("%d statements released without ReleaseTrees", none)
	}
	if released < 200 {
		t.Errorf("only %d statements released", released)
	}
	if !bytes.Equal(got, kept) {
		a, b := strings.Split(string(kept), "\n"), strings.Split(string(got), "\n")
		for i := 0; i < len(a) && i < len(b); i++ {
			if a[i] != b[i] {
				t.Fatalf("the report differs with the trees released, at line %d:\n kept:     %s\n released: %s\n(%s)", i+1, a[i], b[i], strings.Join(a[max(0, i-20):i], "\n"))
			}
		}
		t.Fatalf("the report differs with the trees released: %d lines against %d", len(b), len(a))
	}
}

// TestReleaseTreesKeepsSharedDown: a down file given as a job beside its up is parsed
// once for both (the up's analysis reads its statements), so its own analysis, run
// first here, must not release its trees. (A golang-migrate down file's statements are
// its own down's, which keeps them already; the batch's shared flag does not rest on
// that.)
func TestReleaseTreesKeepsSharedDown(t *testing.T) {
	dir := filepath.Join("..", "testdata", "projects", "irreversible-down")
	var jobs []engine.Job
	for _, name := range []string{"0002_archive.down.sql", "0002_archive.up.sql", "0003_region.down.sql", "0003_region.up.sql"} {
		jobs = append(jobs, engine.Job{Path: filepath.Join(dir, name), OnDisk: true, Config: config.Default()})
	}
	render := func(release bool) string {
		var results []*engine.Result
		for _, o := range engine.AnalyzeBatch(jobs, engine.BatchOptions{Workers: 1, ReleaseTrees: release}) {
			if o.Err != nil {
				t.Fatal(o.Err)
			}
			results = append(results, o.Result)
		}
		var b bytes.Buffer
		if err := report.WriteJSON(&b, report.Build(results)); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	if kept, got := render(false), render(true); got != kept {
		t.Errorf("the report differs with the trees released:\n%s\nkept:\n%s", got, kept)
	}
}

// TestReleasedFixesRefused: with the trees released only the fixes' titles can be
// built; a full build of a released statement's fixes is refused as an internal
// error rather than made from a statement without its tree.
func TestReleasedFixesRefused(t *testing.T) {
	const text = "CREATE INDEX users_email_idx ON users (email);\n"
	res := engine.Analyze("0001_index.sql", text, config.Default(), engine.Options{NoSiblings: true, ReleaseTrees: true})
	var fd *engine.Finding
	for _, x := range res.Findings {
		if x.Rule.ID == "require-concurrent-index-creation" {
			fd = x
		}
	}
	if fd == nil || !fd.Stmt.Released {
		t.Fatalf("no released finding of require-concurrent-index-creation: %v", res.Findings)
	}
	if len(fd.FixTitles()) == 0 {
		t.Fatal("no fix titles")
	}
	if fixes := fd.Fixes(); fixes != nil {
		t.Errorf("fixes built without the tree: %v", fixes)
	}
	found := false
	for _, p := range res.Problems {
		found = found || strings.Contains(p.Message, "released")
	}
	if !found {
		t.Errorf("no internal-error problem for the refused build: %v", res.Problems)
	}
}

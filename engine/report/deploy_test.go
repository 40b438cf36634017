package report_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/migsafe/migsafe/engine"
	"github.com/migsafe/migsafe/engine/config"
	"github.com/migsafe/migsafe/engine/migration"
	"github.com/migsafe/migsafe/engine/orm"
	"github.com/migsafe/migsafe/engine/report"
)

// A deploy order names each line once, in ascending order: an ORM call sends several
// statements from one line (a Django RenameModel renames tables and columns and adds
// keys again), and the ones it defers (keys, indexes) come after later calls'. The
// report listed "line 35, 35, 35, 80" and "line 63, ..., 562, 149, 488".
func TestDeployLinesOnceInOrder(t *testing.T) {
	root := filepath.Join("..", "..", "testdata", "orm")
	var files []string
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && orm.Candidate(p) && !strings.Contains(p, "node_modules") {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	withRepeats := 0
	for _, p := range files {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		res := engine.Analyze(p, string(data), config.Default(), engine.Options{ReadFile: os.ReadFile})
		plan := res.Deploy()
		for _, side := range [][]*engine.StatementResult{plan.Before, plan.After, plan.NoSafeOrder} {
			seen := map[int]bool{}
			for _, sr := range side {
				l := res.File.Source.Position(sr.Stmt.Start, migration.UTF8).Line
				if seen[l] {
					withRepeats++
				}
				seen[l] = true
			}
		}
		d := report.Build([]*engine.Result{res}).Files[0].Deploy
		if d == nil {
			continue
		}
		for name, ls := range map[string][]int{"before": d.Before, "after": d.After, "noSafeOrder": d.NoSafeOrder} {
			for i := 1; i < len(ls); i++ {
				if ls[i] <= ls[i-1] {
					t.Errorf("%s: deploy %s lines %v: not each once in ascending order", p, name, ls)
					break
				}
			}
		}
	}
	if withRepeats == 0 {
		t.Error("no fixture has two statements of one deploy side on a line: the test checks nothing")
	}
}

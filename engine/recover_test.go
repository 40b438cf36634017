package engine_test

import (
	"bytes"
	"strconv"
	"strings"
	"testing"

	"github.com/migsafe/migsafe/engine"
	"github.com/migsafe/migsafe/engine/config"
	"github.com/migsafe/migsafe/engine/migration"
	"github.com/migsafe/migsafe/engine/report"
	"github.com/migsafe/migsafe/engine/rules"
)

// inject adds rules to the registry for one test.
func inject(t *testing.T, rs ...*rules.Rule) {
	saved := rules.All
	rules.All = append(append([]*rules.Rule{}, saved...), rs...)
	t.Cleanup(func() { rules.All = saved })
}

// A rule that panics loses its findings; the panic must become a problem located at
// the statement it was checking, shown like a finding, so that the file is never SAFE
// TO SHIP because findings vanished.
func TestPanickingRuleIsALocatedProblem(t *testing.T) {
	var none []int
	inject(t,
		&rules.Rule{ID: "test-panics-on-update", Category: rules.LockContention, Status: rules.Block, Summary: "test",
			Check: func(p *rules.Pass) {
				if p.Stmt.Node.GetUpdateStmt() != nil {
					_ = none[3] // index out of range
				}
			}},
		&rules.Rule{ID: "test-panics-per-file", Category: rules.LockContention, Status: rules.Block, Summary: "test",
			CheckFile: func(p *rules.Pass) { panic("file check broke") }},
	)
	text := "SET lock_timeout = '1s';\nSELECT 1;\nUPDATE flags SET on_ = true WHERE id = 7;\n"
	cfg := config.Default()
	cfg.Tables["flags"] = 10
	res := engine.Analyze("0001_x.sql", text, cfg, engine.Options{NoSiblings: true})

	if len(res.Problems) != 2 {
		t.Fatalf("problems: %+v", res.Problems)
	}
	update := strings.Index(text, "UPDATE")
	byRule := map[string]engine.Problem{}
	for _, p := range res.Problems {
		if p.Kind != engine.InternalError {
			t.Errorf("problem kind %q", p.Kind)
		}
		for _, id := range []string{"test-panics-on-update", "test-panics-per-file"} {
			if strings.Contains(p.Message, "rule "+id+" failed") {
				byRule[id] = p
			}
		}
	}
	pu, pf := byRule["test-panics-on-update"], byRule["test-panics-per-file"]
	if pu.Offset != update || !strings.Contains(pu.Message, "index out of range") || !strings.Contains(pu.Message, "engine/recover_test.go:") ||
		!strings.HasPrefix(pu.Message, "Verify: ") {
		t.Errorf("statement rule's problem: %+v (want offset %d, the panic and its site)", pu, update)
	}
	if pf.Offset != 0 || !strings.Contains(pf.Message, "file check broke") {
		t.Errorf("file rule's problem: %+v", pf)
	}
	if res.Verdict == engine.SafeToShip || res.Worst() < rules.Flag {
		t.Errorf("verdict %s with a panicked rule", res.Verdict)
	}

	// Reports show it like a finding: status, ID, position.
	var out bytes.Buffer
	if err := report.WriteText(&out, report.Build([]*engine.Result{res}), report.TextOptions{}); err != nil {
		t.Fatal(err)
	}
	line := res.File.Source.Position(update, migration.CodePoints).Line + 1
	if want := "0001_x.sql:" + strconv.Itoa(line) + ":1: FLAG internal-error: Verify: rule test-panics-on-update failed"; !strings.Contains(out.String(), want) {
		t.Errorf("text report lacks %q:\n%s", want, out.String())
	}
	if strings.Contains(out.String(), "SAFE TO SHIP") {
		t.Errorf("text report says SAFE TO SHIP:\n%s", out.String())
	}
}

package engine_test

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/migsafe/migsafe/engine"
	"github.com/migsafe/migsafe/engine/config"
	"github.com/migsafe/migsafe/engine/migration"
)

// TestSmokeCorpus analyses every real migration of shared/corpus: no panic, every
// statement, finding and problem located inside its file. It prints what it saw so a
// change in behaviour over real work is visible (go test ./engine -run Smoke -v).
func TestSmokeCorpus(t *testing.T) {
	files := corpusFiles(t)
	var statements, syntaxErrors, otherProblems, parsed int
	var errorLines []string
	byRule := map[string]int{}
	verdicts := map[engine.Verdict]int{}
	start := time.Now()
	for _, f := range files {
		res := analyzeNoPanic(t, f)
		if res == nil {
			continue
		}
		checkInvariants(t, res)
		var offsets []int
		for _, st := range res.File.Statements {
			offsets = append(offsets, st.Start, st.End)
			if st.Err == nil {
				parsed++
			}
		}
		checkRoundTrip(t, res.File.Source, offsets)
		statements += len(res.File.Statements)
		for _, fd := range res.Findings {
			byRule[fd.Rule.ID]++
		}
		for _, p := range res.Problems {
			if p.Kind == "syntax" {
				syntaxErrors++
				pos := res.File.Source.Position(p.Offset, migration.CodePoints)
				errorLines = append(errorLines, fmt.Sprintf("  %s:%d:%d: %s", f.path, pos.Line+1, pos.Column+1, p.Message))
			} else {
				otherProblems++
			}
		}
		verdicts[res.Verdict]++
	}
	elapsed := time.Since(start)
	var b strings.Builder
	fmt.Fprintf(&b, "corpus: %d files, %d statements (%d parsed), %d syntax errors, %d suppression problems, in %v (%.2f ms/file)\n",
		len(files), statements, parsed, syntaxErrors, otherProblems, elapsed.Round(time.Millisecond), float64(elapsed.Microseconds())/1000/float64(len(files)))
	fmt.Fprintf(&b, "verdicts: %d %s, %d %s, %d %s\n", verdicts[engine.BlockVerdict], engine.BlockVerdict,
		verdicts[engine.SafeWithModifications], engine.SafeWithModifications, verdicts[engine.SafeToShip], engine.SafeToShip)
	ids := make([]string, 0, len(byRule))
	for id := range byRule {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool {
		return byRule[ids[i]] > byRule[ids[j]] || byRule[ids[i]] == byRule[ids[j]] && ids[i] < ids[j]
	})
	for _, id := range ids {
		fmt.Fprintf(&b, "  %6d %s\n", byRule[id], id)
	}
	for _, l := range errorLines {
		fmt.Fprintln(&b, l)
	}
	t.Log("\n" + b.String())
	if statements == 0 {
		t.Error("the corpus gave no statements: the splitter lost everything")
	}
}

// analyzeNoPanic analyses one corpus file and turns a panic into a test error naming
// the file, so one bad file does not hide the others.
func analyzeNoPanic(t *testing.T, f corpusFile) (res *engine.Result) {
	defer func() {
		if v := recover(); v != nil {
			t.Errorf("%s: panic: %v", f.path, v)
			res = nil
		}
	}()
	return engine.Analyze(f.path, f.text, config.Default(), engine.Options{ReadFile: os.ReadFile})
}

package engine_test

import (
	"testing"
	"time"

	"github.com/migsafe/migsafe/codeactions"
	"github.com/migsafe/migsafe/engine"
	"github.com/migsafe/migsafe/engine/rules"
)

// Composing every fix of each real migration of the corpus works: no error, no panic,
// nothing that did not parse before fails to parse after, and the composed result
// never reads worse than the file did. (The corpus is read, never written: the plans
// stay in memory.)
func TestCorpusFixAll(t *testing.T) {
	files := corpusFiles(t)
	start := time.Now()
	fixed, skipped, planned := 0, 0, 0
	for _, f := range files {
		res := engine.Analyze(f.path, f.text, nil, engine.Options{})
		if len(res.Findings) == 0 {
			continue
		}
		out, err := engine.FixFile(f.path, f.text, nil, engine.FixOptions{Split: true, FS: codeactions.NewOverlay(nil)})
		if err != nil {
			t.Errorf("%s: %v", f.path, err)
			continue
		}
		if out.After.Worst() > out.Before.Worst() {
			t.Errorf("%s: %s before the fixes, %s after", f.path, out.Before.Verdict, out.After.Verdict)
		}
		syntax := func(r *engine.Result) int {
			n := 0
			for _, p := range r.Problems {
				if p.Kind == "syntax" {
					n++
				}
			}
			return n
		}
		if syntax(out.After) > syntax(out.Before) {
			t.Errorf("%s: the fixes leave it unparsable", f.path)
		}
		for _, r := range out.Files {
			for _, fd := range r.Findings {
				if fd.Status == rules.Block {
					t.Errorf("%s: new migration %s has a BLOCK: %s", f.path, r.File.Path, fd.Message)
				}
			}
		}
		if !out.Plan.Empty() {
			fixed++
			planned += len(out.Plan.Changes)
		}
		skipped += len(out.Skipped)
		for _, sk := range out.Skipped {
			t.Logf("%s: %s not fixed: %s", f.path, sk.Finding.Rule.ID, sk.Reason)
		}
	}
	t.Logf("%d corpus files: %d fixed (%d files planned), %d findings whose fixes were skipped, in %v", len(files), fixed, planned, skipped, time.Since(start))
}

package engine_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/migsafe/migsafe/codeactions"
	"github.com/migsafe/migsafe/engine"
	"github.com/migsafe/migsafe/engine/rules"
)

// FuzzFix composes the fixes of arbitrary text (what `migsafe fix` does): no panic
// and no error; the fixed text, analysed afresh (no parse cache, as `check` reads it
// after the fix is written), is what FixFile says it is; it has no syntax error the
// text did not have, no worse verdict, and no more findings of any rule than the text
// had (a fix may not trade its finding for another) unless it adds migrations, which
// must hold no BLOCK.
func FuzzFix(f *testing.F) {
	root := "/nonexistent-migsafe-fuzz" // nothing beside the migration on disk
	addFixtureSeeds(f, func(path, text string) {
		for i := range 3 {
			f.Add(uint8(i), text)
		}
	})
	f.Add(uint8(0), "CREATE INDEX i ON t (c);\nALTER TABLE t ADD COLUMN x int NOT NULL DEFAULT random()::int;")
	f.Add(uint8(4), "-- +goose Up\nALTER TABLE t ALTER COLUMN c SET NOT NULL;\n-- +goose Down\nSELECT 1;")
	now := func() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) }
	f.Fuzz(func(t *testing.T, which uint8, text string) {
		path := filepath.Join(root, fuzzPaths[int(which)%len(fuzzPaths)])
		out, err := engine.FixFile(path, text, nil, engine.FixOptions{Split: true, FS: codeactions.NewOverlay(nil), Now: now})
		if err != nil {
			t.Fatalf("FixFile: %v", err)
		}
		if out.Plan.Empty() {
			return
		}
		ov := codeactions.NewOverlay(nil)
		fixed := text
		for _, c := range out.Plan.Changes {
			ov.Files[c.Path] = c.New
			if c.Path == path {
				fixed = c.New
			}
		}
		fresh := engine.Analyze(path, fixed, nil, engine.Options{ReadFile: ov.ReadFile})
		if g, w := findings(fresh), findings(out.After); g != w {
			t.Fatalf("fixed text %q analysed afresh:\n%s\nFixFile's analysis of it:\n%s", fixed, g, w)
		}
		syntax := func(r *engine.Result) (n int) {
			for _, p := range r.Problems {
				if p.Kind == "syntax" {
					n++
				}
			}
			return n
		}
		if syntax(fresh) > syntax(out.Before) {
			t.Fatalf("fixed text %q: %d syntax errors, %d before", fixed, syntax(fresh), syntax(out.Before))
		}
		if fresh.Worst() > out.Before.Worst() {
			t.Fatalf("fixed text %q: %s, %s before", fixed, fresh.Verdict, out.Before.Verdict)
		}
		for _, r := range out.Files {
			for _, fd := range r.Findings { // its problems may be an "unfinished" placeholder
				if fd.Status == rules.Block {
					t.Fatalf("fixed text %q: new migration %s has a BLOCK: %s", fixed, r.File.Path, fd.Message)
				}
			}
		}
		for _, c := range out.Plan.Changes {
			if c.Create {
				// A phase moved into a new migration may leave a finding that the
				// migrations together answer (an index the next one builds): FixFile
				// judges those with the plan deployed, so the count below does not hold.
				return
			}
		}
		before := map[string]int{}
		for _, fd := range out.Before.Findings {
			before[fd.Rule.ID]++
		}
		for _, fd := range fresh.Findings {
			if before[fd.Rule.ID]--; before[fd.Rule.ID] < 0 {
				t.Fatalf("fixed text %q has more %s findings than the text (%s)", fixed, fd.Rule.ID, fd.Message)
			}
		}
	})
}

func findings(r *engine.Result) string {
	var b strings.Builder
	for _, fd := range r.Findings {
		fmt.Fprintf(&b, "%d-%d %s %s: %s\n", fd.Start, fd.End, fd.Status, fd.Rule.ID, fd.Message)
	}
	for _, p := range r.Problems {
		fmt.Fprintf(&b, "problem %d %s: %s\n", p.Offset, p.Kind, p.Message)
	}
	return b.String()
}

package engine

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/migsafe/migsafe/codeactions"
	"github.com/migsafe/migsafe/engine/config"
	"github.com/migsafe/migsafe/engine/migration"
	"github.com/migsafe/migsafe/engine/project"
)

// TestFixFixturesSetCheck checks each fix fixture's composed split output the way
// `migsafe check` judges it after `migsafe fix --split --write`: every changed and new
// migration in its set, against the catalog the migrations before it leave. A fix's
// output must not carry an ignore that suppresses nothing (invalid-ignore), nor be
// reported by the rule whose finding the fix fixed, nor be told to split again for
// the code deploy (a new migration mixing before- and after-code statements).
func TestFixFixturesSetCheck(t *testing.T) {
	root := filepath.Join("..", "testdata", "fixes")
	entries, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		dir := filepath.Join(root, e.Name())
		t.Run(e.Name(), func(t *testing.T) { checkFixedSet(t, dir) })
	}
}

func checkFixedSet(t *testing.T, dir string) {
	inputDir := filepath.Join(dir, "input")
	inputs := readTree(t, inputDir)
	var path, ruleID string
	for _, name := range sortedKeys(inputs) {
		for _, c := range migration.Parse(name, inputs[name], migration.Options{}).Comments {
			if m := fixDirective.FindStringSubmatch(c.Text); m != nil && m[1] == "fix" {
				path, ruleID = name, strings.TrimSpace(m[2])
			}
		}
	}
	if path == "" {
		t.Fatalf("%s: no `-- fix:` directive", inputDir)
	}
	filePath := filepath.Join(inputDir, path)
	cfg := fixtureConfig(t, filePath, inputs[path])
	// As `migsafe fix` does: the migration is judged in its set, and so are its fixes.
	in := AnalyzeBatch([]Job{{Path: filePath, Text: inputs[path], Config: cfg}}, BatchOptions{})[0]
	if in.Err != nil {
		t.Fatal(in.Err)
	}
	fixed, err := FixFile(filePath, inputs[path], cfg, FixOptions{Split: true, Now: fixtureClock, History: in.Result.History})
	if err != nil {
		t.Fatal(err)
	}
	// The fixture's finding is fixed in its set too (its new migrations pass there).
	for _, sk := range fixed.Skipped {
		if sk.Finding.Rule.ID == ruleID {
			t.Errorf("%s: %s skipped in its set: %s", path, ruleID, sk.Reason)
		}
	}
	files := map[string]string{}
	var jobs []Job
	created := map[string]bool{}
	for _, c := range fixed.Plan.Changes {
		files[c.Path] = c.New
		created[c.Path] = c.Create
		// A pending phase is no migration yet: it is judged when it is promoted.
		if strings.HasSuffix(c.Path, ".sql") && !migration.DownOnly(c.Path) && !codeactions.IsPending(c.New) {
			jobs = append(jobs, Job{Path: c.Path, Text: c.New, Config: cfg})
		}
	}
	for i, o := range AnalyzeBatch(jobs, BatchOptions{FS: project.NewOverlay(project.OS, files)}) {
		if o.Err != nil {
			t.Errorf("%s: %v", jobs[i].Path, o.Err)
			continue
		}
		r := o.Result
		for _, f := range r.Findings {
			if f.Rule.ID == ruleID {
				t.Errorf("%s: %s %s: %s", filepath.Base(r.File.Path), f.Status, f.Rule.ID, f.Message)
			}
		}
		for _, pr := range r.Problems {
			if pr.Kind == "ignore" {
				t.Errorf("%s: %s: %s", filepath.Base(r.File.Path), ProblemKinds[pr.Kind].ID, pr.Message)
			}
		}
		if p := r.Deploy(); p.Mixed() && created[jobs[i].Path] {
			t.Errorf("%s: the fix's output needs the code deploy in its middle (before: %d statements, after: %d)",
				filepath.Base(r.File.Path), len(p.Before), len(p.After))
		}
	}
}

// TestNotNullVouchWhenAlone: a migration judged alone (standard input, no set) has its
// phases judged alone too, where the SET NOT NULL phase cannot see the CHECK the phase
// before added: the split vouches for it there, and only there.
func TestNotNullVouchWhenAlone(t *testing.T) {
	path := filepath.Join("..", "testdata", "fixes", "setting-not-null-goose", "input", "00005_email_required.sql")
	text, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	in := AnalyzeBatch([]Job{{Path: path, Text: string(text), Config: config.Default()}}, BatchOptions{})[0]
	if in.Err != nil || in.Result.History == nil {
		t.Fatalf("not judged in its set: %v", in.Err)
	}
	for _, c := range []struct {
		res   *Result
		vouch bool
	}{{Analyze(path, string(text), config.Default(), Options{}), true}, {in.Result, false}} {
		var phases []string
		for _, f := range c.res.Findings {
			if f.Rule.ID != "setting-not-null" {
				continue
			}
			for _, fix := range f.Fixes() {
				for _, ph := range fix.Phases {
					phases = append(phases, ph.Up)
				}
			}
		}
		got := strings.Contains(strings.Join(phases, ""), "migsafe:ignore setting-not-null")
		if len(phases) == 0 || got != c.vouch {
			t.Errorf("in its set %v: vouch %v in %d phases, want %v", c.res.History != nil, got, len(phases), c.vouch)
		}
	}
}

package engine

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/migsafe/migsafe/codeactions"
	"github.com/migsafe/migsafe/engine/config"
	"github.com/migsafe/migsafe/engine/migration"
	"github.com/migsafe/migsafe/engine/rules"
)

var update = flag.Bool("update", false, "rewrite the expected outputs of testdata/fixes")

// fixtureClock stamps sqitch plan lines in fixtures.
func fixtureClock() time.Time { return time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC) }

// Fix fixtures live in testdata/fixes/<case>/ (see its README):
//
//	input/          the migration directory: the file under test carries
//	                `-- fix: RULE-ID` on the statement's line or the line before, and
//	                optionally `-- config: TOML line`; other files are its neighbours
//	fixes.golden    the fixes offered, in order: kind, preferred, title
//	expected/       what the planner writes for the first (preferred) fix: the files it
//	                changes and the files it creates
//	expected-N/     the same for the N-th fix
//
// Every fix must lay out and apply; the preferred one must pass the test `migsafe fix`
// applies to each fix it composes (its finding gone, nothing worse, new migrations
// without a BLOCK); the others must parse. Composing all the fixes of the file in one
// pass must leave no BLOCK but a placeholder for the author.
func TestFixFixtures(t *testing.T) {
	root := filepath.Join("..", "testdata", "fixes")
	entries, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	fixtured := map[string]bool{}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		dir := filepath.Join(root, e.Name())
		t.Run(e.Name(), func(t *testing.T) {
			fixtured[runFixFixture(t, dir)] = true
		})
	}
	// Every rule that attaches fixes to a finding of its rule fixtures has a fix fixture.
	for id := range rulesWithFixes(t) {
		if !fixtured[id] {
			t.Errorf("rule %s attaches fixes but has no fix fixture in testdata/fixes", id)
		}
	}
}

// rulesWithFixes runs the rule fixtures and collects the rules whose findings there
// have fixes.
func rulesWithFixes(t *testing.T) map[string]bool {
	out := map[string]bool{}
	dir := filepath.Join("..", "testdata", "rules")
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".sql") {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		cfg := fixtureConfig(t, p, string(data))
		cfg.Enable = map[string]bool{}
		for _, r := range rules.All {
			cfg.Enable[r.ID] = true
		}
		for _, fd := range Analyze(p, string(data), cfg, Options{}).Findings {
			if len(fd.Fixes()) > 0 {
				out[fd.Rule.ID] = true
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

var fixDirective = regexp.MustCompile(`^--\s*(config|fix):\s?(.*)$`)

func fixtureConfig(t *testing.T, path, text string) *config.Config {
	var conf []string
	for _, c := range migration.Parse(path, text, migration.Options{}).Comments {
		if m := fixDirective.FindStringSubmatch(c.Text); m != nil && m[1] == "config" {
			conf = append(conf, m[2])
		}
	}
	if len(conf) == 0 {
		return config.Default()
	}
	cfg, err := config.Parse(path, []byte(strings.Join(conf, "\n")), rules.Known)
	if err != nil {
		t.Fatalf("%s: fixture config: %v", path, err)
	}
	return cfg
}

// runFixFixture checks one fixture and returns the rule ID it fixes.
func runFixFixture(t *testing.T, dir string) string {
	inputDir := filepath.Join(dir, "input")
	inputs := readTree(t, inputDir)
	var path, ruleID string
	var fixLine int
	for _, name := range sortedKeys(inputs) {
		pre := migration.Parse(name, inputs[name], migration.Options{})
		for _, c := range pre.Comments {
			m := fixDirective.FindStringSubmatch(c.Text)
			if m == nil || m[1] != "fix" {
				continue
			}
			if path != "" {
				t.Fatalf("%s: a second `-- fix:` directive; a fixture fixes one finding", name)
			}
			path, ruleID = name, strings.TrimSpace(m[2])
			fixLine = pre.Source.Position(c.Start, migration.UTF8).Line
		}
	}
	if path == "" {
		t.Fatalf("%s: no file carries a `-- fix: RULE-ID` directive", inputDir)
	}
	if rules.ByID(ruleID) == nil {
		t.Fatalf("%s: -- fix: %s names no registered rule", path, ruleID)
	}
	filePath := filepath.Join(inputDir, path)
	text := inputs[path]
	cfg := fixtureConfig(t, filePath, text)
	// Judged in its migration set, as `migsafe fix` and the language server judge it.
	in := AnalyzeBatch([]Job{{Path: filePath, Text: text, Config: cfg}}, BatchOptions{})[0]
	if in.Err != nil {
		t.Fatal(in.Err)
	}
	res := in.Result
	fd := findingAt(t, res, ruleID, fixLine)
	fixes := fd.Fixes()
	if len(fixes) == 0 {
		t.Fatalf("%s:%d: no fix for %s", filePath, fixLine+1, ruleID)
	}
	checkPreferred(t, fixes)

	var listing strings.Builder
	for i, fix := range fixes {
		fmt.Fprintf(&listing, "%d %s preferred=%v: %s\n", i+1, fix.Kind, fix.Preferred, fix.Title)
		p, err := codeactions.NewPlanner(res.File, cfg, nil, fixtureClock)
		if err != nil {
			t.Fatal(err)
		}
		if err := p.Apply(fix, fd.Stmt.Start); err != nil {
			t.Fatalf("fix %d %q: %v", i+1, fix.Title, err)
		}
		plan, err := p.Plan()
		if err != nil {
			t.Fatalf("fix %d %q: %v", i+1, fix.Title, err)
		}
		outputs := map[string]string{}
		for _, c := range plan.Changes {
			rel, err := filepath.Rel(inputDir, c.Path)
			if err != nil || strings.HasPrefix(rel, "..") {
				t.Fatalf("fix %d: %s is outside the fixture's directory %s", i+1, c.Path, inputDir)
			}
			if _, taken := inputs[rel]; c.Create && taken {
				t.Fatalf("fix %d: new file %s already exists", i+1, rel)
			}
			outputs[rel] = c.New
		}
		name := "expected"
		if i > 0 {
			name = fmt.Sprintf("expected-%d", i+1)
		}
		compareTree(t, filepath.Join(dir, name), outputs)
		after := Analyze(filePath, p.Text(), cfg, Options{ReadFile: p.ReadFile, History: res.History})
		if fix.Preferred {
			deployed := func() *Result {
				return Analyze(filePath, deployView(after.File, p.Deployed()), cfg, Options{ReadFile: p.ReadFile, History: res.History})
			}
			if why := worse(res, after, fd, deployed); why != "" {
				t.Errorf("preferred fix %q: %s\n%s", fix.Title, why, p.Text())
			}
			if _, why := checkNew(p, cfg, after); why != "" {
				t.Errorf("preferred fix %q: %s", fix.Title, why)
			}
			continue
		}
		for _, pr := range after.Problems {
			if pr.Kind == "syntax" {
				t.Errorf("fix %q leaves %s unparsable: %s", fix.Title, path, pr.Message)
			}
		}
	}
	compareFile(t, filepath.Join(dir, "fixes.golden"), listing.String())

	fixed, err := FixFile(filePath, text, cfg, FixOptions{Split: true, Now: fixtureClock, History: res.History})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range append([]*Result{fixed.After}, fixed.Files...) {
		for _, f := range r.Findings {
			if f.Status == rules.Block {
				t.Errorf("after composing every fix: %s: BLOCK %s: %s", r.File.Path, f.Rule.ID, f.Message)
			}
		}
		for _, pr := range r.Problems {
			if pr.Status() == rules.Block && pr.Kind != "unfinished" {
				t.Errorf("after composing every fix: %s: %s: %s", r.File.Path, ProblemKinds[pr.Kind].ID, pr.Message)
			}
		}
	}
	if fixed.After.Worst() > fixed.Before.Worst() {
		t.Errorf("composing every fix makes %s worse: %s -> %s", path, fixed.Before.Verdict, fixed.After.Verdict)
	}
	return ruleID
}

// findingAt is the finding of rule id on the statement at the `-- fix:` line.
func findingAt(t *testing.T, res *Result, id string, line int) *Finding {
	src := res.File.Source
	lineOf := func(off int) int { return src.Position(off, migration.UTF8).Line }
	for _, fd := range res.Findings {
		if fd.Rule.ID == id && fd.Stmt != nil && line >= lineOf(fd.Stmt.Start)-1 && line <= lineOf(fd.Stmt.End) {
			return fd
		}
	}
	t.Fatalf("%s:%d: rule %s reports nothing here; the fixture must trigger it", res.File.Path, line+1, id)
	return nil
}

func checkPreferred(t *testing.T, fixes []codeactions.Fix) {
	t.Helper()
	n := 0
	for _, f := range fixes {
		if f.Preferred {
			n++
		}
		if f.Kind != "quickfix" && f.Kind != "refactor.rewrite" {
			t.Errorf("fix %q has kind %q", f.Title, f.Kind)
		}
		if f.Title == "" {
			t.Error("fix without a title")
		}
	}
	if n != 1 || !fixes[0].Preferred {
		t.Errorf("want exactly one preferred fix, listed first; got %d preferred, first preferred=%v", n, fixes[0].Preferred)
	}
}

func readTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		files[rel] = string(data)
		return nil
	})
	if err != nil && !(os.IsNotExist(err) && *update) {
		t.Fatal(err)
	}
	return files
}

func compareTree(t *testing.T, dir string, got map[string]string) {
	t.Helper()
	if *update {
		if err := os.RemoveAll(dir); err != nil {
			t.Fatal(err)
		}
		for rel, text := range got {
			p := filepath.Join(dir, rel)
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return
	}
	want := readTree(t, dir)
	for rel, text := range got {
		if w, ok := want[rel]; !ok {
			t.Errorf("%s: unexpected output file %s:\n%s", dir, rel, text)
		} else if w != text {
			t.Errorf("%s: %s differs (run with -update and review the diff)\n--- want\n%s\n--- got\n%s", dir, rel, w, text)
		}
	}
	for rel := range want {
		if _, ok := got[rel]; !ok {
			t.Errorf("%s: expected output file %s was not written", dir, rel)
		}
	}
}

func compareFile(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(want) != got {
		t.Errorf("%s differs\n--- want\n%s--- got\n%s", path, want, got)
	}
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

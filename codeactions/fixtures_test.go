package codeactions_test

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/migsafe/migsafe/codeactions"
	"github.com/migsafe/migsafe/engine"
	"github.com/migsafe/migsafe/engine/config"
	"github.com/migsafe/migsafe/engine/migration"
	"github.com/migsafe/migsafe/engine/rules"
)

var update = flag.Bool("update", false, "rewrite the expected outputs of testdata/fixes")

// Fix fixtures live in testdata/fixes/<case>/:
//
//	input/          the migration directory: the file under test carries
//	                `-- fix: RULE-ID` on the statement's line or the line before, and
//	                optionally `-- config: TOML line`; other files are its neighbours
//	                (down migrations, earlier numbers that decide the next one)
//	fixes.golden    the fixes offered, in order: kind, preferred, title
//	expected/       the files the first (preferred) fix writes: the edited file and new files
//	expected-N/     the same for the N-th fix
//
// Every fix must apply cleanly, its output (edited file and each new file, analysed
// under its own name) must parse, and it must no longer have the finding it fixed.
func TestFixFixtures(t *testing.T) {
	root := filepath.Join("..", "testdata", "fixes")
	entries, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	fixedRules := map[string]bool{}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		dir := filepath.Join(root, e.Name())
		t.Run(e.Name(), func(t *testing.T) {
			fixedRules[runFixture(t, dir)] = true
		})
	}
	for _, id := range []string{
		"require-concurrent-index-creation", "require-concurrent-index-deletion", "require-concurrent-reindex",
		"require-concurrent-refresh", "concurrently-in-transaction", "require-lock-timeout", "adding-required-column",
		"setting-not-null", "constraint-missing-not-valid", "adding-foreign-key-constraint", "adding-unique-constraint",
		"adding-field-with-rewrite", "renaming-column", "unbatched-backfill",
	} {
		if !fixedRules[id] {
			t.Errorf("no fix fixture for %s", id)
		}
	}
}

var directive = regexp.MustCompile(`^--\s*(config|fix):\s?(.*)$`)

// runFixture checks one fixture and returns the rule ID it fixes.
func runFixture(t *testing.T, dir string) string {
	inputDir := filepath.Join(dir, "input")
	inputs := readTree(t, inputDir)
	var path, ruleID string
	var fixLine int
	var conf []string
	for _, name := range sortedKeys(inputs) {
		pre := migration.Parse(name, inputs[name], migration.Options{})
		for _, c := range pre.Comments {
			m := directive.FindStringSubmatch(c.Text)
			switch {
			case m == nil:
			case m[1] == "config":
				conf = append(conf, m[2])
			case path != "":
				t.Fatalf("%s: a second `-- fix:` directive; a fixture fixes one finding", name)
			default:
				path, ruleID = name, strings.TrimSpace(m[2])
				fixLine = pre.Source.Position(c.Start, migration.UTF8).Line
			}
		}
	}
	if path == "" {
		t.Fatalf("%s: no file carries a `-- fix: RULE-ID` directive", inputDir)
	}
	cfg := config.Default()
	if len(conf) > 0 {
		var err error
		if cfg, err = config.Parse(path, []byte(strings.Join(conf, "\n")), rules.Known); err != nil {
			t.Fatalf("fixture config: %v", err)
		}
	}
	filePath := filepath.Join(inputDir, path)
	text := inputs[path]
	res := engine.Analyze(filePath, text, cfg, engine.Options{})
	fd := findingAt(t, res, ruleID, fixLine)
	fixes := codeactions.Fixes(res, fd)
	if len(fixes) == 0 {
		t.Fatalf("%s:%d: no fix for %s", filePath, fixLine+1, ruleID)
	}
	checkPreferred(t, fixes)

	var listing strings.Builder
	for i, fix := range fixes {
		fmt.Fprintf(&listing, "%d %s preferred=%v: %s\n", i+1, fix.Kind, fix.Preferred, fix.Title)
		out := applyFix(t, filePath, text, fix)
		outputs := map[string]string{}
		if len(fix.Edits) > 0 {
			outputs[path] = out
		}
		for _, nf := range fix.NewFiles {
			rel, err := filepath.Rel(inputDir, nf.Path)
			if err != nil || strings.HasPrefix(rel, "..") {
				t.Fatalf("fix %d: new file %s is outside the migration directory %s", i+1, nf.Path, inputDir)
			}
			if _, dup := outputs[rel]; dup || inputs[rel] != "" {
				t.Fatalf("fix %d: new file %s already exists", i+1, rel)
			}
			outputs[rel] = nf.Text
		}
		name := "expected"
		if i > 0 {
			name = fmt.Sprintf("expected-%d", i+1)
		}
		compareTree(t, filepath.Join(dir, name), outputs)
		reanalyse(t, res, fd, fix, inputDir, path, inputs, outputs)
	}
	compareFile(t, filepath.Join(dir, "fixes.golden"), listing.String())
	return ruleID
}

// findingAt is the finding the fixture fixes: the real one when the rule is
// registered (the fixture must trigger it), a stand-in on the statement otherwise.
func findingAt(t *testing.T, res *engine.Result, id string, line int) *engine.Finding {
	src := res.File.Source
	lineOf := func(off int) int { return src.Position(off, migration.UTF8).Line }
	on := func(st *migration.Statement) bool { return line >= lineOf(st.Start)-1 && line <= lineOf(st.End) }
	if r := rules.ByID(id); r != nil {
		for _, fd := range res.Findings {
			if fd.Rule.ID == id && fd.Stmt != nil && on(fd.Stmt) {
				return fd
			}
		}
		t.Fatalf("%s:%d: rule %s is registered but reports nothing here; the fixture must trigger it", res.File.Path, line+1, id)
	}
	for _, sr := range res.Statements {
		if on(sr.Stmt) {
			return &engine.Finding{Rule: &rules.Rule{ID: id}, Stmt: sr.Stmt, Start: sr.Stmt.Start, End: sr.Stmt.End}
		}
	}
	t.Fatalf("%s:%d: no statement at the `-- fix:` directive", res.File.Path, line+1)
	return nil
}

func checkPreferred(t *testing.T, fixes []engine.Fix) {
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

// applyFix checks the edits (inside the text, not overlapping) and applies them.
func applyFix(t *testing.T, path, text string, fix engine.Fix) string {
	t.Helper()
	out, err := apply(text, fix.Edits)
	if err != nil {
		t.Fatalf("%s: fix %q: %v", path, fix.Title, err)
	}
	return out
}

func apply(text string, edits []engine.Edit) (string, error) {
	es := append([]engine.Edit(nil), edits...)
	sort.SliceStable(es, func(i, j int) bool { return es[i].Start < es[j].Start })
	var b strings.Builder
	at := 0
	for i, e := range es {
		if e.Start < 0 || e.End < e.Start || e.End > len(text) {
			return "", fmt.Errorf("edit [%d,%d) is outside the text (%d bytes)", e.Start, e.End, len(text))
		}
		if e.Start < at {
			return "", fmt.Errorf("edit [%d,%d) overlaps the one before, which ends at %d", e.Start, e.End, at)
		}
		if i > 0 && e.Start == es[i-1].Start {
			// The CLI and editors may apply same-offset edits in either order.
			return "", fmt.Errorf("two edits start at %d: their order is ambiguous", e.Start)
		}
		b.WriteString(text[at:e.Start])
		b.WriteString(e.NewText)
		at = e.End
	}
	b.WriteString(text[at:])
	return b.String(), nil
}

// reanalyse analyses the fixed file and the new files under their own names: they
// must parse, the fixed rule (when registered) must not report on the rewritten
// statement or anywhere in a new file, and the preferred fix must not put a
// statement that cannot run in a transaction into one.
func reanalyse(t *testing.T, before *engine.Result, fd *engine.Finding, fix engine.Fix, inputDir, path string, inputs, outputs map[string]string) {
	t.Helper()
	read := func(p string) ([]byte, error) {
		rel, err := filepath.Rel(inputDir, p)
		if err == nil {
			if s, ok := outputs[rel]; ok {
				return []byte(s), nil
			}
			if s, ok := inputs[rel]; ok {
				return []byte(s), nil
			}
		}
		return nil, os.ErrNotExist
	}
	id := fd.Rule.ID
	registered := rules.ByID(id) != nil
	if !registered {
		t.Logf("rule %s is not registered yet: checked that the fix parses, not that the finding is gone", id)
	}
	countTx := func(res *engine.Result) int {
		n := 0
		for _, f := range res.Findings {
			if f.Rule.ID == "concurrently-in-transaction" {
				n++
			}
		}
		return n
	}
	txBefore, txAfter := countTx(before), 0
	for _, rel := range sortedKeys(outputs) {
		if strings.HasSuffix(rel, ".toml") {
			continue
		}
		p := filepath.Join(inputDir, rel)
		res := engine.Analyze(p, outputs[rel], before.Config, engine.Options{ReadFile: read})
		for _, pr := range res.Problems {
			if pr.Kind == "syntax" {
				t.Errorf("fix %q: %s does not parse: offset %d: %s\n%s", fix.Title, rel, pr.Offset, pr.Message, outputs[rel])
			}
		}
		txAfter += countTx(res)
		if !registered {
			continue
		}
		for _, f := range res.Findings {
			if f.Rule.ID != id || f.Stmt == nil {
				continue
			}
			if rel != path || touches(fix.Edits, fd.Stmt, f.Stmt) {
				t.Errorf("fix %q: %s still reports %s: %s\n%s", fix.Title, rel, id, f.Message, outputs[rel])
			}
		}
	}
	if _, edited := outputs[path]; !edited {
		txAfter += countTx(before)
	}
	if fix.Preferred && txAfter > txBefore {
		t.Errorf("preferred fix %q puts a statement that cannot run in a transaction into one", fix.Title)
	}
}

// touches reports whether a statement of the fixed file overlaps what the fix wrote or
// where the fixed statement now stands (offsets mapped through the edits).
func touches(edits []engine.Edit, fixed, st *migration.Statement) bool {
	es := append([]engine.Edit(nil), edits...)
	sort.SliceStable(es, func(i, j int) bool { return es[i].Start < es[j].Start })
	mapOff := func(o int) int {
		d := 0
		for _, e := range es {
			if e.End <= o {
				d += len(e.NewText) - (e.End - e.Start)
			} else if e.Start < o {
				return e.Start + d
			}
		}
		return o + d
	}
	overlap := func(a, b int) bool {
		if a == b {
			return st.Start <= a && a <= st.End
		}
		return st.Start < b && a < st.End
	}
	if overlap(mapOff(fixed.Start), mapOff(fixed.End)) {
		return true
	}
	d := 0
	for _, e := range es {
		if overlap(e.Start+d, e.Start+d+len(e.NewText)) {
			return true
		}
		d += len(e.NewText) - (e.End - e.Start)
	}
	return false
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

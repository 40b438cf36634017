package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/migsafe/migsafe/engine"
	"github.com/migsafe/migsafe/engine/config"
)

func TestUnifiedDiff(t *testing.T) {
	a := "one\ntwo\nthree\nfour\nfive\nsix\nseven\neight\nnine\nten\n"
	b := "one\ntwo\nTHREE\nfour\nfive\nsix\nseven\neight\nnine\nten\neleven\n"
	want := `--- a.sql
+++ b.sql
@@ -1,6 +1,6 @@
 one
 two
-three
+THREE
 four
 five
 six
@@ -8,3 +8,4 @@
 eight
 nine
 ten
+eleven
`
	if got := unifiedDiff("a.sql", "b.sql", a, b); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if got := unifiedDiff("a", "a", a, a); got != "" {
		t.Errorf("equal texts give %q", got)
	}
}

// TestUnifiedDiffApplies checks with patch(1) that the diffs turn the old text into
// the new one, including insertions at the ends, deletions and a missing final newline.
func TestUnifiedDiffApplies(t *testing.T) {
	if _, err := exec.LookPath("patch"); err != nil {
		t.Skip("patch(1) not installed")
	}
	cases := [][2]string{
		{"", "CREATE TABLE a (id int);\n"},
		{"a;\nb;\nc;\n", "x;\na;\nb;\nc;\n"},
		{"a;\nb;\nc;\n", "a;\nc;\n"},
		{"a;\nb;\nc;", "a;\nb;\nc;\nd;"},
		{strings.Repeat("x;\n", 20) + "y;\n" + strings.Repeat("x;\n", 20), "z;\n" + strings.Repeat("x;\n", 20) + "w;\n" + strings.Repeat("x;\n", 19)},
	}
	for i, c := range cases {
		dir := t.TempDir()
		f := filepath.Join(dir, "m.sql")
		if err := os.WriteFile(f, []byte(c[0]), 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command("patch", "-s", f)
		cmd.Stdin = strings.NewReader(unifiedDiff("m.sql", "m.sql", c[0], c[1]))
		var stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stderr, &stderr
		if err := cmd.Run(); err != nil {
			t.Errorf("case %d: patch: %v\n%s", i, err, stderr.String())
			continue
		}
		got, _ := os.ReadFile(f)
		if string(got) != c[1] {
			t.Errorf("case %d: patched text %q, want %q", i, got, c[1])
		}
	}
}

// fixedResult analyses text and gives each finding the fixes fixesFor returns, as
// codeactions would.
func fixedResult(t *testing.T, path, text string, fixesFor func(*engine.Finding) []engine.Fix) *engine.Result {
	t.Helper()
	// Only the index rule: the plan's arithmetic below counts its findings.
	cfg := config.Default()
	cfg.Disable["require-lock-timeout"] = true
	res := engine.Analyze(path, text, cfg, engine.Options{NoSiblings: true})
	if len(res.Findings) == 0 {
		t.Fatal("fixture has no finding")
	}
	for _, fd := range res.Findings {
		fd.Fixes = fixesFor(fd)
	}
	return res
}

func TestPlanFixes(t *testing.T) {
	text := "CREATE INDEX a_idx ON users (a);\nCREATE INDEX b_idx ON users (b);\n"
	insert := func(fd *engine.Finding) []engine.Fix {
		return []engine.Fix{
			{Title: "other", Edits: []engine.Edit{{Start: fd.Start, End: fd.Start, NewText: "WRONG "}}},
			{Title: "add CONCURRENTLY", Preferred: true, Edits: []engine.Edit{{Start: fd.Start + len("CREATE INDEX"), End: fd.Start + len("CREATE INDEX"), NewText: " CONCURRENTLY"}}},
		}
	}
	res := fixedResult(t, "m.sql", text, insert)
	p := planFixes(res, false)
	if got, want := engine.ApplyEdits(text, p.edits), "CREATE INDEX CONCURRENTLY a_idx ON users (a);\nCREATE INDEX CONCURRENTLY b_idx ON users (b);\n"; got != want {
		t.Errorf("preferred fixes applied:\n%s\nwant\n%s", got, want)
	}

	// Two fixes that rewrite the same text: the second is skipped with a reason.
	whole := func(fd *engine.Finding) []engine.Fix {
		return []engine.Fix{{Title: "rewrite file", Edits: []engine.Edit{{Start: 0, End: len(text), NewText: "-- rewritten\n"}}}}
	}
	p = planFixes(fixedResult(t, "m.sql", text, whole), false)
	if len(p.edits) != 1 || len(p.skipped) != 1 || !strings.Contains(p.skipped[0], "overlaps") {
		t.Errorf("overlapping fixes: edits %v skipped %v", p.edits, p.skipped)
	}

	// A fix that moves a statement into a new file applies only with --split.
	move := func(fd *engine.Finding) []engine.Fix {
		return []engine.Fix{{Title: "move to its own migration", Edits: []engine.Edit{{Start: fd.Stmt.Start, End: fd.Stmt.End + 1}},
			NewFiles: []engine.NewFile{{Path: "0002_" + fd.Stmt.Text[13:18] + ".sql", Text: "CREATE INDEX CONCURRENTLY" + fd.Stmt.Text[12:] + "\n"}}}}
	}
	res = fixedResult(t, "m.sql", text, move)
	if p := planFixes(res, false); len(p.edits) != 0 || len(p.skipped) != 2 || !strings.Contains(p.skipped[0], "--split") {
		t.Errorf("without --split: edits %v skipped %v", p.edits, p.skipped)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "0001_idx.sql")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	p = planFixes(res, true)
	var out bytes.Buffer
	if err := p.emit(path, text, false, &out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"-CREATE INDEX a_idx ON users (a);", "--- /dev/null\n+++ " + filepath.Join(dir, "0002_a_idx.sql"), "+CREATE INDEX CONCURRENTLY b_idx ON users (b);"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("--diff --split output lacks %q:\n%s", want, out.String())
		}
	}
	if err := p.emit(path, text, true, &out); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(path)
	newFile, err := os.ReadFile(filepath.Join(dir, "0002_b_idx.sql"))
	if string(got) != "" || err != nil || string(newFile) != "CREATE INDEX CONCURRENTLY b_idx ON users (b);\n" {
		t.Errorf("--write --split: file %q, new file %q (%v)", got, newFile, err)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
		t.Errorf("--write changed the file mode to %v", st.Mode().Perm())
	}
	// Writing again would overwrite the new files: refused, nothing written.
	if err := p.emit(path, text, true, &out); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("second --write --split: %v", err)
	}
}

func TestFixCommand(t *testing.T) {
	dir := writeTree(t, map[string]string{"a.sql": blockSQL})
	// codeactions may not offer a fix for every finding; fix must still succeed.
	if _, stderr, code := run(t, dir, "", "fix", "--diff", "a.sql"); code != 0 {
		t.Errorf("fix --diff: exit %d: %s", code, stderr)
	}
	if _, _, code := run(t, dir, "", "fix", "--diff", "--write", "a.sql"); code != 2 {
		t.Errorf("fix --diff --write: exit %d, want 2", code)
	}
	if _, stderr, code := run(t, dir, "", "fix", "missing.sql"); code != 2 || !strings.Contains(stderr, "missing.sql") {
		t.Errorf("fix on a missing file: exit %d: %s", code, stderr)
	}
}

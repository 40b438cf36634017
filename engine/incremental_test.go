package engine_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand"
	"strings"
	"testing"

	"github.com/migsafe/migsafe/engine"
	"github.com/migsafe/migsafe/engine/config"
	"github.com/migsafe/migsafe/engine/migration"
	"github.com/migsafe/migsafe/engine/project"
	"github.com/migsafe/migsafe/engine/report"
	"github.com/migsafe/migsafe/engine/rules"
	"github.com/migsafe/migsafe/internal/bigmigration"
)

// rendered is everything a driver shows of an analysis: the JSON report (findings,
// problems, verdict, fix titles) and every finding's fixes in full, edits included.
func rendered(tb testing.TB, res *engine.Result) string {
	tb.Helper()
	var b bytes.Buffer
	if err := report.WriteJSON(&b, report.Build([]*engine.Result{res})); err != nil {
		tb.Fatal(err)
	}
	for _, fs := range [][]*engine.Finding{res.Findings, res.Suppressed} {
		for _, fd := range fs {
			data, err := json.Marshal(fd.Fixes())
			if err != nil {
				tb.Fatal(err)
			}
			b.Write(data)
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// edit is one random edit of text: most only move statements (white space, a line
// break or a comment between two of them, or before one), some change one (a
// character typed inside it), which the analysis must notice.
func edit(r *rand.Rand, f *migration.File) (string, bool) {
	text := f.Source.Text
	if len(f.Statements) == 0 {
		return text + "\n", true
	}
	st := f.Statements[r.Intn(len(f.Statements))]
	at := st.Start
	if r.Intn(2) == 0 {
		at = st.End
	}
	ins := []string{" ", "\n", "\n\n", "-- a note\n", "/* x */ ", "\t"}[r.Intn(6)]
	moves := true
	if r.Intn(5) == 0 {
		// Inside the statement: after its first token's first byte (a syntax error), or
		// at the end of its third token (a name changed: another table, index or
		// column, which changes the catalog).
		at, ins, moves = st.Start+1, "x", false
		if len(st.Tokens) >= 3 && r.Intn(2) == 0 {
			at = int(st.Tokens[2].End)
		}
	}
	return text[:at] + ins + text[at:], moves
}

// crossStatements is a migration whose findings look across statements: a
// transaction whose messages cite the line of an earlier statement, a DO body, a
// suppression comment, a file-level once-only finding.
func crossStatements(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "BEGIN;\nALTER TABLE users ADD COLUMN a_%d text;\nUPDATE users SET a_%d = 'x';\n", i, i)
		fmt.Fprintf(&b, "-- migsafe:ignore require-concurrent-index-creation -- a small table\nCREATE INDEX users_a_%d ON users (a_%d);\n", i, i)
		fmt.Fprintf(&b, "DO $$ BEGIN ALTER TABLE orders ADD COLUMN b_%d int NOT NULL; UPDATE orders SET x = 1; END $$;\nCOMMIT;\n", i)
		fmt.Fprintf(&b, "ALTER TABLE orders ALTER COLUMN b_%d TYPE bigint;\n", i)
	}
	return b.String()
}

// TestMovedStatementsKeepFindings edits documents at random, analyses each version
// with the previous version's analysis to reuse, and compares the result with a full
// analysis of the same text: byte for byte identical, fixes included. The documents
// are a generated DDL migration (one file, chained edits: each analysis reuses the
// previous incremental one) and files of the corpus, with their sibling down files
// read from disk. Edits that only move statements must reuse the findings on the
// generated document, which has no down.
func TestMovedStatementsKeepFindings(t *testing.T) {
	type doc struct{ path, text string }
	docs := []doc{{"/tmp/migsafe-incremental/0001_ddl.sql", bigmigration.DDL(48 << 10)},
		{"/tmp/migsafe-incremental/0002_cross.sql", crossStatements(rules.StepEvery / 2)}} // 7 statements each: a few kept catalogs
	if dir := corpusDir(); dir != "" {
		for i, cf := range corpusFiles(t) {
			if i%15 == 0 {
				docs = append(docs, doc{cf.path, cf.text})
			}
		}
	}
	r := rand.New(rand.NewSource(12))
	cfg := config.Default()
	for di, d := range docs {
		edits := 3
		if di < 2 {
			edits = 40
		}
		prev := engine.Analyze(d.path, d.text, cfg, engine.Options{KeepSteps: true})
		moving, reused, resumed := 0, 0, 0
		for k := 0; k < edits; k++ {
			text, moves := edit(r, prev.File)
			inc := engine.Analyze(d.path, text, cfg, engine.Options{KeepSteps: true, Previous: prev})
			full := engine.Analyze(d.path, text, cfg, engine.Options{KeepSteps: true})
			if got, want := rendered(t, inc), rendered(t, full); got != want {
				t.Fatalf("%s, edit %d (reused: %v): the incremental analysis differs from a full one:\n%s", d.path, k, (inc.Kept() == len(inc.File.Statements)), firstDiff(got, want))
			}
			if (inc.Kept() == len(inc.File.Statements)) && !moves {
				t.Errorf("%s, edit %d: a statement changed, and the analysis kept the previous findings", d.path, k)
			}
			if moves {
				moving++
			} else if inc.Kept() > 0 {
				resumed++
			}
			if inc.Kept() == len(inc.File.Statements) {
				reused++
			}
			prev = inc
		}
		if di < 2 {
			t.Logf("%s: %d statements, %d findings; %d of %d edits only moved statements, %d reused; %d of the others kept the findings before them", d.path, len(prev.File.Statements), len(prev.Findings), moving, edits, reused, resumed)
		}
		// An edit inside a statement keeps the findings before the last mark before it.
		if di < 2 && resumed == 0 {
			t.Errorf("%s: no edit inside a statement kept the findings before it", d.path)
		}
		if di == 0 && (moving == 0 || reused != moving) {
			t.Errorf("%s: %d of %d edits that only moved statements reused the previous findings; want all", d.path, reused, moving)
		}
		if di == 0 && len(prev.Findings) < 100 {
			t.Errorf("%s: %d findings; the generated document should have hundreds", d.path, len(prev.Findings))
		}
		// Its messages cite lines: only edits that keep every statement on its line
		// (a space, a tab, an inline comment) may reuse them.
		if di == 1 && reused == 0 {
			t.Errorf("%s: no edit reused the previous findings", d.path)
		}
		if di == 1 && (len(prev.Suppressed) == 0 || !strings.Contains(rendered(t, prev), "at line")) {
			t.Errorf("%s: want suppressed findings and messages citing lines", d.path)
		}
	}
}

// firstDiff is the first line where two renderings differ, with its neighbours.
func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < len(g) && i < len(w); i++ {
		if g[i] != w[i] {
			return "got:  " + clip(g[i]) + "\nwant: " + clip(w[i])
		}
	}
	return "lengths differ"
}

func clip(s string) string {
	if len(s) > 300 {
		return s[:300] + "..."
	}
	return s
}

// TestEditsInsideStatementsConverge types inside statements of a generated DDL
// migration, each analysis reusing the previous one, and compares every result with
// a full analysis, byte for byte. A digit typed into an UPDATE's literal changes
// nothing later statements read: the analysis converges at the next mark and keeps
// the rest. A letter typed into a created table's name renames a table the next
// statement indexes, and the catalog differs to the end of the file: the analysis
// must check every statement after it again.
func TestEditsInsideStatementsConverge(t *testing.T) {
	const path = "/tmp/migsafe-incremental/0003_converge.sql"
	cfg := config.Default()
	r := rand.New(rand.NewSource(7))
	prev := engine.Analyze(path, bigmigration.DDL(48<<10), cfg, engine.Options{KeepSteps: true})
	converged, renamed := 0, 0
	for k := 0; k < 24; k++ {
		f := prev.File
		var at int
		var ins string
		rename := k%3 == 2
		for at == 0 {
			st := f.Statements[r.Intn(len(f.Statements)-rules.StepEvery)]
			switch {
			case rename && strings.HasPrefix(st.Text, "CREATE TABLE items_"):
				at, ins = st.Start+len("CREATE TABLE ix"), "x"
			case !rename && strings.HasPrefix(st.Text, "UPDATE accounts") && strings.Contains(st.Text, "id < 1"):
				at, ins = st.Start+strings.Index(st.Text, "id < 1")+len("id < 1"), "9"
			}
		}
		text := f.Source.Text[:at] + ins + f.Source.Text[at:]
		inc := engine.Analyze(path, text, cfg, engine.Options{KeepSteps: true, Previous: prev})
		full := engine.Analyze(path, text, cfg, engine.Options{KeepSteps: true})
		if got, want := rendered(t, inc), rendered(t, full); got != want {
			t.Fatalf("edit %d (%q at %d, converged at %d): the incremental analysis differs from a full one:\n%s", k, ins, at, inc.Converged(), firstDiff(got, want))
		}
		switch {
		case rename && inc.Converged() > 0:
			t.Errorf("edit %d: a created table renamed, and the analysis kept the statements from %d", k, inc.Converged())
		case rename:
			renamed++
		case inc.Converged() > 0:
			converged++
		}
		prev = inc
	}
	t.Logf("%d statements: %d of 16 literal edits converged, %d of 8 renames checked the rest again", len(prev.File.Statements), converged, renamed)
	if converged < 12 {
		t.Errorf("%d of 16 edits of an UPDATE's literal converged; want most", converged)
	}
}

// TestConvergedCatalogsAndADown: an analysis that converged keeps the previous
// version's catalogs, whose objects record the offsets of the statements before the
// edit moved them. The language server offers the catalogs after the unchanged
// statements to the next analysis (History.WithSteps); when that version has a down,
// irreversible-down-migration reports where the up created each object, so it must not
// start from those catalogs: its report is a full analysis's.
func TestConvergedCatalogsAndADown(t *testing.T) {
	const path = "/tmp/migsafe-incremental/0004_down.sql"
	cfg := config.Default()
	text := "-- +goose NO TRANSACTION\n-- +goose Up\n" + bigmigration.DDL(rules.StepEvery*384) // a few kept catalogs
	prev := engine.Analyze(path, text, cfg, engine.Options{KeepSteps: true, History: &project.History{}})
	at := strings.Index(text, "WHERE id < 1") + len("WHERE id < 1")
	text = text[:at] + "9" + text[at:]
	inc := engine.Analyze(path, text, cfg, engine.Options{KeepSteps: true, History: &project.History{}, Previous: prev})
	if inc.Converged() == 0 {
		t.Fatal("the edit of an UPDATE's literal did not converge")
	}
	text += "-- +goose Down\nDROP TABLE items_0;\n"
	f := engine.ParseFile(path, text, cfg, nil, nil)
	steps := map[*migration.Statement]*project.Catalog{}
	for i, st := range f.Statements[:min(len(f.Statements), len(inc.File.Statements))] {
		if was := inc.File.Statements[i]; was.Text == st.Text && was.Start == st.Start {
			if c, ok := inc.Steps[was]; ok {
				steps[st] = c
			}
		}
	}
	if len(steps) < 2 {
		t.Fatalf("%d catalogs kept; want the converged analysis's", len(steps))
	}
	got := engine.Analyze(path, text, cfg, engine.Options{KeepSteps: true, Parsed: f, History: (&project.History{}).WithSteps(steps)})
	want := engine.Analyze(path, text, cfg, engine.Options{KeepSteps: true, History: &project.History{}})
	if a, b := rendered(t, got), rendered(t, want); a != b {
		t.Fatalf("the analysis with the converged catalogs differs from a full one:\n%s", firstDiff(a, b))
	}
	if !strings.Contains(rendered(t, want), "irreversible-down-migration") {
		t.Error("want irreversible-down-migration findings")
	}
}

// TestMarkAfterDOBody: the rules' state and catalog kept after a DO statement (every
// rules.StepEvery-th statement) include what its body did. A table the body creates is new to the
// statements after it, so an index on it needs no CONCURRENTLY; an analysis resumed
// from a mark taken before the body ran would judge the table an existing one.
func TestMarkAfterDOBody(t *testing.T) {
	var b strings.Builder
	for i := 0; i < rules.StepEvery-1; i++ {
		fmt.Fprintf(&b, "SELECT %d;\n", i)
	}
	b.WriteString("DO $$ BEGIN CREATE TABLE t_do (id int); END $$;\n")
	b.WriteString("CREATE INDEX t_do_idx ON t_do (id);\n")
	b.WriteString("SELECT 1000;\n")
	text := b.String()
	const path = "/tmp/migsafe-incremental-do/0001_do.sql"
	cfg := config.Default()
	prev := engine.Analyze(path, text, cfg, engine.Options{KeepSteps: true})
	if got := len(prev.File.Statements); got != rules.StepEvery+2 {
		t.Fatalf("%d statements, want %d", got, rules.StepEvery+2)
	}
	if body := prev.File.Statements[rules.StepEvery-1].Body; body == nil || len(body.Statements) != 1 {
		t.Fatalf("the DO's body was not read into statements: %+v", body)
	}
	edited := strings.Replace(text, "SELECT 1000;", "SELECT 10001;", 1)
	inc := engine.Analyze(path, edited, cfg, engine.Options{KeepSteps: true, Previous: prev})
	full := engine.Analyze(path, edited, cfg, engine.Options{KeepSteps: true})
	if inc.Kept() == 0 {
		t.Fatalf("the edit after the mark kept nothing: the test does not resume from it")
	}
	if got, want := rendered(t, inc), rendered(t, full); got != want {
		t.Fatalf("resumed after the DO's mark, the analysis differs from a full one:\n%s", firstDiff(got, want))
	}
}

// TestKeptStepsAreSnapshots: the catalogs an analysis keeps (Result.Steps, every
// rules.StepEvery-th statement) are the schema after their statement, whatever the statements after it
// did: the replay between them changes one scratch catalog in place, and must copy
// before it changes a kept one. Each kept catalog is compared with the same
// statements replayed one by one (Catalog.Apply, a snapshot per statement): tables,
// their columns and indexes, and the search_path.
func TestKeptStepsAreSnapshots(t *testing.T) {
	var b strings.Builder
	for i := 0; i < 5*rules.StepEvery-20; i++ { // 4 kept
		switch i % 6 {
		case 0:
			fmt.Fprintf(&b, "CREATE TABLE t_%d (id bigint PRIMARY KEY, name text);\n", i)
		case 1:
			fmt.Fprintf(&b, "ALTER TABLE t_%d ADD COLUMN c_%d text;\n", i-1, i)
		case 2:
			fmt.Fprintf(&b, "CREATE INDEX t_%d_name_idx ON t_%d (name);\n", i-2, i-2)
		case 3:
			fmt.Fprintf(&b, "SET search_path = s_%d, public;\n", i)
		case 4:
			fmt.Fprintf(&b, "ALTER TABLE public.t_%d RENAME TO r_%d;\n", i-4, i)
		default:
			fmt.Fprintf(&b, "DROP TABLE IF EXISTS r_%d;\n", i-6)
		}
	}
	const path = "/tmp/migsafe-incremental-steps/0001_steps.sql"
	res := engine.Analyze(path, b.String(), config.Default(), engine.Options{KeepSteps: true})
	if len(res.Steps) < 4 {
		t.Fatalf("%d catalogs kept, want at least 4", len(res.Steps))
	}
	describe := func(c *project.Catalog) string {
		var out strings.Builder
		fmt.Fprintf(&out, "path %v\n", c.Path())
		for _, r := range c.Relations() {
			fmt.Fprintf(&out, "%s %s", r.Kind, r.Name)
			for _, col := range r.Columns {
				fmt.Fprintf(&out, " %s", col.Name)
			}
			for _, ix := range c.IndexesOf(r) {
				fmt.Fprintf(&out, " [%s]", ix.Name)
			}
			out.WriteByte('\n')
		}
		return out.String()
	}
	c := (*project.Catalog)(nil).BeginFile(path)
	for _, st := range res.File.Statements {
		c = c.Apply(st)
		kept, ok := res.Steps[st]
		if !ok {
			continue
		}
		if got, want := describe(kept), describe(c); got != want {
			t.Fatalf("the catalog kept after statement %d is not the schema after it:\n%s", st.Index, firstDiff(got, want))
		}
	}
}

// The snapshots are StepEvery statements apart in a file of up to rules.LargeFile
// statements, where an edit's replay from the one before it is most of its analysis,
// and LargeStepEvery apart in a larger one, where an edit that re-judges the rest of
// the file would copy the catalog's changed paths at each.
func TestStepsSpacedByFileSize(t *testing.T) {
	for _, n := range []int{1000, rules.LargeFile + 1000} {
		var b strings.Builder
		for i := 0; i < n; i++ {
			fmt.Fprintf(&b, "ALTER TABLE t_%d ADD COLUMN c text;\n", i%50)
		}
		res := engine.Analyze("/tmp/migsafe-incremental-spacing/0001_m.sql", b.String(), config.Default(), engine.Options{KeepSteps: true})
		step := rules.StepEvery
		if n > rules.LargeFile {
			step = rules.LargeStepEvery
		}
		if got, want := len(res.Steps), n/step; got != want {
			t.Errorf("%d statements: %d snapshots kept, want %d (every %d)", n, got, want, step)
		}
		for st := range res.Steps {
			if st.Index%step != step-1 {
				t.Errorf("%d statements: a snapshot after statement %d, not a multiple of %d", n, st.Index+1, step)
			}
		}
	}
}

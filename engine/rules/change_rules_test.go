package rules

import (
	"errors"
	"io/fs"
	"regexp"
	"strings"
	"testing"

	pg "github.com/pganalyze/pg_query_go/v5"

	"github.com/migsafe/migsafe/engine/config"
	"github.com/migsafe/migsafe/engine/locks"
	"github.com/migsafe/migsafe/engine/migration"
	"github.com/migsafe/migsafe/internal/regularfile"
)

var kebab = regexp.MustCompile(`^[a-z]+(-[a-z]+)*$`)

// Every change rule documents itself: the doc's first paragraph opens with the status
// it argues for, opt-in rules say so, and the rule has something to run.
// TestRulesDocumented checks every registered rule's metadata.
func TestRulesDocumented(t *testing.T) {
	known := map[Category]bool{}
	for _, c := range Categories {
		known[c] = true
	}
	for _, r := range All {
		if !kebab.MatchString(r.ID) {
			t.Errorf("%s: ID is not kebab-case", r.ID)
		}
		if !known[r.Category] {
			t.Errorf("%s: unknown category %q", r.ID, r.Category)
		}
		if r.Summary == "" || r.Severity == "" || (r.Check == nil && r.CheckFile == nil) {
			t.Errorf("%s: missing summary, severity or check", r.ID)
		}
		first := strings.SplitN(r.Doc, "\n\n", 2)[0]
		if !strings.HasPrefix(first, r.Status.String()) {
			t.Errorf("%s: doc's first paragraph does not argue its status %s: %q", r.ID, r.Status, first)
		}
		if r.OptIn != strings.Contains(r.Summary, "(opt-in)") {
			t.Errorf("%s: OptIn=%v but the summary says otherwise: %q", r.ID, r.OptIn, r.Summary)
		}
	}
}

// columnTypesOf parses "CREATE TABLE t (a <from>, b <to>)" and returns both types.
func columnTypesOf(t *testing.T, from, to string) (*pg.TypeName, *pg.TypeName) {
	t.Helper()
	tree, err := pg.Parse("CREATE TABLE t (a " + from + ", b " + to + ")")
	if err != nil {
		t.Fatalf("%s -> %s: %v", from, to, err)
	}
	elts := tree.Stmts[0].Stmt.GetCreateStmt().TableElts
	return elts[0].GetColumnDef().TypeName, elts[1].GetColumnDef().TypeName
}

func TestNarrowing(t *testing.T) {
	for _, c := range []struct {
		from, to string
		narrow   bool
	}{
		{"bigint", "integer", true},
		{"integer", "smallint", true},
		{"integer", "bigint", false},
		{"text", "varchar(10)", true},
		{"varchar", "varchar(10)", true},
		{"varchar(50)", "varchar(10)", true},
		{"varchar(10)", "varchar(50)", false},
		{"varchar(10)", "text", false},
		{"numeric(10,2)", "numeric(8,2)", true},
		{"numeric(10,2)", "numeric(10,1)", true},
		{"numeric(10,2)", "numeric(12,2)", false},
		{"numeric", "numeric(12,2)", true},
		{"numeric(10,2)", "integer", true},
		{"double precision", "real", true},
		{"timestamptz", "date", true},
		{"timestamp", "date", true},
		{"date", "timestamptz", false},
		{"char(5)", "char(3)", true},
	} {
		from, to := columnTypesOf(t, c.from, c.to)
		if got := narrowing(from, to) != ""; got != c.narrow {
			t.Errorf("narrowing(%s -> %s) = %v, want %v", c.from, c.to, got, c.narrow)
		}
	}
}

func TestBatchBounded(t *testing.T) {
	for where, want := range map[string]bool{
		"id < 1000":             true,
		"id >= $1 AND id < $2":  true,
		"id BETWEEN 1 AND 5000": true,
		"1000 > id":             true,
		"id IN (SELECT id FROM t WHERE x LIMIT 100)": true,
		"x IS NULL":                        false,
		"a < b":                            false,
		"status = 'new'":                   false,
		"id IN (SELECT id FROM t WHERE x)": false,
	} {
		tree, err := pg.Parse("UPDATE t SET y = 1 WHERE " + where)
		if err != nil {
			t.Fatal(err)
		}
		if got := batchBounded(tree.Stmts[0].Stmt.GetUpdateStmt().WhereClause); got != want {
			t.Errorf("batchBounded(%s) = %v, want %v", where, got, want)
		}
	}
}

func TestLeads(t *testing.T) {
	cases := []struct {
		idx, cols []string
		want      bool
	}{
		{[]string{"a"}, []string{"a"}, true},
		{[]string{"a", "b"}, []string{"a"}, true},
		{[]string{"b", "a"}, []string{"a", "b"}, true},
		{[]string{"b", "a"}, []string{"a"}, false},
		{[]string{"a"}, []string{"a", "b"}, false},
		{[]string{"A"}, []string{"a"}, true},
	}
	for _, c := range cases {
		if got := leads(c.idx, c.cols); got != c.want {
			t.Errorf("leads(%v, %v) = %v, want %v", c.idx, c.cols, got, c.want)
		}
	}
}

// passFor builds a Pass for the statement of text that contains marker.
func passFor(t *testing.T, text, marker string) *Pass {
	t.Helper()
	f := migration.Parse("x.sql", text, migration.Options{})
	cfg := config.Default()
	for _, st := range f.Statements {
		if strings.Contains(st.Text, marker) {
			p := NewPass(&Rule{}, f, cfg, NewState(f.Path, nil), func(*Rule, Diagnostic) {})
			p.Stmt, p.Locks = st, locks.Classify(st.Node, cfg.PGVersion, nil)
			return p
		}
	}
	t.Fatalf("no statement contains %q", marker)
	return nil
}

func TestSpans(t *testing.T) {
	text := "SELECT 1;\nALTER TABLE t ADD COLUMN a varchar(20) NOT NULL, ADD CONSTRAINT c CHECK (f(a, b) > 0), ADD COLUMN b timestamp without time zone;\n"
	p := passFor(t, text, "ALTER")
	var got []string
	for _, part := range p.Locks.Parts {
		s, e := p.ClauseSpan(part.Loc)
		got = append(got, text[s:e])
	}
	want := []string{"a varchar(20) NOT NULL", "CONSTRAINT c CHECK (f(a, b) > 0)", "b timestamp without time zone"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("ClauseSpan = %q, want %q", got, want)
	}
	var types []string
	for _, c := range columnTypes(p.Stmt.Node) {
		s, e := p.TypeSpan(c.typ.Location)
		types = append(types, text[s:e])
	}
	if want := "varchar(20)|timestamp without time zone"; strings.Join(types, "|") != want {
		t.Errorf("TypeSpan = %q, want %q", types, want)
	}
	if s, e, ok := p.KeywordIn(p.Stmt.Start, p.Stmt.End, "NOT", "NULL"); !ok || text[s:e] != "NOT NULL" {
		t.Errorf("KeywordIn(NOT NULL) = %q, %v", text[s:e], ok)
	}
	cs, _ := p.ClauseSpan(p.Locks.Parts[1].Loc)
	if _, _, ok := p.KeywordIn(cs, p.Stmt.End, "NOT", "NULL"); ok {
		t.Error("KeywordIn found NOT NULL outside the range it was given")
	}
}

// A sibling down file that was never looked for is unknown, not missing.
func TestMissingDownNeedsSiblingLookup(t *testing.T) {
	missing := func(string) ([]byte, error) { return nil, errNoFile }
	for _, c := range []struct {
		name string
		read func(string) ([]byte, error)
		want int
	}{
		{"no ReadFile", nil, 0},
		{"sibling absent", missing, 1},
		{"sibling present", func(string) ([]byte, error) { return []byte("DROP TABLE t;"), nil }, 0},
	} {
		f := migration.Parse("m/0001_t.up.sql", "CREATE TABLE t (id bigint);", migration.Options{ReadFile: c.read})
		n := 0
		p := NewPass(MissingDownMigration, f, config.Default(), NewState(f.Path, nil), func(*Rule, Diagnostic) { n++ })
		MissingDownMigration.CheckFile(p)
		if n != c.want {
			t.Errorf("%s: %d findings, want %d", c.name, n, c.want)
		}
	}
}

var errNoFile = errors.New("no such file")

// A down file that is there but cannot be read is said to be what it is: a named pipe
// (or a file it may not read) was reported as "it does not exist", which sent the
// author looking for a typo in its name.
func TestMissingDownSaysWhyTheSiblingIsUnread(t *testing.T) {
	for _, c := range []struct {
		name string
		err  error
		want string
	}{
		{"absent", &fs.PathError{Op: "open", Path: "m/0001_t.down.sql", Err: fs.ErrNotExist}, "0001_t.down.sql would undo this one for golang-migrate, and it does not exist"},
		{"a FIFO", &fs.PathError{Op: "read", Path: "m/0001_t.down.sql", Err: regularfile.NotRegularError{Mode: fs.ModeNamedPipe}}, "0001_t.down.sql would undo this one for golang-migrate, and it is a named pipe (FIFO), not a regular file"},
		{"unreadable", &fs.PathError{Op: "open", Path: "m/0001_t.down.sql", Err: fs.ErrPermission}, "0001_t.down.sql would undo this one for golang-migrate, and it cannot be read: permission denied"},
	} {
		read := func(string) ([]byte, error) { return nil, c.err }
		f := migration.Parse("m/0001_t.up.sql", "CREATE TABLE t (id bigint);", migration.Options{ReadFile: read})
		var got []string
		p := NewPass(MissingDownMigration, f, config.Default(), NewState(f.Path, nil), func(_ *Rule, d Diagnostic) { got = append(got, d.Message) })
		MissingDownMigration.CheckFile(p)
		if len(got) != 1 || !strings.Contains(got[0], c.want) {
			t.Errorf("%s: %q, want one finding saying %q", c.name, got, c.want)
		}
	}
}

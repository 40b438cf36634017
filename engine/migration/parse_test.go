package migration

import (
	pg "github.com/pganalyze/pg_query_go/v5"
	"strings"
	"testing"
)

func stmtTexts(f *File) []string {
	var out []string
	for _, s := range f.Statements {
		out = append(out, s.Text)
	}
	return out
}

func TestSplitKeepsStringsCommentsAndBodies(t *testing.T) {
	text := "SELECT 'a;b'; -- c;d\n" +
		"CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;\n" +
		"CREATE FUNCTION g() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT CASE WHEN true THEN 1 END; SELECT 2; END;\n" +
		";;\n/* x; */ SELECT 3"
	f := Parse("m.sql", text, Options{})
	want := []string{
		"SELECT 'a;b';",
		"CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;",
		"CREATE FUNCTION g() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT CASE WHEN true THEN 1 END; SELECT 2; END;",
		"SELECT 3",
	}
	got := stmtTexts(f)
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("statements:\n got %q\nwant %q", got, want)
	}
	for _, s := range f.Statements {
		if s.Err != nil || s.Node == nil {
			t.Errorf("%q: err %v, node %v", s.Text, s.Err, s.Node)
		}
	}
	if len(f.Comments) != 2 {
		t.Errorf("comments = %d, want 2", len(f.Comments))
	}
}

func TestOneBadStatementDoesNotHideTheRest(t *testing.T) {
	text := "CREATE TABLE a (id int);\nCREATE INDX foo ON a (id);\nCREATE INDEX b ON a (id);"
	f := Parse("m.sql", text, Options{})
	if len(f.Statements) != 3 {
		t.Fatalf("statements = %d, want 3", len(f.Statements))
	}
	bad := f.Statements[1]
	if bad.Err == nil || bad.Node != nil {
		t.Fatalf("second statement should carry the error: %+v", bad)
	}
	pos := f.Source.Position(bad.Err.Offset, CodePoints)
	if pos != (Position{1, 7}) || !strings.Contains(bad.Err.Message, "INDX") {
		t.Errorf("error at %+v %q, want line 1 col 7 near INDX", pos, bad.Err.Message)
	}
	if f.Statements[2].Node.GetIndexStmt() == nil {
		t.Errorf("third statement not parsed")
	}
	// Locations of per-statement parses are relative to the statement: Pos maps them back.
	is := f.Statements[2].Node.GetIndexStmt()
	if off := f.Statements[2].Pos(is.Relation.Location); text[off:off+1] != "a" {
		t.Errorf("relation location maps to %q", text[off:])
	}
}

func TestUnterminatedStringKeepsEarlierStatements(t *testing.T) {
	text := "CREATE TABLE a (id int);\nSELECT 'oops;\nSELECT 2;"
	f := Parse("m.sql", text, Options{})
	if len(f.Statements) != 2 {
		t.Fatalf("statements = %q", stmtTexts(f))
	}
	if f.Statements[0].Node == nil {
		t.Error("first statement lost")
	}
	last := f.Statements[1]
	if last.Err == nil || !strings.Contains(last.Err.Message, "unterminated") {
		t.Fatalf("want unterminated error, got %+v", last.Err)
	}
	if p := f.Source.Position(last.Err.Offset, CodePoints); p != (Position{1, 7}) {
		t.Errorf("error at %+v, want {1 7}", p)
	}
}

func TestHostileInput(t *testing.T) {
	cases := map[string]string{
		"binary":        "\x00\x01\x02garbage",
		"invalid utf-8": "SELECT '\xff\xfe';",
		"bom":           "\uFEFFSELECT 1;",
		"only comments": "-- nothing\n/* at all */",
		"empty":         "",
		"psql meta":     "\\set ON_ERROR_STOP on\nSELECT 1;",
		"placeholder":   "CREATE TABLE ${schema}.t (id int);",
		"deep nesting":  "SELECT " + strings.Repeat("(", 5000) + "1" + strings.Repeat(")", 5000) + ";",
	}
	for name, text := range cases {
		t.Run(name, func(t *testing.T) {
			f := Parse("m.sql", text, Options{})
			for _, s := range f.Statements {
				if s.Start < 0 || s.End > len(text) || s.Start > s.End {
					t.Errorf("span %d-%d outside text of %d bytes", s.Start, s.End, len(text))
				}
				if s.Err != nil && (s.Err.Offset < 0 || s.Err.Offset > len(text)) {
					t.Errorf("error offset %d outside text", s.Err.Offset)
				}
			}
		})
	}
	f := Parse("m.sql", "\x00\x01", Options{})
	if len(f.Errors) != 1 || !strings.Contains(f.Errors[0].Message, "binary") {
		t.Errorf("binary file: errors %+v", f.Errors)
	}
	f = Parse("m.sql", "\uFEFFSELECT 1;", Options{})
	if len(f.Statements) != 1 || f.Statements[0].Err != nil || f.Statements[0].Start != 3 {
		t.Errorf("BOM: %+v", f.Statements[0])
	}
}

func TestLargeFile(t *testing.T) {
	var b strings.Builder
	for b.Len() < 10<<20 {
		b.WriteString("ALTER TABLE users ADD COLUMN c text; -- comment é\n")
	}
	f := Parse("big.sql", b.String(), Options{})
	if n := len(f.Statements); n < 190000 {
		t.Fatalf("statements = %d", n)
	}
	if f.Statements[len(f.Statements)-1].Node == nil {
		t.Error("last statement not parsed")
	}
}

func TestInvalidUTF8IsLocated(t *testing.T) {
	text := "SELECT 1;\nCREATE INDEX \xff\xfe ON t (a);\n-- \xff in a comment\nSELECT 2;"
	f := Parse("m.sql", text, Options{})
	if len(f.Statements) != 3 || f.Statements[1].Err == nil || f.Statements[0].Err != nil || f.Statements[2].Err != nil {
		t.Fatalf("statements: %+v", f.Statements)
	}
	if p := f.Source.Position(f.Statements[1].Err.Offset, CodePoints); p != (Position{1, 13}) {
		t.Errorf("statement error at %+v, want {1 13}", p)
	}
	if len(f.Errors) != 1 || f.Source.Position(f.Errors[0].Offset, CodePoints).Line != 2 {
		t.Errorf("comment error: %+v", f.Errors)
	}
}

func TestParseCacheReusesUnchangedStatements(t *testing.T) {
	cache := &ParseCache{}
	v1 := "CREATE TABLE a (id int);\nCREATE INDEX i ON a (id);\n"
	f1 := Parse("m.sql", v1, Options{Cache: cache})
	// An edit before both statements shifts their offsets; the second is unchanged.
	v2 := "-- note\nCREATE TABLE a (id bigint);\nCREATE INDEX i ON a (id);\n"
	f2 := Parse("m.sql", v2, Options{Cache: cache})
	if f2.Statements[1].Node != f1.Statements[1].Node {
		t.Error("unchanged statement was parsed again")
	}
	if f2.Statements[0].Node == f1.Statements[0].Node {
		t.Error("changed statement reused a stale tree")
	}
	// Locations in a reused tree still map to the right file offset.
	is := f2.Statements[1].Node.GetIndexStmt()
	if off := f2.Statements[1].Pos(is.Relation.Location); v2[off:off+1] != "a" || off != len("-- note\nCREATE TABLE a (id bigint);\nCREATE INDEX i ON ") {
		t.Errorf("relation location maps to offset %d", off)
	}
	// The cache has the same result as an uncached parse.
	plain := Parse("m.sql", v2, Options{})
	for i := range plain.Statements {
		if plain.Statements[i].Text != f2.Statements[i].Text || (plain.Statements[i].Node == nil) != (f2.Statements[i].Node == nil) {
			t.Errorf("statement %d differs from an uncached parse", i)
		}
	}
	// Only the latest parse's trees are kept.
	if len(cache.trees) != 2 {
		t.Errorf("cache holds %d trees, want 2", len(cache.trees))
	}
}

// TestChunkedScanMatchesOneCall: scanning a large text a chunk at a time gives the
// tokens of one scanner call, whatever straddles a chunk's end: strings and dollar
// quotes full of semicolons (one longer than a chunk), comments, identifiers.
func TestChunkedScanMatchesOneCall(t *testing.T) {
	var b strings.Builder
	for i := 0; b.Len() < 5*scanChunk; i++ {
		switch i % 4 {
		case 0:
			b.WriteString("INSERT INTO t VALUES ('a;b;c', E'x\\';y', 'it''s; fine');\n")
		case 1:
			b.WriteString("CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; SELECT 2; $body$ LANGUAGE sql; -- c;\n")
		case 2:
			b.WriteString("/* ; nested /* ; */ ; */ SELECT \"semi;colon\" FROM t;\n")
		default:
			b.WriteString("UPDATE t SET c = c + 1 WHERE id = 12345678;\n")
		}
		if i == 300 {
			b.WriteString("SELECT '" + strings.Repeat("long; string ", scanChunk/6) + "';\n")
		}
	}
	text := b.String()
	var chunked []Token
	ok := scanChunks(text, func(toks []Token) { chunked = append(chunked, toks...) })
	if !ok {
		t.Fatal("scanChunked declined a large text")
	}
	whole, err := scanC(text, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(chunked) != len(whole) {
		t.Fatalf("%d tokens in chunks, %d in one call", len(chunked), len(whole))
	}
	for i := range whole {
		if chunked[i] != whole[i] {
			t.Fatalf("token %d: %+v in chunks, %+v in one call", i, chunked[i], whole[i])
		}
	}
}

// GrammarMajor, a constant, is the major of the grammar pg_query parses with.
func TestGrammarMajor(t *testing.T) {
	tree, err := pg.Parse("SELECT 1")
	if err != nil {
		t.Fatal(err)
	}
	if want := int(tree.Version / 10000); GrammarMajor != want {
		t.Errorf("GrammarMajor %d, pg_query's parser is PostgreSQL %d's", GrammarMajor, want)
	}
}

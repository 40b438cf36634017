package migration

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	pg "github.com/pganalyze/pg_query_go/v5"

	"github.com/migsafe/migsafe/internal/corpus"
)

// lexMatches reports whether lex and pg_query's scanner agree on text: when lex reads
// it, the scanner reads it too, into the same tokens. ok is false when lex gave up.
func lexMatches(t *testing.T, name, text string) (ok bool) {
	t.Helper()
	var got []Token
	if !lex(text, 0, func(tok Token) { got = append(got, tok) }) {
		return false
	}
	res, err := pg.Scan(text)
	if err != nil {
		t.Fatalf("%s: lex read what pg_query's scanner rejects (%v): %.200q", name, err, text)
	}
	if len(res.Tokens) != len(got) {
		t.Fatalf("%s: lex read %d tokens, the scanner %d: %.200q", name, len(got), len(res.Tokens), text)
	}
	for i, st := range res.Tokens {
		want := Token{Start: st.Start, End: st.End, Kind: st.Token}
		if got[i] != want {
			t.Fatalf("%s: token %d: lex %+v %q, scanner %+v %q", name, i, got[i], text[got[i].Start:got[i].End], want, text[want.Start:want.End])
		}
	}
	return true
}

// TestLexerMatchesScanner holds the Go lexer to pg_query's scanner over every rule
// fixture, every corpus migration and the cases scan.l treats specially; on real
// migrations it must almost never need the scanner.
func TestLexerMatchesScanner(t *testing.T) {
	var texts []corpus.File
	filepath.WalkDir("../../testdata", func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".sql") {
			data, _ := os.ReadFile(p)
			texts = append(texts, corpus.File{Path: p, Text: string(data)})
		}
		return err
	})
	fixtures := len(texts)
	if corpus.Dir() != "" {
		texts = append(texts, corpus.SQLFiles(t)...)
	}
	gaveUp := 0
	for _, f := range texts {
		if !utf8.ValidString(f.Text) || strings.IndexByte(f.Text, 0) >= 0 {
			continue
		}
		if !lexMatches(t, f.Path, f.Text) {
			gaveUp++
			t.Logf("lex left %s to pg_query's scanner", f.Path)
		}
	}
	if gaveUp*100 > len(texts) {
		t.Errorf("lex gave up on %d of %d files (%d fixtures)", gaveUp, len(texts), fixtures)
	}
	for _, c := range lexCases {
		lexMatches(t, "case", c)
	}
}

var lexCases = []string{
	"SELECT a+-b, a-+b, a@-b, a*-b, a!=b, a<>b, a<=b, a>=b, a=>b, a||b, a->>'k', a#>'{x}', a<=>b, a~*b, a!~~*b",
	"SELECT 1/*c*/+2, 3+/*c*/4, a*/*c*/b, a+--c\n1, a--+\n, -1, - 1, +1",
	"SELECT 1, 1.5, .5, 1., 1e5, 1.5E-3, 1e+2, 2147483647, 2147483648, 9999999999999, 007, a[1:2], a[1..2], 1..2",
	"SELECT 'a''b', E'a\\'b', E'a\\\\', e'\\n\\t', N'x', n'y', 'é😀', $$a;b$$, $tag$ $x$ $tag$, $a$$a$, $_1$x$_1$, a$b, a$$b",
	"SELECT \"Quoted\"\"Ident\", \"é\", U_x, u, e, n, b, x, Éab, _x1$, \"select\"",
	"SELECT $1, $23, ::int, a::text, :x, :=, f(a => 1), x := 1, ARRAY[1,2][1]",
	"CREATE TABLE Users (Id BIGINT, Name TEXT NOT NULL DEFAULT '', CONSTRAINT pk PRIMARY KEY (id)); ALTER TABLE users ADD COLUMN c text;",
	"SELECT 'a' -- c\n, 'b'\n-- only a comment\n'c', 'd' /* c */\n'e'",
	"/* nested /* comment */ still */ SELECT 1; -- trailing",
	"SELECT CURRENT_TIMESTAMP, current_user, Session_User, NULLS FIRST, WITH ORDINALITY, XMLATTRIBUTES, ABORT, NOT NULL, NOT IN",
	"SELECT 1 \v\f 2",
}

// FuzzLexer: whenever the Go lexer reads a text, pg_query's scanner reads the same
// tokens from it.
func FuzzLexer(f *testing.F) {
	for _, c := range lexCases {
		f.Add(c)
	}
	f.Fuzz(func(t *testing.T, text string) {
		if !utf8.ValidString(text) || strings.IndexByte(text, 0) >= 0 {
			return
		}
		lexMatches(t, "fuzz", text)
	})
}

// TestKeywordKindMatchesScanner: the keyword table gives each word the category
// pg_query's scanner gives it.
func TestKeywordKindMatchesScanner(t *testing.T) {
	for _, w := range []string{"select", "user", "table", "name", "text", "order", "abort", "between", "current_timestamp", "id", "xmlattributes", "nulls", "ordinality", "users"} {
		res, err := pg.Scan(w)
		if err != nil || len(res.Tokens) != 1 {
			t.Fatalf("%s: %v", w, err)
		}
		if got := KeywordKind(w); got != res.Tokens[0].KeywordKind {
			t.Errorf("%s: %v, scanner %v", w, got, res.Tokens[0].KeywordKind)
		}
	}
	if len(keywordTable) != 471 { // PG_KEYWORD entries in PostgreSQL 16's kwlist.h
		t.Errorf("%d keywords found, want PostgreSQL 16's 471", len(keywordTable))
	}
}

package plpgsql

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"testing"

	pg "github.com/pganalyze/pg_query_go/v5"

	"github.com/migsafe/migsafe/internal/corpus"
)

// Every kind of statement is found with its line, nested in IF, CASE, loops and
// blocks, and the body of a block with an EXCEPTION clause is marked.
func TestParseFindsEveryKind(t *testing.T) {
	body := `
DECLARE v int; r record;
BEGIN
  ALTER TABLE t ADD COLUMN c int NOT NULL;
  SELECT id INTO v FROM t LIMIT 1;
  INSERT INTO t (a) VALUES (1) RETURNING id INTO v;
  IF v > 0 THEN UPDATE t SET a = 1; ELSIF v < 0 THEN DELETE FROM t WHERE a = 2; ELSE DELETE FROM t; END IF;
  EXECUTE 'DROP TABLE ' || quote_ident('x');
  PERFORM pg_sleep(1);
  FOR r IN SELECT * FROM t LOOP CREATE INDEX ON t (a); END LOOP;
  FOR r IN EXECUTE format('SELECT * FROM %I', 'u') LOOP NULL; END LOOP;
  CASE v WHEN 1 THEN DROP TABLE a; ELSE DROP TABLE b; END CASE;
  COMMIT;
  BEGIN
    ALTER TABLE t DROP COLUMN z;
    ROLLBACK;
  EXCEPTION WHEN others THEN
    ALTER TABLE t DROP COLUMN y;
  END;
END`
	stmts, err := Parse(body)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range stmts {
		tag := [...]string{"sql", "dynamic", "tx"}[s.Kind]
		if s.Perform {
			tag += "/perform"
		}
		if s.InException {
			tag += "/exc"
		}
		got = append(got, strings.Join([]string{strconv.Itoa(s.Line), tag, strings.Join(strings.Fields(s.Text), " ")}, " "))
	}
	want := []string{
		"4 sql ALTER TABLE t ADD COLUMN c int NOT NULL",
		"5 sql SELECT id FROM t LIMIT 1",
		"6 sql INSERT INTO t (a) VALUES (1) RETURNING id",
		"7 sql UPDATE t SET a = 1",
		"7 sql DELETE FROM t WHERE a = 2",
		"7 sql DELETE FROM t",
		"8 dynamic 'DROP TABLE ' || quote_ident('x')",
		"9 sql/perform SELECT pg_sleep(1)",
		"10 sql SELECT * FROM t",
		"10 sql CREATE INDEX ON t (a)",
		"11 dynamic format('SELECT * FROM %I', 'u')",
		"12 sql DROP TABLE a",
		"12 sql DROP TABLE b",
		"13 tx COMMIT",
		"15 sql/exc ALTER TABLE t DROP COLUMN z",
		"16 tx/exc ROLLBACK",
		"18 sql ALTER TABLE t DROP COLUMN y",
	}
	// Statements of one line come in no particular order: callers place them by text.
	sort.Strings(got)
	sort.Strings(want)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// A body that does not compile is an error, not an empty body; another language's
// body has no PL/pgSQL statements to find but the caller decides that by LANGUAGE.
func TestParseErrors(t *testing.T) {
	for _, body := range []string{" BEGIN SELEC 1; END ", " BEGIN x := 1; END ", " BEGIN "} {
		if _, err := Parse(body); err == nil {
			t.Errorf("%q: no error", body)
		}
	}
	// The wrapper's dollar tag must not occur in the body.
	stmts, err := Parse(" BEGIN RAISE NOTICE '$migsafe$'; UPDATE t SET a = '$migsafe$'; END ")
	if err != nil || len(stmts) != 1 || stmts[0].Text != "UPDATE t SET a = '$migsafe$'" {
		t.Errorf("body holding the tag: %+v, %v", stmts, err)
	}
}

// readWithEncodingJSON is parse's walk as it was through encoding/json: the reader
// must find the same statements in every body (those of one line in any order).
func readWithEncodingJSON(t *testing.T, body string) ([]Stmt, error) {
	out, err := treeJSON(body)
	if err != nil {
		return nil, err
	}
	var funcs []map[string]any
	if err := json.Unmarshal([]byte(out), &funcs); err != nil {
		t.Fatalf("encoding/json: %v", err)
	}
	var walk func(v any, inException bool, out *[]Stmt)
	query := func(v any) string {
		expr, _ := v.(map[string]any)
		inner, _ := expr["PLpgSQL_expr"].(map[string]any)
		q, _ := inner["query"].(string)
		return q
	}
	statement := func(kind string, n map[string]any, inException bool, out *[]Stmt) {
		line := 0
		if l, ok := n["lineno"].(float64); ok {
			line = int(l)
		}
		add := func(k Kind, text string, perform bool) {
			*out = append(*out, Stmt{Kind: k, Line: line, Text: text, Perform: perform, InException: inException})
		}
		switch kind {
		case "execsql":
			add(SQL, query(n["sqlstmt"]), false)
		case "perform":
			add(SQL, query(n["expr"]), true)
		case "call":
			add(SQL, query(n["expr"]), false)
		case "fors", "return_query", "open":
			if q := query(n["query"]); q != "" {
				add(SQL, q, false)
			}
			if q := query(n["dynquery"]); q != "" {
				add(Dynamic, q, false)
			}
		case "dynexecute", "dynfors":
			add(Dynamic, query(n["query"]), false)
		case "commit":
			add(TxControl, "COMMIT", false)
		case "rollback":
			add(TxControl, "ROLLBACK", false)
		case "block":
			_, handled := n["exceptions"]
			walk(n["body"], inException || handled, out)
			walk(n["exceptions"], inException, out)
			return
		}
		for key, val := range n {
			if key != "sqlstmt" && key != "expr" && key != "query" && key != "dynquery" {
				walk(val, inException, out)
			}
		}
	}
	walk = func(v any, inException bool, out *[]Stmt) {
		switch x := v.(type) {
		case []any:
			for _, e := range x {
				walk(e, inException, out)
			}
		case map[string]any:
			for key, val := range x {
				node, ok := val.(map[string]any)
				if !ok || !strings.HasPrefix(key, "PLpgSQL_stmt_") {
					walk(val, inException, out)
					continue
				}
				statement(strings.TrimPrefix(key, "PLpgSQL_stmt_"), node, inException, out)
			}
		}
	}
	var stmts []Stmt
	for _, f := range funcs {
		walk(f, false, &stmts)
	}
	return stmts, nil
}

// The reader finds what encoding/json's maps held, in every DO body of the corpus and
// of the test bodies above, and in bodies whose strings need unescaping or are not
// UTF-8.
func TestReaderIsEncodingJSONs(t *testing.T) {
	bodies := []string{
		" BEGIN UPDATE t SET a = E'tab\\there \"quoted\" \\\\ back'; PERFORM 'é ☃ \U0001F600'; END ",
		" BEGIN UPDATE t SET a = '\xff\xfe not utf-8'; COMMIT; END ",
		" BEGIN IF true THEN COMMIT; ELSE ROLLBACK; END IF; EXECUTE 'x' || 1.5e3; END ",
	}
	for _, f := range corpus.SQLFiles(t) {
		res, err := pg.Parse(f.Text)
		if err != nil {
			continue
		}
		for _, rs := range res.Stmts {
			for _, a := range rs.Stmt.GetDoStmt().GetArgs() {
				if d := a.GetDefElem(); d != nil && d.Defname == "as" {
					bodies = append(bodies, d.Arg.GetString_().GetSval())
				}
			}
		}
	}
	if len(bodies) < 50 {
		t.Fatalf("%d bodies", len(bodies))
	}
	key := func(stmts []Stmt) string {
		var lines []string
		for _, s := range stmts {
			lines = append(lines, fmt.Sprintf("%+v", s))
		}
		sort.Strings(lines)
		return strings.Join(lines, "\n")
	}
	for _, body := range bodies {
		got, err := parse(body)
		want, werr := readWithEncodingJSON(t, body)
		if (err != nil) != (werr != nil) {
			t.Fatalf("%q: error %v, encoding/json's walk %v", body, err, werr)
		}
		if g, w := key(got), key(want); g != w {
			t.Errorf("%q:\n%s\nencoding/json's walk:\n%s", body, g, w)
		}
	}
	t.Logf("%d bodies", len(bodies))
}

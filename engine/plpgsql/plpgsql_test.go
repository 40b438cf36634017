package plpgsql

import (
	"sort"
	"strconv"
	"strings"
	"testing"
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

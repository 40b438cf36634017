package plpgsql

import (
	"fmt"
	"sort"
	"strings"
	"testing"
)

// FuzzParse parses arbitrary DO bodies: no panic or crash in pg_query's PL/pgSQL
// parser or the tree reader; statements ordered by a line inside the body's wrapper;
// and the reader finds what encoding/json's walk of the same tree finds (the
// reader's escapes, numbers and nesting against encoding/json's).
func FuzzParse(f *testing.F) {
	for _, body := range []string{
		" BEGIN UPDATE t SET a = E'tab\\there \"quoted\" \\\\ back'; PERFORM 'é ☃ \U0001F600'; END ",
		" BEGIN UPDATE t SET a = '\xff\xfe not utf-8'; COMMIT; END ",
		" BEGIN IF true THEN COMMIT; ELSE ROLLBACK; END IF; EXECUTE 'x' || 1.5e3; END ",
		"\nDECLARE v int; r record;\nBEGIN\n  SELECT id INTO v FROM t LIMIT 1;\n  FOR r IN EXECUTE format('SELECT * FROM %I', 'u') LOOP NULL; END LOOP;\n  CASE v WHEN 1 THEN DROP TABLE a; ELSE DROP TABLE b; END CASE;\nEND",
		" BEGIN BEGIN ALTER TABLE t DROP COLUMN z; EXCEPTION WHEN others THEN NULL; END; END ",
		" BEGIN RAISE NOTICE '$migsafe$'; UPDATE t SET a = '$migsafe$'; END ",
		" BEGIN " + strings.Repeat("BEGIN ", 200) + "NULL;" + strings.Repeat(" END;", 200) + " END ",
		" BEGIN " + strings.Repeat("IF true THEN ", 300) + "NULL;" + strings.Repeat(" END IF;", 300) + " END ",
		" BEGIN SELEC 1; END ",
	} {
		f.Add(body)
	}
	key := func(stmts []Stmt) string {
		var lines []string
		for _, s := range stmts {
			lines = append(lines, fmt.Sprintf("%+v", s))
		}
		sort.Strings(lines)
		return strings.Join(lines, "\n")
	}
	f.Fuzz(func(t *testing.T, body string) {
		got, err := parse(body)
		lines := strings.Count(body, "\n") + 1
		for i, s := range got {
			if s.Line < 0 || s.Line > lines {
				t.Fatalf("statement %d %q: line %d outside the body's %d", i, s.Text, s.Line, lines)
			}
			if i > 0 && s.Line < got[i-1].Line {
				t.Fatalf("statement %d: line %d after %d", i, s.Line, got[i-1].Line)
			}
		}
		want, werr := readWithEncodingJSON(t, body)
		if (err != nil) != (werr != nil) {
			t.Fatalf("error %v, encoding/json's walk %v", err, werr)
		}
		if g, w := key(got), key(want); g != w {
			t.Fatalf("reader:\n%s\nencoding/json's walk:\n%s", g, w)
		}
	})
}

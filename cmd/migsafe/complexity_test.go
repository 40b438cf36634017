package main

import (
	"strings"
	"testing"
)

// TestCheckTooComplex: check reports a 30,000-term expression and 100,000 nested
// parentheses as located BLOCK errors (they used to kill the process with SIGSEGV
// inside pg_query), and still analyses the statements around them.
func TestCheckTooComplex(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"0001_deep.sql": "CREATE INDEX users_email_idx ON users (email);\n" +
			"SELECT " + strings.Repeat("1 + ", 29999) + "1;\n" +
			"SELECT " + strings.Repeat("(", 100000) + "1" + strings.Repeat(")", 100000) + ";\n",
	})
	out, errOut, code := run(t, dir, "", "check", "--format", "text", "0001_deep.sql")
	if code != 1 {
		t.Fatalf("exit %d, want 1 (BLOCK); stderr %q", code, errOut)
	}
	for _, want := range []string{
		"0001_deep.sql:1:1: BLOCK require-concurrent-index-creation",
		"0001_deep.sql:2:", "0001_deep.sql:3:",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if n := strings.Count(out, "BLOCK statement-too-complex: statement too complex to analyse"); n != 2 {
		t.Errorf("%d statement-too-complex errors, want 2:\n%.2000s", n, out)
	}
	js, _, code := run(t, dir, "", "check", "--format", "json", "0001_deep.sql")
	if code != 1 || strings.Count(js, `"kind": "complex"`) != 2 {
		t.Errorf("json: exit %d, %d complex errors, want 1 and 2", code, strings.Count(js, `"kind": "complex"`))
	}
}

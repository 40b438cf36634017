package main

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
)

// A finding on a statement inside a DO body is located in the file, with columns in
// code points as the JSON contract says, past multi-byte characters on the same line.
func TestDoBlockFindingPositions(t *testing.T) {
	dir := writeTree(t, map[string]string{"0001_x.sql": "SET lock_timeout = '1s';\n" +
		"DO $$ BEGIN /* 𝄞é */ ALTER TABLE t ADD COLUMN c int NOT NULL; END $$;\n" +
		"DO $$\nBEGIN\n  EXECUTE format('DROP TABLE %I', 'x');\nEND\n$$;\n"})
	out, stderr, code := run(t, dir, "", "check", "--format", "json", "0001_x.sql")
	if code != 1 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var r struct {
		Files []struct {
			Findings []struct {
				Rule, Status, Statement          string
				Line, Column, EndLine, EndColumn int
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, f := range r.Files[0].Findings {
		got[f.Rule] = strings.Join([]string{f.Status, strconv.Itoa(f.Line), strconv.Itoa(f.Column), strconv.Itoa(f.EndLine), strconv.Itoa(f.EndColumn), f.Statement}, " ")
	}
	// "DO $$ BEGIN /* 𝄞é */ " is 21 code points: NOT NULL spans columns 53-61.
	if want := "BLOCK 2 53 2 61 ALTER TABLE t ADD COLUMN c int NOT NULL"; got["adding-required-column"] != want {
		t.Errorf("adding-required-column: %q, want %q", got["adding-required-column"], want)
	}
	if want := "FLAG 5 3 5 39 "; !strings.HasPrefix(got["dynamic-sql"], want) {
		t.Errorf("dynamic-sql: %q, want prefix %q", got["dynamic-sql"], want)
	}
}

package migration

import (
	"strings"
	"testing"
)

// deepInputs are statements that used to take the process down (SIGSEGV inside
// pg_query, which no recover can catch) or that PostgreSQL's own grammar refuses.
func deepInputs() map[string]string {
	return map[string]string{
		"30,000-term sum":         "SELECT " + strings.Repeat("1 + ", 29999) + "1",
		"100,000 nested parens":   "SELECT " + strings.Repeat("(", 100000) + "1" + strings.Repeat(")", 100000),
		"30,000 chained casts":    "SELECT 1" + strings.Repeat("::int", 30000),
		"30,000 chained joins":    "SELECT * FROM a" + strings.Repeat(" JOIN a ON true", 30000),
		"30,000 string concats":   "SELECT " + strings.Repeat("'a' || ", 29999) + "'a'",
		"30,000 UNION arms":       strings.Repeat("SELECT 1 UNION ", 29999) + "SELECT 1",
		"30,000 nested ARRAY":     "SELECT " + strings.Repeat("ARRAY[", 30000) + "1" + strings.Repeat("]", 30000),
		"in a CHECK of CREATE":    "CREATE TABLE t (c int CHECK (c < " + strings.Repeat("1 + ", 29999) + "1))",
		"in an UPDATE's SET list": "UPDATE t SET c = " + strings.Repeat("c * ", 29999) + "2",
		"in a DO body":            "DO $$ BEGIN PERFORM " + strings.Repeat("1 + ", 29999) + "1; END $$",
	}
}

func TestTooComplexIsALocatedErrorNotACrash(t *testing.T) {
	for name, stmt := range deepInputs() {
		text := "CREATE TABLE before (id int);\n" + stmt + ";\nCREATE INDEX after_idx ON before (id);\n"
		f := Parse("0001_deep.sql", text, Options{})
		if len(f.Statements) != 3 {
			t.Fatalf("%s: %d statements, want 3", name, len(f.Statements))
		}
		deep := f.Statements[1]
		if deep.Body != nil && len(deep.Body.Statements) == 1 {
			deep = deep.Body.Statements[0] // the expression is in the DO body's PERFORM
		}
		if deep.Err == nil || deep.Node != nil {
			t.Fatalf("%s: want an error and no tree, got err %v", name, deep.Err)
		}
		if deep.Err.Offset <= deep.Start || deep.Err.Offset >= deep.End {
			t.Errorf("%s: error at %d, want inside the statement [%d,%d)", name, deep.Err.Offset, deep.Start, deep.End)
		}
		if deep.Err.TooComplex != strings.HasPrefix(deep.Err.Message, TooComplexMessage) {
			t.Errorf("%s: TooComplex %v but message %q", name, deep.Err.TooComplex, deep.Err.Message)
		}
		for _, i := range []int{0, 2} {
			if st := f.Statements[i]; st.Node == nil || st.Err != nil {
				t.Errorf("%s: statement %d not parsed: %v", name, i, st.Err)
			}
		}
	}
}

func TestNestingBelowTheLimitParses(t *testing.T) {
	for _, stmt := range []string{
		"SELECT " + strings.Repeat("1 + ", MaxNesting-10) + "1",
		// Flattened by the grammar, so however long, never deep.
		"SELECT 1 WHERE " + strings.Repeat("a = 1 OR ", 20000) + "true",
		"SELECT 1 WHERE " + strings.Repeat("a = 1 AND ", 20000) + "true",
		"SELECT ARRAY[" + strings.Repeat("1, ", 20000) + "1]",
		"SELECT CASE " + strings.Repeat("WHEN a = 1 THEN 1 ", 5000) + "END",
		"INSERT INTO t VALUES " + strings.Repeat("(1 + 1, 'x' || 'y'), ", 20000) + "(1, 'z')",
	} {
		f := Parse("x.sql", stmt, Options{})
		if len(f.Statements) != 1 || f.Statements[0].Err != nil {
			t.Errorf("%.40s...: %v", stmt, f.Statements[0].Err)
		}
	}
}

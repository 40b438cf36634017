package migration

import (
	"strings"
	"testing"
)

// TestSyntaxErrorNamesLookalike: an invisible or look-alike character in the token a
// syntax error is at is named, and the error points at it.
func TestSyntaxErrorNamesLookalike(t *testing.T) {
	for _, tc := range []struct {
		text, want string
		col        int // code points from the line start
	}{
		{"SELECT\u00a01;\n", "U+00A0 NO-BREAK SPACE, which PostgreSQL reads as part of a name, not as a space", 6},
		{"CREATE INDEX i ON t (a);\nSELECT\u200b1;\n", "U+200B ZERO WIDTH SPACE", 6},
		{"CREATE\u2003INDEX i ON t (a);\n", "U+2003 EM SPACE", 6},
	} {
		f := Parse("0001_x.sql", tc.text, Options{})
		var err *SyntaxError
		for _, st := range f.Statements {
			if st.Err != nil {
				err = st.Err
			}
		}
		if err == nil {
			t.Errorf("%q: no syntax error", tc.text)
			continue
		}
		if !strings.Contains(err.Message, tc.want) {
			t.Errorf("%q: message %q does not name %q", tc.text, err.Message, tc.want)
		}
		if p := f.Source.Position(err.Offset, CodePoints); p.Column != tc.col {
			t.Errorf("%q: error at column %d, want %d (the character)", tc.text, p.Column, tc.col)
		}
	}
	// An ordinary syntax error is left as PostgreSQL words it.
	f := Parse("0001_x.sql", "CREATE INDX i ON t (a);\n", Options{})
	if e := f.Statements[0].Err; e == nil || strings.Contains(e.Message, "U+") {
		t.Errorf("plain syntax error: %+v", e)
	}
}

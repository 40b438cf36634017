package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/migsafe/migsafe/engine/migration"
)

// The underline sits under the range as a terminal shows the line: a byte order mark
// takes no column (the caret was one column right of ALTER), and a CJK character
// takes two (a comment before the statement pushed the caret left).
func TestSnippetUnderlinesWhatTheTerminalShows(t *testing.T) {
	for _, c := range []struct {
		line       string
		col, width int // 1-based code point column and length of the range
		want       string
	}{
		{"ALTER TABLE users", 1, 5, "      | ^^^^^"},
		{"\uFEFFALTER TABLE users", 2, 5, "      | ^^^^^"},
		{"/* 用户表 */ ALTER TABLE users", 11, 5, "      |              ^^^^^"},
		{"SELECT '用户' ;", 8, 4, "      |        ^^^^^^"},
		{"SELECT 'e\u0301', x;", 14, 1, "      | " + strings.Repeat(" ", 12) + "^"},
		{"\tSELECT 1;", 2, 6, "      | \t^^^^^^"},
	} {
		var b bytes.Buffer
		writeSnippet(&b, migration.NewSource(c.line+"\n"), 1, c.col, 1, c.col+c.width, palette{}, "FLAG")
		lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
		if len(lines) != 2 || lines[1] != c.want {
			t.Errorf("%q at %d: got\n%s\nwant the underline\n%s", c.line, c.col, b.String(), c.want)
		}
	}
}

package codeactions

import (
	"strings"
	"testing"

	"github.com/migsafe/migsafe/engine/migration"
)

// A replacement that ends in a line comment does not take in what follows the
// statement on its line: after a goose StatementEnd, a trailing comment made goose
// refuse the file, and a next statement on the line would have been commented out.
// A comment after a comment of migsafe's stays on its line.
func TestReplaceKeepsWhatFollowsOutOfAComment(t *testing.T) {
	block := "-- +goose StatementBegin\nDO $$ BEGIN PERFORM 1; END $$;\n-- +goose StatementEnd"
	for _, c := range []struct{ text, with, want string }{
		{"-- +goose Up\nUPDATE t SET a = 1; -- note\n", block, "-- +goose Up\n" + block + "\n-- note\n"},
		{"-- +goose Up\nUPDATE t SET a = 1; SELECT 2;\n", block, "-- +goose Up\n" + block + "\nSELECT 2;\n"},
		{"-- +goose Up\nUPDATE t SET a = 1;\n", block, "-- +goose Up\n" + block + "\n"},
		{"UPDATE t SET a = 1; -- note\n", "-- migsafe: moved.", "-- migsafe: moved. -- note\n"},
		{"UPDATE t SET a = 1; SELECT 2;\n", "-- migsafe: moved.", "-- migsafe: moved.\nSELECT 2;\n"},
	} {
		f := migration.Parse("db/20240101000000_a.sql", c.text, migration.Options{})
		var st *migration.Statement
		for _, s := range f.Statements {
			if strings.HasPrefix(s.Text, "UPDATE") {
				st = s
				break
			}
		}
		got, err := ApplyEdits(c.text, []Edit{replaceStatement(c.text, st, c.with)})
		if err != nil || got != c.want {
			t.Errorf("%q: got %q (%v), want %q", c.text, got, err, c.want)
		}
	}
}

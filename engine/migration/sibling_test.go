package migration_test

import (
	"errors"
	"reflect"
	"testing"

	"github.com/migsafe/migsafe/engine/migration"
)

// TestParsedSiblingIsReadSibling: a down file's statements taken from its own parse
// (Options.Parsed, as `check` does when given both files) are those the up's parse
// reads from the file: the same text and trees, and none of what the down's own
// parse adds (its section, transactions, DO bodies).
func TestParsedSiblingIsReadSibling(t *testing.T) {
	const up, down = "m/001_t.up.sql", "m/001_t.down.sql"
	files := map[string]string{
		up:   "CREATE TABLE t (id int);\nCREATE INDEX t_id ON t (id);\n",
		down: "DROP INDEX t_id;\nDO $$ BEGIN DROP TABLE t; END $$;\nBEGIN;\nSELECT 1;\nCOMMIT;\n",
	}
	read := func(p string) ([]byte, error) {
		if s, ok := files[p]; ok {
			return []byte(s), nil
		}
		return nil, errors.New("no such file")
	}
	parsedDown := migration.Parse(down, files[down], migration.Options{ReadFile: read})
	if parsedDown.Statements[1].Body == nil || parsedDown.Statements[0].Section != migration.Down {
		t.Fatal("the down's own parse has no DO body or no down section: the test shows nothing")
	}
	fromFile := migration.Parse(up, files[up], migration.Options{ReadFile: read})
	shared := migration.Parse(up, files[up], migration.Options{ReadFile: read, Parsed: func(p string) *migration.File {
		if p == down {
			return parsedDown
		}
		return nil
	}})
	a, b := fromFile.Down, shared.Down
	if !a.Found || len(a.Statements) != 5 {
		t.Fatalf("the down read from its file: found %v, %d statements", a.Found, len(a.Statements))
	}
	if a.Where != b.Where || a.Path != b.Path || a.Found != b.Found || a.Checked != b.Checked || a.Text != b.Text || len(a.Statements) != len(b.Statements) {
		t.Fatalf("down from its parse %+v, read from the file %+v", b, a)
	}
	for i := range a.Statements {
		if !reflect.DeepEqual(a.Statements[i], b.Statements[i]) {
			t.Errorf("statement %d: from the down's parse %+v, read from the file %+v", i, *b.Statements[i], *a.Statements[i])
		}
		if b.Statements[i] == parsedDown.Statements[i] {
			t.Errorf("statement %d is the down parse's own: its section and body would change with it", i)
		}
	}
}

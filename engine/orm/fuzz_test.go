package orm

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/migsafe/migsafe/engine/migration"
)

// FuzzParse feeds mangled migrations to every front end: whatever the input, Parse
// returns a file whose statements and notes lie inside the text, and never panics
// (the recover in Parse would turn a panic into a note, which this test rejects).
func FuzzParse(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "orm", "*", "*", "*"))
	more, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "orm", "*", "*", "*", "*"))
	for _, p := range append(seeds, more...) {
		if data, err := os.ReadFile(p); err == nil && Language(p) != "" {
			f.Add(filepath.Ext(p), string(data))
		}
	}
	f.Add(".rb", "class X < ActiveRecord::Migration[7.0]\n  def change\n    execute <<~SQL\n")
	f.Add(".py", "class Migration(migrations.Migration):\n    operations = [migrations.RunSQL(")
	f.Fuzz(func(t *testing.T, ext, text string) {
		for _, o := range migration.ORMs {
			path := "app/migrations/0001_x" + ext
			if o == migration.Rails {
				path = "db/migrate/1_x" + ext
			}
			file := Parse(path, text, o, Options{})
			for _, n := range file.NotAnalysed {
				if n.Start < 0 || n.End > len(text) || n.Start > n.End {
					t.Fatalf("%s: note outside the text: %+v", o, n)
				}
				if strings.Contains(n.Message, "front end failed") {
					t.Fatalf("%s front end panicked: %s", o, n.Message)
				}
			}
			for _, s := range file.Statements {
				if s.Start < 0 || s.End > len(text) || s.Start > s.End {
					t.Fatalf("%s: statement outside the text: %d-%d of %d", o, s.Start, s.End, len(text))
				}
			}
		}
	})
}

// A raw SQL string nested deeper than pg_query can serialise is reported, not parsed.
func TestDeepRawSQL(t *testing.T) {
	sql := "UPDATE t SET a = " + strings.Repeat("1 + ", 6000) + "1"
	text := "class X < ActiveRecord::Migration[6.1]\n  def up\n    execute \"" + sql + "\"\n  end\nend\n"
	f := Parse("db/migrate/1_x.rb", text, migration.Rails, Options{})
	if len(f.Statements) != 1 || f.Statements[0].Err == nil || !f.Statements[0].Err.TooComplex {
		t.Fatalf("statements: %+v", f.Statements)
	}
}

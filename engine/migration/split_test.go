package migration_test

import (
	"testing"

	"github.com/migsafe/migsafe/engine/migration"
)

// A goose StatementBegin/End block may end without ';' (goose sends the block as one
// statement); the directive ends it, so the Down section's statement stays separate.
func TestDirectiveEndsStatement(t *testing.T) {
	text := "-- +goose Up\n-- +goose StatementBegin\nALTER TABLE t ADD COLUMN c int\n-- +goose StatementEnd\n\n-- +goose Down\n-- +goose StatementBegin\nALTER TABLE t DROP COLUMN c;\n-- +goose StatementEnd\n"
	f := migration.Parse("20240101000000_x.sql", text, migration.Options{})
	if len(f.Statements) != 2 {
		t.Fatalf("%d statements, want 2", len(f.Statements))
	}
	for i, st := range f.Statements {
		if st.Err != nil {
			t.Errorf("statement %d %q: %v", i, st.Text, st.Err)
		}
	}
	if f.Statements[0].Text != "ALTER TABLE t ADD COLUMN c int" || f.Statements[0].Section != migration.Up || f.Statements[1].Section != migration.Down {
		t.Errorf("statements %q (%v), %q (%v)", f.Statements[0].Text, f.Statements[0].Section, f.Statements[1].Text, f.Statements[1].Section)
	}
}

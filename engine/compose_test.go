package engine

import (
	"testing"

	"github.com/migsafe/migsafe/engine/migration"
)

// A finding left unfixed is placed in the migration as the user has it: the fix of the
// ADD COLUMN before it inserts a line at the top, and the CREATE INDEX (whose fix needs
// --split) was reported on line 3 of a two-line file.
func TestSkippedFindingsAreOnTheLinesOfTheFileAsGiven(t *testing.T) {
	text := "ALTER TABLE users ADD COLUMN phone text NOT NULL;\nCREATE INDEX users_email_idx ON users (email);\n"
	fixed, err := FixFile("db/000002_phone.up.sql", text, nil, FixOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if fixed.Plan.Empty() {
		t.Fatal("the ADD COLUMN's fix was not applied: the case tests nothing")
	}
	found := false
	for _, s := range fixed.Skipped {
		if s.Finding.Rule.ID != "require-concurrent-index-creation" {
			continue
		}
		found = true
		if s.Source != fixed.Before.File.Source {
			t.Errorf("the skipped finding is placed in the trial text, not the file as given")
		}
		if line := s.Source.Position(s.Finding.Start, migration.CodePoints).Line + 1; line != 2 {
			t.Errorf("skipped CREATE INDEX on line %d, want 2", line)
		}
	}
	if !found {
		t.Fatalf("CREATE INDEX was not skipped without --split: %+v", fixed.Skipped)
	}
}

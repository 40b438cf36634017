package codeactions

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/migsafe/migsafe/engine/config"
	"github.com/migsafe/migsafe/engine/migration"
)

// A fix that inserts after a statement's line, at the offset of its \n, goes before
// the \r of a CRLF line end, with \r\n in what it inserts: the backfill fix of
// adding-required-column left "ADD COLUMN phone text;\r\r\n" in a CRLF migration.
func TestFixInCRLFMigrationKeepsLineEnds(t *testing.T) {
	text := "ALTER TABLE users ADD COLUMN phone text NOT NULL;\r\nSELECT 1;\r\n"
	nl := len("ALTER TABLE users ADD COLUMN phone text NOT NULL;\r")
	f := migration.Parse(filepath.Join(t.TempDir(), "0001_x.sql"), text, migration.Options{})
	p, err := NewPlanner(f, config.Default(), nil, func() time.Time { return time.Unix(0, 0) })
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Apply(Fix{Edits: []Edit{{Start: nl, End: nl, NewText: "\n-- migsafe:todo fill it in\nUPDATE users SET phone = '';"}}}, 0); err != nil {
		t.Fatal(err)
	}
	plan, err := p.Plan()
	if err != nil || len(plan.Changes) != 1 {
		t.Fatalf("plan %+v, %v", plan, err)
	}
	want := "ALTER TABLE users ADD COLUMN phone text NOT NULL;\r\n-- migsafe:todo fill it in\r\nUPDATE users SET phone = '';\r\nSELECT 1;\r\n"
	if got := plan.Changes[0].New; got != want {
		t.Errorf("after the fix:\n%q\nwant\n%q", got, want)
	}
	// The language server's own edits fit the same way.
	if got := FitEdits(text, []Edit{{Start: nl, End: nl, NewText: "\n-- x"}}); got[0].Start != nl-1 || got[0].NewText != "\r\n-- x" {
		t.Errorf("FitEdits = %+v", got)
	}
}

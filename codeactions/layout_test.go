package codeactions

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/migsafe/migsafe/engine/config"
	"github.com/migsafe/migsafe/engine/migration"
)

// Phases are named after the newest migration of the directory, in order, each the way
// its runner finds it.
func TestLayoutNames(t *testing.T) {
	phase := []Phase{{Name: "one", Up: "SELECT 1;\n"}, {Name: "two", Up: "CREATE INDEX CONCURRENTLY i ON t (a);\n", NoTx: true}}
	for _, c := range []struct {
		runner   migration.Runner
		existing []string
		file     string
		want     []string
	}{
		{migration.GolangMigrate, []string{"000009_later.up.sql"}, "000007_x.up.sql",
			[]string{"000010_x_one.up.sql", "000010_x_one.down.sql", "000011_x_two.up.sql", "000011_x_two.down.sql"}},
		{migration.Goose, nil, "20240101120000_x.sql", []string{"20240101120001_x_one.sql", "20240101120002_x_two.sql"}},
		{migration.Flyway, []string{"V12__later.sql"}, "V11__x.sql", []string{"V13__x_one.sql", "V14__x_two.sql", "V14__x_two.sql.conf"}},
		{migration.Diesel, nil, "2024-01-01-000000_x/up.sql",
			[]string{"2024-01-01-000001_x_one/up.sql", "2024-01-01-000001_x_one/down.sql", "2024-01-01-000002_x_two/up.sql", "2024-01-01-000002_x_two/down.sql", "2024-01-01-000002_x_two/metadata.toml"}},
		{migration.Prisma, nil, "20240101000000_x/migration.sql",
			[]string{"20240101000001_x_one/migration.sql", "20240101000001_x_one/down.sql", "20240101000002_x_two/migration.sql", "20240101000002_x_two/down.sql"}},
	} {
		t.Run(string(c.runner), func(t *testing.T) {
			dir := t.TempDir()
			for _, n := range append(c.existing, c.file) {
				os.MkdirAll(filepath.Dir(filepath.Join(dir, n)), 0o755)
				os.WriteFile(filepath.Join(dir, n), []byte("SELECT 1;\n"), 0o644)
			}
			f := migration.Parse(filepath.Join(dir, c.file), "SELECT 1;\n", migration.Options{Runner: c.runner})
			p, err := NewPlanner(f, config.Default(), nil, func() time.Time { return time.Unix(0, 0) })
			if err != nil {
				t.Fatal(err)
			}
			if err := p.Apply(Fix{Phases: phase}, 0); err != nil {
				t.Fatal(err)
			}
			files, err := p.Created()
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, nf := range files {
				rel, _ := filepath.Rel(dir, nf.Path)
				got = append(got, rel)
			}
			if strings.Join(got, " ") != strings.Join(c.want, " ") {
				t.Errorf("files %v, want %v", got, c.want)
			}
		})
	}
}

// A failure while moving files into place puts back what was moved: the migration
// keeps its text and no new file stays.
func TestWriteUndoesAFailedCommit(t *testing.T) {
	dir := t.TempDir()
	mig := filepath.Join(dir, "m.sql")
	os.WriteFile(mig, []byte("old\n"), 0o644)
	blocker := filepath.Join(dir, "sub")
	plan := &Plan{Changes: []Change{
		{Path: filepath.Join(dir, "new.sql"), Create: true, New: "new\n"},
		{Path: mig, Old: "old\n", New: "fixed\n"},
	}, Removes: []string{blocker}}
	// The removal fails after the moves: what it removes is a directory with content.
	os.MkdirAll(filepath.Join(blocker, "x"), 0o755)
	os.WriteFile(filepath.Join(blocker, "keep"), nil, 0o644)
	err := plan.Write()
	if err == nil {
		t.Fatal("the plan was written")
	}
	if data, _ := os.ReadFile(mig); string(data) != "old\n" {
		t.Errorf("the migration is %q after the failure", data)
	}
	if _, err := os.Stat(filepath.Join(dir, "new.sql")); err == nil {
		t.Error("the new file stayed")
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), ".migsafe-") {
			t.Errorf("temporary file %s left", e.Name())
		}
	}
}

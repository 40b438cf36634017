package project

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/migsafe/migsafe/engine/migration"
)

func TestNextNamesFromTheSet(t *testing.T) {
	dir := t.TempDir()
	write := func(name string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("SELECT 1;\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	next := func(path string) []NewFile {
		s, err := Discover(OS, filepath.Join(dir, path), migration.GolangMigrate)
		if err != nil {
			t.Fatal(err)
		}
		l, err := s.Next(filepath.Join(dir, path), []Step{{Suffix: "concurrently", Up: "CREATE INDEX CONCURRENTLY i ON t (a);\n", NoTx: true}}, NextOptions{})
		if err != nil {
			t.Fatal(err)
		}
		return l.Files
	}
	write("0001_a.up.sql")
	if got := next("0001_a.up.sql"); len(got) != 2 || filepath.Base(got[0].Path) != "0002_a_concurrently.up.sql" || filepath.Base(got[1].Path) != "0002_a_concurrently.down.sql" {
		t.Fatalf("after 0001: %+v", got)
	}
	// Nothing is cached: a file added since is seen by the next listing.
	write("0005_b.up.sql")
	if got := next("0001_a.up.sql"); filepath.Base(got[0].Path) != "0006_a_concurrently.up.sql" {
		t.Errorf("after adding 0005: %s, want 0006_a_concurrently.up.sql", got[0].Path)
	}
	// The file's own number counts even when it is not on disk (an unsaved buffer).
	if got := next("0009_c.up.sql"); filepath.Base(got[0].Path) != "0010_c_concurrently.up.sql" {
		t.Errorf("own number 0009: %s, want 0010_c_concurrently.up.sql", got[0].Path)
	}
}

func TestNextLayouts(t *testing.T) {
	steps := []Step{{Suffix: "backfill", Up: "UPDATE t SET a = 1;\n", NoTx: true}}
	for _, c := range []struct {
		runner migration.Runner
		path   string
		want   map[string]string // base name -> text fragment
	}{
		{migration.Goose, "m/00003_add.sql", map[string]string{"00004_add_backfill.sql": "-- +goose NO TRANSACTION\n-- +goose Up\n"}},
		{migration.Dbmate, "m/20240101000000_add.sql", map[string]string{"20240101000001_add_backfill.sql": "-- migrate:up transaction:false\n"}},
		{migration.Diesel, "m/2024-01-01-000000_add/up.sql", map[string]string{"up.sql": "UPDATE t", "down.sql": "-- Nothing to undo.", "metadata.toml": "run_in_transaction = false"}},
		{migration.Prisma, "prisma/migrations/20240101000000_add/migration.sql", map[string]string{"migration.sql": "UPDATE t"}},
		{migration.Flyway, "db/V7__add.sql", map[string]string{"V8__add_backfill.sql": "UPDATE t"}},
		{migration.Plain, "sql/add.sql", map[string]string{"add_backfill.sql": "UPDATE t"}},
	} {
		s := &Set{Runner: c.runner, Dir: filepath.Dir(c.path), Migrations: []Migration{{Up: c.path}}}
		got := map[string]string{}
		l, err := s.Next(c.path, steps, NextOptions{})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range l.Files {
			got[filepath.Base(f.Path)] = f.Text
		}
		for name, frag := range c.want {
			if !strings.Contains(got[name], frag) {
				t.Errorf("%s: %s = %q, want it to contain %q (got %v)", c.runner, name, got[name], frag, got)
			}
		}
	}
}

// The next version keeps the project's format: width of a number, a timestamp one
// second later (carrying into the next day), Diesel's dashed timestamp, Flyway's major.
func TestVersionAfter(t *testing.T) {
	for _, c := range []struct {
		stem   string
		flyway bool
		want   string
	}{
		{"000009_x", false, "000010"},
		{"0042-x", false, "0043"},
		{"20240101235959_x", false, "20240102000000"},
		{"2024-12-31-235959_x", false, "2025-01-01-000000"},
		{"V7_1__x", true, "8"},
	} {
		v, _ := parseVersion(c.stem, c.flyway)
		if got := v.after(1).text; got != c.want {
			t.Errorf("%s: next %q, want %q", c.stem, got, c.want)
		}
	}
}

// A block's StatementEnd is a line of its own: what followed the statement on its line
// (a comment, a statement) moves to the next, since goose refuses the file when the
// annotation line holds more ("StatementEnd -- note" is no annotation).
func TestGooseBlocksEndOnALineOfTheirOwn(t *testing.T) {
	got := gooseBlocks("DO $$ BEGIN PERFORM 1; END $$;  -- note\nDO $$ BEGIN PERFORM 2; END $$; SELECT 3;\nDO $$ BEGIN PERFORM 4; END $$;\n")
	want := "-- +goose StatementBegin\nDO $$ BEGIN PERFORM 1; END $$;\n-- +goose StatementEnd\n-- note\n" +
		"-- +goose StatementBegin\nDO $$ BEGIN PERFORM 2; END $$;\n-- +goose StatementEnd\nSELECT 3;\n" +
		"-- +goose StatementBegin\nDO $$ BEGIN PERFORM 4; END $$;\n-- +goose StatementEnd\n"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if f := migration.Parse("db/20240101000000_a.sql", "-- +goose Up\n"+got, migration.Options{}); len(f.Errors) > 0 {
		t.Errorf("goose would refuse it: %s", f.Errors[0].Message)
	}
}

package project

import (
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/migsafe/migsafe/engine/migration"
)

// writeTree creates files (path -> text) under a temporary directory and returns it.
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for p, text := range files {
		full := filepath.Join(root, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func TestDiscoverOrdersEachRunner(t *testing.T) {
	for _, c := range []struct {
		name   string
		runner migration.Runner
		files  []string
		from   string
		want   []string // "up" or "up|down", relative to the temp root
	}{
		{"golang-migrate numbers", migration.GolangMigrate,
			[]string{"m/10_c.up.sql", "m/10_c.down.sql", "m/2_b.up.sql", "m/1_a.up.sql", "m/1_a.down.sql", "m/notes.txt"},
			"m/2_b.up.sql", []string{"m/1_a.up.sql|m/1_a.down.sql", "m/2_b.up.sql", "m/10_c.up.sql|m/10_c.down.sql"}},
		{"goose timestamps and Go migrations", migration.Goose,
			[]string{"g/20240102000000_b.sql", "g/00001_a.sql", "g/20240101000000_go.go", "g/helpers_test.go"},
			"g/00001_a.sql", []string{"g/00001_a.sql", "g/20240101000000_go.go", "g/20240102000000_b.sql"}},
		{"dbmate", migration.Dbmate,
			[]string{"db/migrations/20240102_b.sql", "db/migrations/20240101_a.sql"},
			"db/migrations/20240101_a.sql", []string{"db/migrations/20240101_a.sql", "db/migrations/20240102_b.sql"}},
		{"flyway versions, undo, repeatable, release folders", migration.Flyway,
			[]string{"f/2.31/V2_31_10__j.sql", "f/2.31/V2_31_9__i.sql", "f/2.32/V2_32_1__k.sql", "f/2.31/U2_31_9__i.sql", "f/2.32/R__views.sql", "f/2.31/R__a_funcs.sql"},
			"f/2.32/V2_32_1__k.sql", []string{"f/2.31/V2_31_9__i.sql|f/2.31/U2_31_9__i.sql", "f/2.31/V2_31_10__j.sql", "f/2.32/V2_32_1__k.sql", "f/2.31/R__a_funcs.sql", "f/2.32/R__views.sql"}},
		{"sqitch plan order", migration.Sqitch,
			[]string{"s/sqitch.plan", "s/deploy/users.sql", "s/deploy/appschema.sql", "s/revert/users.sql", "s/verify/users.sql"},
			"s/deploy/users.sql", []string{"s/deploy/appschema.sql", "s/deploy/users.sql|s/revert/users.sql"}},
		{"diesel directories", migration.Diesel,
			[]string{"d/2024-01-02-000000_b/up.sql", "d/2024-01-01-000000_a/up.sql", "d/2024-01-01-000000_a/down.sql"},
			"d/2024-01-02-000000_b/up.sql", []string{"d/2024-01-01-000000_a/up.sql|d/2024-01-01-000000_a/down.sql", "d/2024-01-02-000000_b/up.sql|d/2024-01-02-000000_b/down.sql"}},
		{"prisma directories", migration.Prisma,
			[]string{"p/migrations/20240102_b/migration.sql", "p/migrations/20240101_a/migration.sql", "p/migrations/migration_lock.toml"},
			"p/migrations/20240101_a/migration.sql", []string{"p/migrations/20240101_a/migration.sql", "p/migrations/20240102_b/migration.sql"}},
		{"plain lexical with pairs", migration.Plain,
			[]string{"x/0002.up.sql", "x/0002.down.sql", "x/0001_init_up.sql", "x/0001_init_down.sql", "x/0003_cleanup.sql", "x/0009_orphan.down.sql"},
			"x/0003_cleanup.sql", []string{"x/0001_init_up.sql|x/0001_init_down.sql", "x/0002.up.sql|x/0002.down.sql", "x/0003_cleanup.sql"}},
	} {
		files := map[string]string{}
		for _, f := range c.files {
			files[f] = "SELECT 1;\n"
		}
		if c.runner == migration.Sqitch {
			files["s/sqitch.plan"] = "%syntax-version=1.0.0\n%project=x\n\nappschema 2024-01-01T00:00:00Z A <a@b> # schema\nusers [appschema] 2024-01-02T00:00:00Z A <a@b> # users\n@v1 2024-01-03T00:00:00Z A <a@b>\n"
		}
		root := writeTree(t, files)
		s, err := Discover(OS, filepath.Join(root, c.from), c.runner)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		var got []string
		for _, m := range s.Migrations {
			e := strings.TrimPrefix(m.Up, root+"/")
			if m.Down != "" {
				e += "|" + strings.TrimPrefix(m.Down, root+"/")
			}
			got = append(got, e)
		}
		if strings.Join(got, " ") != strings.Join(c.want, " ") {
			t.Errorf("%s:\n got  %v\n want %v", c.name, got, c.want)
		}
		if s.Index(filepath.Join(root, c.from)) < 0 {
			t.Errorf("%s: the file is not in its own set", c.name)
		}
	}
}

// An unsaved buffer (here: a file the overlay has and the disk does not) takes its
// place in the set by its name.
func TestDiscoverPlacesUnsavedFiles(t *testing.T) {
	root := writeTree(t, map[string]string{"m/1_a.up.sql": "", "m/3_c.up.sql": ""})
	unsaved := filepath.Join(root, "m/2_b.up.sql")
	fsys := NewOverlay(OS, map[string]string{unsaved: "CREATE TABLE b (id int);"})
	s, err := Discover(fsys, unsaved, migration.GolangMigrate)
	if err != nil {
		t.Fatal(err)
	}
	if s.Index(unsaved) != 1 || len(s.Migrations) != 3 {
		t.Errorf("unsaved 2_b at %d of %d, want 1 of 3", s.Index(unsaved), len(s.Migrations))
	}
}

// compareVersions orders versions as it did reading every part as a big.Int.
func TestCompareVersionsAsNumbers(t *testing.T) {
	asBigInts := func(a, b string) int {
		pa, pb := strings.Split(a, "."), strings.Split(b, ".")
		for i := 0; i < len(pa) || i < len(pb); i++ {
			var x, y big.Int
			if i < len(pa) {
				x.SetString(pa[i], 10)
			}
			if i < len(pb) {
				y.SetString(pb[i], 10)
			}
			if c := x.Cmp(&y); c != 0 {
				return c
			}
		}
		return 0
	}
	vs := []string{"1", "1.0", "1.0.1", "01", "007", "7", "10", "9", "2.31.9", "2.31.10", "2.31.010", "2.4",
		"20240101120000", "42", "123456789012345678901234", "123456789012345678901235", "0", "00", "1.2.3.4",
		"18446744073709551616", "18446744073709551615", "+5", "5"}
	for _, a := range vs {
		for _, b := range vs {
			if got, want := compareVersions(a, b), asBigInts(a, b); got != want {
				t.Errorf("compareVersions(%q, %q) = %d, as big.Ints %d", a, b, got, want)
			}
		}
	}
}

package config

import (
	"os"
	"path/filepath"
	"testing"
)

// migration_globs are read relative to the config file's directory: a file's glob
// "db/migrations/*.sql" selects svc/db/migrations/1_a.sql for svc/migsafe.toml, from
// whichever directory migsafe runs in.
func TestSelects(t *testing.T) {
	dir := t.TempDir()
	c := Default()
	c.Path = filepath.Join(dir, "svc", "migsafe.toml")
	c.MigrationGlobs = []string{"db/migrations/*.sql", "*.up.sql", "legacy/**/schema/*.sql"}
	for p, want := range map[string]bool{
		"svc/db/migrations/1_a.sql":     true,
		"svc/seeds/reset.sql":           false,
		"svc/seeds/2_b.up.sql":          true, // a glob without "/" matches the name anywhere
		"svc/legacy/a/b/schema/x.sql":   true,
		"svc/legacy/schema/x.sql":       true,
		"svc/db/migrations/old/1_a.sql": false,
		"other/db/migrations/1_a.sql":   false, // outside the config's directory
	} {
		if got := c.Selects(filepath.Join(dir, p)); got != want {
			t.Errorf("%s: selected %v, want %v", p, got, want)
		}
	}
	// A relative path is read from the working directory.
	wd, _ := os.Getwd()
	defer os.Chdir(wd)
	if err := os.Chdir(dir); err != nil {
		t.Fatal(err)
	}
	if !c.Selects("svc/db/migrations/1_a.sql") || c.Selects("svc/seeds/reset.sql") {
		t.Error("relative paths are not read from the working directory")
	}
	if !Default().Selects("anything.sql") {
		t.Error("without migration_globs every file is selected")
	}
}

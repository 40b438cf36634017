package engine_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/migsafe/migsafe/engine"
	"github.com/migsafe/migsafe/engine/config"
	"github.com/migsafe/migsafe/engine/migration"
	"github.com/migsafe/migsafe/engine/rules"
)

// TestDuplicateVersionRefused: two migrations of one version make golang-migrate
// ("duplicate migration file"), goose ("duplicate version 1 detected") and Flyway
// refuse the set, and dbmate fail on the second: the later file (in the runner's
// order) is a BLOCK naming the other, whether it is checked with the set or alone.
// golang-migrate, goose and Flyway read 1 and 001 as one version; dbmate does not.
func TestDuplicateVersionRefused(t *testing.T) {
	cases := []struct {
		runner      migration.Runner
		files       []string
		later, with string // "" when the set is accepted
	}{
		{migration.GolangMigrate, []string{"1_a.up.sql", "1_b.up.sql", "2_c.up.sql"}, "1_b.up.sql", "1_a.up.sql"},
		{migration.GolangMigrate, []string{"1_a.up.sql", "001_b.up.sql"}, "1_a.up.sql", "001_b.up.sql"},
		{migration.GolangMigrate, []string{"1_a.up.sql", "1_a.down.sql", "2_b.up.sql"}, "", ""},
		{migration.Goose, []string{"1_a.sql", "001_b.sql"}, "1_a.sql", "001_b.sql"},
		{migration.Dbmate, []string{"1_a.sql", "1_b.sql"}, "1_b.sql", "1_a.sql"},
		{migration.Dbmate, []string{"1_a.sql", "001_b.sql"}, "", ""},
		{migration.Flyway, []string{"V1__a.sql", "V1.0__b.sql", "R__v.sql"}, "V1__a.sql", "V1.0__b.sql"},
	}
	for _, c := range cases {
		dir := t.TempDir()
		cfg := config.Default()
		cfg.Runner = c.runner
		var jobs []engine.Job
		for _, n := range c.files {
			text := "SELECT 1;\n"
			switch c.runner {
			case migration.Goose:
				text = "-- +goose Up\nSELECT 1;\n-- +goose Down\nSELECT 1;\n"
			case migration.Dbmate:
				text = "-- migrate:up\nSELECT 1;\n-- migrate:down\nSELECT 1;\n"
			}
			p := filepath.Join(dir, n)
			if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
			jobs = append(jobs, engine.Job{Path: p, Config: cfg, OnDisk: true})
		}
		for i, batch := range [][]engine.Job{jobs, nil} {
			for k, j := range jobs {
				var o engine.Outcome
				if i == 0 {
					o = engine.AnalyzeBatch(batch, engine.BatchOptions{Workers: 2})[k]
				} else {
					o = engine.AnalyzeBatch([]engine.Job{j}, engine.BatchOptions{Workers: 2})[0]
				}
				if o.Err != nil {
					t.Fatal(o.Err)
				}
				var refused []string
				for _, p := range o.Result.Problems {
					if strings.Contains(p.Message, "version") {
						refused = append(refused, p.Message)
						if p.Status() != rules.Block {
							t.Errorf("%s %s: %q is %s, want BLOCK", c.runner, filepath.Base(j.Path), p.Message, p.Status())
						}
						if !strings.Contains(p.Message, filepath.Join(dir, c.with)) {
							t.Errorf("%s %s: %q does not name %s", c.runner, filepath.Base(j.Path), p.Message, c.with)
						}
					}
				}
				if want := filepath.Base(j.Path) == c.later; want != (len(refused) == 1) {
					t.Errorf("%s %v: %s (batch %v) has problems %q, want a refusal: %v", c.runner, c.files, filepath.Base(j.Path), i == 0, refused, want)
				}
			}
		}
	}
}

package engine_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/migsafe/migsafe/engine"
	"github.com/migsafe/migsafe/engine/config"
)

// A migration the base holds that the work tree no longer has was not reported by
// check (only the GitHub Action's comment named it), though deleting it undoes nothing
// where it ran. It is now a FLAG problem naming the deleted path, once, on the first
// file of the set check reads; a deleted down file alone, and a migration renamed
// (reported as edited-deployed-migration), are not deletions.
func TestDeletedDeployedMigration(t *testing.T) {
	dir := t.TempDir()
	mig := filepath.Join(dir, "db")
	if err := os.MkdirAll(mig, 0o755); err != nil {
		t.Fatal(err)
	}
	deployed := map[string]string{
		"1_users.up.sql":    "CREATE TABLE users (id bigint PRIMARY KEY);\n",
		"2_orders.up.sql":   "CREATE TABLE orders (id bigint PRIMARY KEY);\n",
		"2_orders.down.sql": "DROP TABLE orders;\n",
		"3_items.up.sql":    "CREATE TABLE items (id bigint PRIMARY KEY);\n",
		"3_items.down.sql":  "DROP TABLE items;\n",
		"4_tags.up.sql":     "CREATE TABLE tags (id bigint PRIMARY KEY);\n",
	}
	var names []string
	for name, text := range deployed {
		if err := os.WriteFile(filepath.Join(mig, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		names = append(names, filepath.Join("db", name))
	}
	gitRepo(t, dir, names, nil)
	// 2_orders deleted, 3_items' down deleted, 4_tags renamed to version 5.
	for _, name := range []string{"2_orders.up.sql", "2_orders.down.sql", "3_items.down.sql"} {
		if err := os.Remove(filepath.Join(mig, name)); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Rename(filepath.Join(mig, "4_tags.up.sql"), filepath.Join(mig, "5_tags.up.sql")); err != nil {
		t.Fatal(err)
	}
	var jobs []engine.Job
	for _, name := range []string{"3_items.up.sql", "1_users.up.sql", "5_tags.up.sql"} {
		jobs = append(jobs, engine.Job{Path: filepath.Join(mig, name), Config: config.Default(), OnDisk: true})
	}
	for _, base := range []string{"main", ""} { // --base, then the default merge-base
		for i, o := range engine.AnalyzeBatch(jobs, engine.BatchOptions{Base: base}) {
			if o.Err != nil {
				t.Fatalf("%s: %v", jobs[i].Path, o.Err)
			}
			var got []string
			for _, p := range o.Result.Problems {
				if p.Kind == engine.DeletedDeployed {
					got = append(got, p.Message)
					if p.Status().String() != "FLAG" {
						t.Errorf("%q is %s, want FLAG", p.Message, p.Status())
					}
				}
			}
			want := 0
			if i == 0 {
				want = 1 // the first job of the set carries it
			}
			if len(got) != want || want == 1 && !strings.Contains(got[0], filepath.Join(mig, "2_orders.up.sql")+" is in ") {
				t.Errorf("base %q, %s: deleted-deployed problems %q, want %d naming 2_orders.up.sql", base, filepath.Base(jobs[i].Path), got, want)
			}
		}
	}
	// Without a base revision to compare with (outside git), nothing is deleted.
	if err := os.RemoveAll(filepath.Join(dir, ".git")); err != nil {
		t.Fatal(err)
	}
	for _, o := range engine.AnalyzeBatch(jobs, engine.BatchOptions{}) {
		for _, p := range o.Result.Problems {
			if p.Kind == engine.DeletedDeployed {
				t.Errorf("outside git: %q", p.Message)
			}
		}
	}
}

// deleted-deployed-migration covered only the runners that list a directory of .sql
// files: a Rails, Django, Alembic, Knex, TypeORM or Sequelize migration deleted, a
// sqitch change taken out of the plan, or a file of a numbered plain directory went
// unreported. Each is reported now; a helper module beside an ORM's migrations, and a
// file of a plain directory whose names are not numbered (seed.sql), are no migration
// the runner has run.
func TestDeletedDeployedEveryRunner(t *testing.T) {
	orm := func(name string) map[string]string { return treeOf(t, filepath.Join("..", "testdata", "orm", name)) }
	sqitch := map[string]string{
		"sqitch.plan":       "%project=shop\n\nusers 2024-01-01T00:00:00Z A <a@example.com> # users\norders 2024-01-02T00:00:00Z A <a@example.com> # orders\n",
		"deploy/users.sql":  "CREATE TABLE users (id bigint PRIMARY KEY);\n",
		"revert/users.sql":  "DROP TABLE users;\n",
		"deploy/orders.sql": "CREATE TABLE orders (id bigint PRIMARY KEY);\n",
		"revert/orders.sql": "DROP TABLE orders;\n",
	}
	typeorm := orm("typeorm")
	typeorm["migrations/index.ts"] = "export * from './1700000000001-AddColumns';\n"
	for _, c := range []struct {
		runner string
		base   map[string]string
		edit   map[string]string // after the base: "" deletes
		check  string
		want   string // the deleted path reported, "" for none
	}{
		{"sqitch", sqitch, map[string]string{"deploy/orders.sql": "", "revert/orders.sql": "", "sqitch.plan": "%project=shop\n\nusers 2024-01-01T00:00:00Z A <a@example.com> # users\n"}, "deploy/users.sql", "deploy/orders.sql"},
		{"sqitch, plan unchanged", sqitch, map[string]string{"revert/orders.sql": ""}, "deploy/users.sql", ""},
		{"rails", orm("rails"), map[string]string{"db/migrate/20240101000021_irreversible_down.rb": ""}, "db/migrate/20240101000004_remove_index.rb", "db/migrate/20240101000021_irreversible_down.rb"},
		{"django", orm("django"), map[string]string{"shop/migrations/0012_tag_bigint.py": ""}, "shop/migrations/0011_tag.py", "shop/migrations/0012_tag_bigint.py"},
		{"alembic", orm("alembic"), map[string]string{"versions/0007_data.py": ""}, "versions/0006_rename_and_drop.py", "versions/0007_data.py"},
		{"knex", orm("knex"), map[string]string{"migrations/20240101000006_drop_and_data.js": ""}, "migrations/20240101000005_tables.js", "migrations/20240101000006_drop_and_data.js"},
		{"typeorm", typeorm, map[string]string{"migrations/1700000000005-Data.ts": ""}, "migrations/1700000000004-Constraints.ts", "migrations/1700000000005-Data.ts"},
		{"typeorm helper", typeorm, map[string]string{"migrations/index.ts": ""}, "migrations/1700000000004-Constraints.ts", ""},
		{"sequelize", orm("sequelize"), map[string]string{"migrations/20240101000003-raw.js": ""}, "migrations/20240101000002-change-columns.js", "migrations/20240101000003-raw.js"},
		{"plain numbered", map[string]string{"sql/001_users.sql": "CREATE TABLE users (id bigint);\n", "sql/002_orders.sql": "CREATE TABLE orders (id bigint);\n"}, map[string]string{"sql/001_users.sql": ""}, "sql/002_orders.sql", "sql/001_users.sql"},
		{"plain scripts", map[string]string{"sql/setup.sql": "CREATE TABLE users (id bigint);\n", "sql/seed.sql": "INSERT INTO users VALUES (1);\n"}, map[string]string{"sql/seed.sql": ""}, "sql/setup.sql", ""},
	} {
		dir := t.TempDir()
		var names []string
		for name, text := range c.base {
			writeFile(t, filepath.Join(dir, name), text)
			names = append(names, name)
		}
		gitRepo(t, dir, names, nil)
		for name, text := range c.edit {
			if text == "" {
				if err := os.Remove(filepath.Join(dir, name)); err != nil {
					t.Fatal(err)
				}
			} else {
				writeFile(t, filepath.Join(dir, name), text)
			}
		}
		jobs := []engine.Job{{Path: filepath.Join(dir, c.check), Config: config.Default(), OnDisk: true}}
		o := engine.AnalyzeBatch(jobs, engine.BatchOptions{Base: "main"})[0]
		if o.Err != nil {
			t.Fatalf("%s: %v", c.runner, o.Err)
		}
		var got []string
		for _, p := range o.Result.Problems {
			if p.Kind == engine.DeletedDeployed {
				got = append(got, p.Message)
			}
		}
		switch {
		case c.want == "" && len(got) > 0:
			t.Errorf("%s: %q, though no migration is deleted", c.runner, got)
		case c.want != "" && (len(got) != 1 || !strings.Contains(got[0], filepath.Join(dir, c.want)+" is in main")):
			t.Errorf("%s (%s): deleted-deployed problems %q, want one naming %s", c.runner, o.Result.File.Runner, got, c.want)
		}
	}
}

// treeOf reads the files under dir, by their path relative to it.
func treeOf(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		files[rel] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// A deployed migration renamed matters where the runner records it by name: Django
// (app and name), Knex and Sequelize (the file name) run it again under a new name,
// and migsafe said nothing when the version prefix stayed (0012_tag_bigint.py to
// 0012_tags_bigint.py); Alembic (the revision in the file) and TypeORM (the class's
// name) record nothing of the file name, so a rename is no edit there, nor for Rails
// within its version.
func TestRenamedDeployedByRunner(t *testing.T) {
	orm := func(name string) map[string]string { return treeOf(t, filepath.Join("..", "testdata", "orm", name)) }
	for _, c := range []struct {
		runner   string
		base     map[string]string
		was, now string
		edited   bool
	}{
		{"django", orm("django"), "shop/migrations/0012_tag_bigint.py", "shop/migrations/0012_tags_bigint.py", true},
		{"knex", orm("knex"), "migrations/20240101000006_drop_and_data.js", "migrations/20240101000006_drop_data.js", true},
		{"sequelize", orm("sequelize"), "migrations/20240101000003-raw.js", "migrations/20240101000003-raw-sql.js", true},
		{"alembic", orm("alembic"), "versions/0007_data.py", "versions/0008_data.py", false},
		{"typeorm", orm("typeorm"), "migrations/1700000000005-Data.ts", "migrations/1700000000006-Data.ts", false},
		{"rails", orm("rails"), "db/migrate/20240101000021_irreversible_down.rb", "db/migrate/20240101000021_irreversible.rb", false},
		{"rails, new version", orm("rails"), "db/migrate/20240101000021_irreversible_down.rb", "db/migrate/20240101000099_irreversible_down.rb", true},
	} {
		dir := t.TempDir()
		var names []string
		for name, text := range c.base {
			writeFile(t, filepath.Join(dir, name), text)
			names = append(names, name)
		}
		gitRepo(t, dir, names, nil)
		if err := os.Rename(filepath.Join(dir, c.was), filepath.Join(dir, c.now)); err != nil {
			t.Fatal(err)
		}
		jobs := []engine.Job{{Path: filepath.Join(dir, c.now), Config: config.Default(), OnDisk: true}}
		o := engine.AnalyzeBatch(jobs, engine.BatchOptions{Base: "main"})[0]
		if o.Err != nil {
			t.Fatalf("%s: %v", c.runner, o.Err)
		}
		edited := false
		for _, p := range o.Result.Problems {
			if p.Kind == engine.EditedDeployed && strings.Contains(p.Message, "renames it") {
				edited = true
			}
			if p.Kind == engine.DeletedDeployed {
				t.Errorf("%s: a rename reported as a deletion: %s", c.runner, p.Message)
			}
		}
		if edited != c.edited {
			t.Errorf("%s (%s): %s renamed to %s reported: %v, want %v", c.runner, o.Result.File.Runner, c.was, c.now, edited, c.edited)
		}
	}
}

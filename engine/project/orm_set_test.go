package project

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/migsafe/migsafe/engine/migration"
)

func djangoMigration(deps string) string {
	return "from django.db import migrations\n\nclass Migration(migrations.Migration):\n    dependencies = [" + deps + "]\n    operations = []\n"
}

func alembicRevision(rev, down string) string {
	return "from alembic import op\n\nrevision = '" + rev + "'\ndown_revision = " + down + "\n\ndef upgrade():\n    pass\n"
}

// discoverTree writes files under a temporary directory and discovers the set of the
// file from; rel gives a set's path relative to that directory.
func discoverTree(t *testing.T, files map[string]string, from string, runner migration.Runner) (*Set, func(string) string) {
	t.Helper()
	root := writeTree(t, files)
	s, err := Discover(OS, filepath.Join(root, from), runner)
	if err != nil {
		t.Fatalf("%s: %v", from, err)
	}
	return s, func(p string) string { return strings.TrimPrefix(p, root+"/") }
}

// ORM migration sets are ordered the way each ORM applies them, not by file name, and
// hold only the files the ORM loads as migrations.
func TestDiscoverORMSets(t *testing.T) {
	for _, c := range []struct {
		name   string
		runner migration.Runner
		files  map[string]string
		from   string
		want   []string
	}{
		{"rails versions as numbers", migration.Rails, map[string]string{
			"db/migrate/20240101000001_a.rb": "class A < ActiveRecord::Migration[6.1]; end\n",
			"db/migrate/9_b.rb":              "class B < ActiveRecord::Migration[6.1]; end\n",
			"db/migrate/README.md":           "",
		}, "db/migrate/20240101000001_a.rb", []string{"db/migrate/9_b.rb", "db/migrate/20240101000001_a.rb"}},
		{"django dependencies across apps", migration.Django, map[string]string{
			"app/shop/migrations/0001_initial.py":  djangoMigration("('users', '0002_email')"),
			"app/shop/migrations/0002_price.py":    djangoMigration("('shop', '0001_initial')"),
			"app/shop/migrations/__init__.py":      "",
			"app/users/migrations/0001_initial.py": djangoMigration(""),
			"app/users/migrations/0002_email.py":   djangoMigration("('users', '0001_initial')"),
			"app/users/migrations/helpers.py":      "def f(): pass\n",
			"app/templates/index.html":             "",
		}, "app/shop/migrations/0002_price.py", []string{"app/users/migrations/0001_initial.py", "app/users/migrations/0002_email.py", "app/shop/migrations/0001_initial.py", "app/shop/migrations/0002_price.py"}},
		{"alembic down_revision chain", migration.Alembic, map[string]string{
			"alembic/versions/aaa_first.py":  alembicRevision("c3", "'b2'"),
			"alembic/versions/zzz_second.py": alembicRevision("a1", "None"),
			"alembic/versions/mmm_third.py":  alembicRevision("b2", "'a1'"),
		}, "alembic/versions/aaa_first.py", []string{"alembic/versions/zzz_second.py", "alembic/versions/mmm_third.py", "alembic/versions/aaa_first.py"}},
		{"typeorm timestamps, index.ts left out", migration.TypeORM, map[string]string{
			"src/migrations/1700000000002-B.ts": "import { MigrationInterface } from 'typeorm'\n",
			"src/migrations/1600000000001-A.ts": "import { MigrationInterface } from 'typeorm'\n",
			"src/migrations/index.ts":           "export * from './1600000000001-A'\n",
		}, "src/migrations/1700000000002-B.ts", []string{"src/migrations/1600000000001-A.ts", "src/migrations/1700000000002-B.ts"}},
		{"knex names", migration.Knex, map[string]string{
			"migrations/20240102_b.js": "exports.up = knex => knex.schema\n",
			"migrations/20240101_a.js": "exports.up = knex => knex.schema\n",
		}, "migrations/20240102_b.js", []string{"migrations/20240101_a.js", "migrations/20240102_b.js"}},
	} {
		s, rel := discoverTree(t, c.files, c.from, c.runner)
		var got []string
		for _, m := range s.Migrations {
			got = append(got, rel(m.Up))
		}
		if strings.Join(got, " ") != strings.Join(c.want, " ") {
			t.Errorf("%s:\n got  %v\n want %v", c.name, got, c.want)
		}
	}
}

// deployed_through names a migration as the ORM records it: a Rails version (compared
// as a number), an Alembic revision, a Django app.name (or app.NNNN).
func TestPendingByORMNames(t *testing.T) {
	for _, c := range []struct {
		name    string
		runner  migration.Runner
		files   map[string]string
		from    string
		through string
		pending []string
		err     string
	}{
		{"rails version", migration.Rails, map[string]string{
			"db/migrate/20240101000001_a.rb": "class A < ActiveRecord::Migration[6.1]; end\n",
			"db/migrate/20240101000002_c.rb": "class C < ActiveRecord::Migration[6.1]; end\n",
			"db/migrate/9_b.rb":              "class B < ActiveRecord::Migration[6.1]; end\n",
		}, "db/migrate/9_b.rb", "20240101000001", []string{"db/migrate/20240101000002_c.rb"}, ""},
		{"alembic revision", migration.Alembic, map[string]string{
			"versions/x1.py": alembicRevision("a1", "None"),
			"versions/x2.py": alembicRevision("b2", "'a1'"),
			"versions/x3.py": alembicRevision("c3", "'b2'"),
		}, "versions/x1.py", "a1", []string{"versions/x2.py", "versions/x3.py"}, ""},
		{"django label", migration.Django, map[string]string{
			"shop/migrations/0001_initial.py": djangoMigration(""),
			"shop/migrations/0002_price.py":   djangoMigration("('shop', '0001_initial')"),
		}, "shop/migrations/0001_initial.py", "shop.0001", []string{"shop/migrations/0002_price.py"}, ""},
		{"django number of two apps", migration.Django, map[string]string{
			"shop/migrations/0001_initial.py":  djangoMigration(""),
			"users/migrations/0001_initial.py": djangoMigration(""),
		}, "shop/migrations/0001_initial.py", "0001", nil, "give it as app.0001"},
	} {
		s, rel := discoverTree(t, c.files, c.from, c.runner)
		p, err := PendingOf(s, PendingOptions{DeployedThrough: c.through})
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%s: error %v, want one saying %q", c.name, err, c.err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		var got []string
		for _, m := range s.Migrations {
			if p.Is(m.Up) {
				got = append(got, rel(m.Up))
			}
		}
		if strings.Join(got, " ") != strings.Join(c.pending, " ") {
			t.Errorf("%s: pending %v, want %v", c.name, got, c.pending)
		}
	}
}

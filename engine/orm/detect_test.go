package orm

import (
	"regexp"
	"testing"

	"github.com/migsafe/migsafe/engine/migration"
)

func TestDetect(t *testing.T) {
	for _, tc := range []struct {
		path, text string
		setting    migration.Runner
		want       migration.Runner
	}{
		{"db/migrate/20240101_x.rb", "class X < ActiveRecord::Migration[7.1]\nend\n", "", migration.Rails},
		{"app/models/user.rb", "class User < ApplicationRecord\nend\n", "", ""},
		{"shop/migrations/0001_initial.py", "from django.db import migrations\nclass Migration(migrations.Migration):\n", "", migration.Django},
		{"migrations/versions/abc_add.py", "from alembic import op\nrevision = 'abc'\n", "", migration.Alembic},
		{"src/migrations/1700-Add.ts", "export class Add implements MigrationInterface {}", "", migration.TypeORM},
		{"migrations/20240101-add.js", "module.exports = { up: async (queryInterface, Sequelize) => {} }", "", migration.Sequelize},
		{"db/migrations/001_x.js", "exports.up = knex => knex.schema.createTable('t', () => {})", "", migration.Knex},
		// The setting forces a front end for files of its language in migration directories...
		{"db/migrations/001_x.js", "exports.up = async (db) => db.raw('SELECT 1')", migration.Knex, migration.Knex},
		{"lib/helpers.js", "exports.up = 1", migration.Knex, ""},
		{"db/migrations/001_x.py", "x = 1", migration.Knex, ""},
		// ...and "none" turns detection off.
		{"db/migrate/20240101_x.rb", "class X < ActiveRecord::Migration[7.1]\nend\n", migration.NoORM, ""},
	} {
		if got := Detect(tc.path, tc.text, tc.setting); got != tc.want {
			t.Errorf("Detect(%s, setting %q) = %q, want %q", tc.path, tc.setting, got, tc.want)
		}
	}
	for path, want := range map[string]bool{
		"db/migrate/1_x.rb": true, "shop/migrations/0001_x.py": true, "shop/migrations/__init__.py": false,
		"alembic/versions/x.py": true, "src/migrations/x.d.ts": false, "src/migrations/x.test.ts": false,
		"app/models/user.rb": false, "migrations/001.sql": false,
	} {
		if Candidate(path) != want {
			t.Errorf("Candidate(%s) = %v, want %v", path, !want, want)
		}
	}
}

// TestIsJSMatchesTheOldPattern: isJS replaced a regular expression over the whole
// path; it takes exactly the paths that did.
func TestIsJSMatchesTheOldPattern(t *testing.T) {
	old := regexp.MustCompile(`\.(js|cjs|mjs|ts|mts|cts)$`)
	for _, p := range []string{
		"a.js", "a.cjs", "a.mjs", "a.ts", "a.mts", "a.cts", "migrations/1-x.ts", ".js", "dir/.ts",
		"a.JS", "a.Ts", "a.jsx", "a.tsx", "a.d.ts", "a.json", "a.sql", "a.rb", "a.py", "js", "a.js/b.sql",
		"a.js.sql", "migrations.ts/x", "x.mjs.bak", "", ".", "a.", "a.tjs",
	} {
		if got, want := isJS(p), old.MatchString(p); got != want {
			t.Errorf("isJS(%q) = %v, the pattern says %v", p, got, want)
		}
	}
}

package main

import (
	"strings"
	"testing"
)

// A directory walk takes ORM migrations in migration directories (by content, or by
// the orm setting), and leaves application code alone.
func TestCheckFindsORMMigrations(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"app/db/migrate/20240101000000_add_phone.rb": "class AddPhone < ActiveRecord::Migration[7.1]\n  def change\n    add_column :users, :phone, :string\n  end\nend\n",
		"app/app/models/user.rb":                     "class User < ApplicationRecord\nend\n",
		"shop/migrations/0001_initial.py":            "from django.db import migrations\n\nclass Migration(migrations.Migration):\n    operations = []\n",
		"shop/migrations/__init__.py":                "",
		"js/migrations/001_x.js":                     "exports.up = async (db) => db.raw('SELECT 1')\nexports.down = async () => {}\n",
		"js/lib/util.js":                             "exports.up = 1\n",
	})
	out, stderr, code := run(t, dir, "", "check", "--format", "json", "--fail-on", "never", "app", "shop", "js")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{`"runner": "rails"`, `20240101000000_add_phone.rb`, `"runner": "django"`, `0001_initial.py`} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %s:\n%s", want, out)
		}
	}
	for _, not := range []string{"user.rb", "__init__.py", "util.js", "001_x.js"} {
		if strings.Contains(out, not) {
			t.Errorf("report includes %s, which is no migration (or needs orm = \"knex\")", not)
		}
	}
	// With orm = "knex", the Knex migration that does not mention knex is read too.
	dir2 := writeTree(t, map[string]string{
		"migsafe.toml":           "orm = \"knex\"\n",
		"js/migrations/001_x.js": "exports.up = async (db) => db.raw('CREATE INDEX i ON t (c)')\nexports.down = async () => {}\n",
	})
	out, stderr, _ = run(t, dir2, "", "check", "--format", "json", "--fail-on", "never", "js")
	if !strings.Contains(out, `"runner": "knex"`) || !strings.Contains(out, "require-concurrent-index-creation") {
		t.Errorf("orm = knex: %s %s", out, stderr)
	}
}

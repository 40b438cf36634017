package coderefs

import "testing"

func TestIsMigrationPath(t *testing.T) {
	for p, want := range map[string]bool{
		"db/migrate/20240101_add_x.rb": true, "app/migrations/0001_initial.py": true, "alembic/versions/abc_add.py": true,
		"migrations/000001_init.up.sql": true, "db/schema/001.sql": true, "sql/V1__init.sql": true,
		"app/models/user.rb": false, "app/versions/api.py": false, "db/queries/users.sql": false, "internal/store/users.go": false,
	} {
		if got := isMigrationPath(p); got != want {
			t.Errorf("isMigrationPath(%s) = %v, want %v", p, got, want)
		}
	}
}

func TestIsSchemaDump(t *testing.T) {
	for p, want := range map[string]bool{
		"db/schema.rb": true, "db/structure.sql": true, "db/animals_schema.rb": true, "api/db/schema.rb": true,
		"app/models/schema.rb": false, "db/seeds.rb": false, "db/queries/users.sql": false, "schema.rb": false,
	} {
		if got := isSchemaDump(p); got != want {
			t.Errorf("isSchemaDump(%s) = %v, want %v", p, got, want)
		}
	}
}

func TestGitignore(t *testing.T) {
	l := parseIgnore("", "# comment\n/build/\n*.min.js\n!keep.min.js\ndocs/**/gen\nlogs/\n")
	sub := parseIgnore("web", "dist\n")
	for p, want := range map[string]bool{
		"build/x.go": true, "src/build/x.go": false, "a/b.min.js": true, "a/keep.min.js": false,
		"docs/a/b/gen/x.py": true, "logs/x.rb": true, "web/dist/a.js": true, "dist/a.js": false, "app/x.go": false,
	} {
		lists := []ignoreList{l, sub}
		if got := ignored(lists, p, false) || underIgnored(lists, p); got != want {
			t.Errorf("%s ignored = %v, want %v", p, got, want)
		}
	}
}

func TestNormalizeSQL(t *testing.T) {
	for in, want := range map[string]string{
		"SELECT a FROM t WHERE id = ? AND b = :name":   "SELECT a FROM t WHERE id = _ AND b = _name",
		"SELECT a::text FROM t WHERE x = '?:y' -- ?":   "SELECT a::text FROM t WHERE x = '?:y' -- ?",
		"UPDATE t SET a = @a WHERE id = %s":            "UPDATE t SET a = _a WHERE id = _x",
		"SELECT * FROM t WHERE a = %(name)s AND b={b}": "SELECT * FROM t WHERE a = _        AND b=_  ",
	} {
		if got := normalizeSQL(in); got != want {
			t.Errorf("normalizeSQL(%q)\n got %q\nwant %q", in, got, want)
		}
	}
}

func TestPlural(t *testing.T) {
	for one, many := range map[string]string{"user": "users", "category": "categories", "address": "addresses",
		"person": "people", "user_profile": "user_profiles", "key": "keys", "box": "boxes"} {
		if got := plural(one); got != many {
			t.Errorf("plural(%s) = %s, want %s", one, got, many)
		}
		if got := singular(many); got != one {
			t.Errorf("singular(%s) = %s, want %s", many, got, one)
		}
	}
	if got := snake("HTTPLogEntry"); got != "http_log_entry" {
		t.Errorf("snake(HTTPLogEntry) = %s", got)
	}
}

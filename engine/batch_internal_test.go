package engine

import (
	"testing"

	"github.com/migsafe/migsafe/engine/config"
)

// TestSearchesCode: the index of the code is built ahead for the files whose up
// statements a code-searching rule checks, and not for the others.
func TestSearchesCode(t *testing.T) {
	for _, c := range []struct {
		path, text string
		want       bool
	}{
		{"1_a.up.sql", "DROP TABLE users;", true},
		{"1_a.up.sql", "DROP INDEX users_email;", true},
		{"1_a.up.sql", "ALTER TABLE users RENAME COLUMN name TO full_name;", true},
		{"1_a.up.sql", "ALTER TABLE users RENAME TO people;", true},
		{"1_a.up.sql", "ALTER TABLE users ADD COLUMN age int, DROP COLUMN name;", true},
		{"1_a.up.sql", "ALTER TABLE users ALTER COLUMN age TYPE smallint;", true},
		{"1_a.up.sql", "DO $$ BEGIN DROP TABLE old_users; END $$;", true},
		{"1_a.up.sql", "CREATE TABLE users (id bigint);\nALTER TABLE users ADD COLUMN age int;\nUPDATE users SET age = 1;", false},
		{"1_a.up.sql", "ALTER TABLE users ALTER COLUMN age SET NOT NULL;", false},
		{"1_a.sql", "-- +goose Up\nCREATE TABLE t (id int);\n-- +goose Down\nDROP TABLE t;\n", false},
		{"1_a.sql", "-- +goose Up\nDROP TABLE t;\n-- +goose Down\nCREATE TABLE t (id int);\n", true},
	} {
		f := ParseFile(c.path, c.text, config.Default(), nil, nil)
		if got := searchesCode(f); got != c.want {
			t.Errorf("searchesCode(%s: %q) = %v, want %v", c.path, c.text, got, c.want)
		}
	}
}

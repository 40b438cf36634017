package lsp

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestIsMigration(t *testing.T) {
	globs := []string{"db/migrations/**/*.sql", "*.up.sql"}
	for _, tc := range []struct {
		file, lang string
		globs      []string
		want       bool
	}{
		{"/w/any/x.sql", "", nil, true},
		{"/w/notes.txt", "plaintext", nil, false},
		{"/w/query", "pgsql", nil, true},
		{"/w/db/migrations/2024/01/0001_x.sql", "sql", globs, true},
		{"/w/db/migrations/0001_x.sql", "sql", globs, true},
		{"/w/db/seeds/0001_x.sql", "sql", globs, false},
		{"/w/other/0001_x.up.sql", "sql", globs, true},
		{"/elsewhere/db/migrations/0001_x.sql", "sql", globs, false},
	} {
		if got := isMigration(tc.file, tc.lang, "/w", tc.globs); got != tc.want {
			t.Errorf("isMigration(%q, %q, %v) = %v, want %v", tc.file, tc.lang, tc.globs, got, tc.want)
		}
	}
}

func TestParseSettings(t *testing.T) {
	set, errs := parseSettings(json.RawMessage(`{"migsafe": {"pgVersion": 99, "runner": "gose", "tables": {"Users": "50M", "t": 40, "bad": "lots"}, "migrationGlobs": ["m/*.sql"]}}`))
	if set.PGVersion != 0 || set.Runner != "" {
		t.Errorf("bad pgVersion/runner kept: %+v", set)
	}
	if set.rows["users"] != 50_000_000 || set.rows["t"] != 40 || len(set.rows) != 2 {
		t.Errorf("rows = %v", set.rows)
	}
	all := strings.Join(errs, "\n")
	for _, want := range []string{"pgVersion: 99", `runner: unknown runner "gose"`, "tables.bad"} {
		if !strings.Contains(all, want) {
			t.Errorf("errors lack %q:\n%s", want, all)
		}
	}
	if len(set.MigrationGlobs) != 1 {
		t.Errorf("globs = %v", set.MigrationGlobs)
	}
}

// TestEmptySettings: empty settings, however a client encodes them (Lua's empty table
// is a JSON array), are no settings and no error.
func TestEmptySettings(t *testing.T) {
	for _, raw := range []string{`[]`, `{"migsafe": []}`, `{"migsafe": {}}`, `{}`, `null`, `{"migsafe": null}`} {
		set, errs := parseSettings(json.RawMessage(raw))
		if len(errs) > 0 || set.PGVersion != 0 || len(set.rows) != 0 {
			t.Errorf("parseSettings(%s) = %+v, %v", raw, set, errs)
		}
	}
}

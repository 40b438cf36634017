package lsp

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/migsafe/migsafe/engine/config"
	"github.com/migsafe/migsafe/engine/migration"
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
	// An empty Lua table is [] in JSON: { tables = {} } from Neovim is no table sizes.
	for _, raw := range []string{`[]`, `{"migsafe": []}`, `{"migsafe": {}}`, `{}`, `null`, `{"migsafe": null}`,
		`{"migsafe": {"tables": []}}`, `{"migsafe": {"tables": {}, "migrationGlobs": {}}}`, `{"migsafe": {"migrationGlobs": []}}`} {
		set, errs := parseSettings(json.RawMessage(raw))
		if len(errs) > 0 || set.PGVersion != 0 || len(set.rows) != 0 {
			t.Errorf("parseSettings(%s) = %+v, %v", raw, set, errs)
		}
	}
}

// The VS Code extension's settings schema bounds pgVersion and lists the runners; VS
// Code marks any other value as invalid in the settings editor, so the schema must
// offer what the server accepts (it stopped at 17 when the server took 18).
func TestVSCodeSchemaMatchesTheServer(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "editors", "vscode", "package.json"))
	if err != nil {
		t.Fatal(err)
	}
	type property struct {
		Minimum     int    `json:"minimum"`
		Maximum     int    `json:"maximum"`
		Enum        []any  `json:"enum"`
		Description string `json:"description"`
	}
	var pkg struct {
		Contributes struct {
			Configuration struct {
				Properties map[string]property `json:"properties"`
			} `json:"configuration"`
		} `json:"contributes"`
	}
	if err := json.Unmarshal(data, &pkg); err != nil {
		t.Fatal(err)
	}
	props := pkg.Contributes.Configuration.Properties
	pg := props["migsafe.pgVersion"]
	if pg.Minimum != config.MinPGVersion || pg.Maximum != config.MaxPGVersion {
		t.Errorf("migsafe.pgVersion bounds %d..%d, want %d..%d", pg.Minimum, pg.Maximum, config.MinPGVersion, config.MaxPGVersion)
	}
	if want := fmt.Sprintf("%d to %d", config.MinPGVersion, config.MaxPGVersion); !strings.Contains(pg.Description, want) {
		t.Errorf("migsafe.pgVersion description %q lacks %q", pg.Description, want)
	}
	var runners []string
	for _, r := range props["migsafe.runner"].Enum {
		if s, ok := r.(string); ok {
			runners = append(runners, s)
		}
	}
	var want []string
	for _, r := range migration.Runners {
		want = append(want, string(r))
	}
	if strings.Join(runners, " ") != strings.Join(want, " ") {
		t.Errorf("migsafe.runner enum %v, want %v", runners, want)
	}
}

// A key settings does not read, such as migsafe.toml's spelling pg_version, was
// dropped without a word (the editor went on at the default major); so were a negative
// debounceMs and a diagnostics mode other than auto or push. Each is now reported, and
// the rest of the settings still apply.
func TestSettingsReportWhatTheyIgnore(t *testing.T) {
	set, errs := parseSettings(json.RawMessage(`{"migsafe": {"pg_version": 12, "PGVersion": 13, "lockTimeout": "5s", "debounceMs": -5, "diagnostics": "pull"}}`))
	if set.PGVersion != 13 || set.DebounceMs != nil || set.Diagnostics != "" {
		t.Errorf("settings = %+v", set)
	}
	all := strings.Join(errs, "\n")
	for _, want := range []string{`unknown key "lockTimeout" ignored`, `unknown key "pg_version" ignored (known: pgVersion, runner,`, "debounceMs: -5 is not 0 or more", `diagnostics: "pull" is not "auto" or "push"`} {
		if !strings.Contains(all, want) {
			t.Errorf("errors lack %q:\n%s", want, all)
		}
	}
	if len(errs) != 4 {
		t.Errorf("%d errors, want 4:\n%s", len(errs), all)
	}
	if _, errs := parseSettings(json.RawMessage(`{"pgVersion": 15, "runner": "goose", "tables": {}, "migrationGlobs": [], "debounceMs": 0, "diagnostics": "auto", "maxDiagnostics": 0}`)); len(errs) != 0 {
		t.Errorf("every known key: %v", errs)
	}
}

// A value of the wrong JSON type ("migrationGlobs": "db/*.sql", a string for an
// array) threw away every setting with it ("client settings ignored"); it is now
// reported and left out alone.
func TestSettingsOfTheWrongTypeAreLeftOutAlone(t *testing.T) {
	set, errs := parseSettings(json.RawMessage(`{"migsafe": {"migrationGlobs": "db/*.sql", "pgVersion": 14, "maxDiagnostics": 1.5, "tables": {"users": "5M"}}}`))
	if set.PGVersion != 14 || set.rows["users"] != 5_000_000 || set.MigrationGlobs != nil || set.MaxDiagnostics != nil {
		t.Errorf("settings = %+v", set)
	}
	want := "migsafe: client settings: maxDiagnostics: number 1.5 is not a whole number\n" +
		"migsafe: client settings: migrationGlobs: string is not an array of strings"
	if got := strings.Join(errs, "\n"); got != want {
		t.Errorf("errors:\n%s\nwant:\n%s", got, want)
	}
}

package lsp

import (
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/migsafe/migsafe/engine/config"
	"github.com/migsafe/migsafe/engine/migration"
	"github.com/migsafe/migsafe/engine/rules"
)

// settings are what the client sends in initializationOptions and
// workspace/didChangeConfiguration, under "migsafe" or at the top level.
type settings struct {
	PGVersion      int            `json:"pgVersion"`
	Runner         string         `json:"runner"`
	Tables         map[string]any `json:"tables"`
	MigrationGlobs []string       `json:"migrationGlobs"`
	DebounceMs     *int           `json:"debounceMs"`
	Diagnostics    string         `json:"diagnostics"` // "push" forces pushing to pull-capable clients
	// MaxDiagnostics caps the diagnostics published per document (0: no cap; unset:
	// defaultMaxDiagnostics).
	MaxDiagnostics *int             `json:"maxDiagnostics"`
	rows           map[string]int64 // Tables, checked
}

// parseSettings reads client settings; a bad value is left out and reported, so one
// typo does not throw away the rest.
func parseSettings(raw json.RawMessage) (settings, []string) {
	var set settings
	if len(raw) == 0 || string(raw) == "null" {
		return set, nil
	}
	var wrapper struct {
		Migsafe json.RawMessage `json:"migsafe"`
	}
	if json.Unmarshal(raw, &wrapper) == nil && len(wrapper.Migsafe) > 0 {
		raw = wrapper.Migsafe
	}
	if t := strings.TrimSpace(string(raw)); t == "[]" || t == "null" {
		// Lua clients (Neovim) encode an empty table as an array.
		return set, nil
	}
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(raw, &keys); err != nil {
		return settings{}, []string{"migsafe: client settings ignored: " + err.Error()}
	}
	errs := unknownKeys(keys)
	// Key by key, so a value of the wrong type ("migrationGlobs": "db/*.sql") is left
	// out alone: decoding the whole object at once threw every other setting away.
	names := make([]string, 0, len(keys))
	for k := range keys {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		if empty := strings.TrimSpace(string(keys[k])); (empty == "[]" || empty == "{}") &&
			(strings.EqualFold(k, "tables") || strings.EqualFold(k, "migrationGlobs")) {
			// Empty: Lua encodes an empty table as [] ({ tables = {} } from the Neovim
			// plugin), which was refused as "array is not an object".
			continue
		}
		one, _ := json.Marshal(map[string]json.RawMessage{k: keys[k]})
		var v settings
		if err := json.Unmarshal(one, &v); err != nil {
			var te *json.UnmarshalTypeError
			msg := err.Error()
			if errors.As(err, &te) {
				msg = fmt.Sprintf("%s is not %s", te.Value, jsonKind(te.Type.Kind().String()))
			}
			errs = append(errs, fmt.Sprintf("migsafe: client settings: %s: %s", k, msg))
			continue
		}
		set.merge(v)
	}
	if set.PGVersion != 0 {
		if err := config.CheckPGVersion(set.PGVersion); err != nil {
			errs = append(errs, "migsafe: client settings: pgVersion: "+err.Error())
			set.PGVersion = 0
		}
	}
	if set.Runner != "" {
		if _, err := migration.ParseRunner(set.Runner); err != nil {
			errs = append(errs, "migsafe: client settings: runner: "+err.Error())
			set.Runner = ""
		}
	}
	if set.DebounceMs != nil && *set.DebounceMs < 0 {
		errs = append(errs, fmt.Sprintf("migsafe: client settings: debounceMs: %d is not 0 or more milliseconds", *set.DebounceMs))
		set.DebounceMs = nil
	}
	if set.Diagnostics != "" && set.Diagnostics != "auto" && set.Diagnostics != "push" {
		errs = append(errs, fmt.Sprintf("migsafe: client settings: diagnostics: %q is not \"auto\" or \"push\"", set.Diagnostics))
		set.Diagnostics = ""
	}
	if set.MaxDiagnostics != nil && *set.MaxDiagnostics < 0 {
		errs = append(errs, fmt.Sprintf("migsafe: client settings: maxDiagnostics: %d is not 0 (no cap) or more", *set.MaxDiagnostics))
		set.MaxDiagnostics = nil
	}
	set.rows = map[string]int64{}
	for name, v := range set.Tables {
		if f, ok := v.(float64); ok && f == float64(int64(f)) {
			v = int64(f) // JSON numbers arrive as float64; config wants whole rows
		}
		n, err := config.RowCount(v)
		if err != nil {
			errs = append(errs, fmt.Sprintf("migsafe: client settings: tables.%s: %v", name, err))
			continue
		}
		set.rows[config.TableKey(name)] = n
	}
	for _, g := range set.MigrationGlobs {
		if _, err := path.Match(strings.ReplaceAll(g, "**", "*"), ""); err != nil {
			errs = append(errs, fmt.Sprintf("migsafe: client settings: migrationGlobs: bad pattern %q", g))
			set.MigrationGlobs = nil
			break
		}
	}
	return set, errs
}

// merge takes the fields v sets (v decoded from one key).
func (set *settings) merge(v settings) {
	if v.PGVersion != 0 {
		set.PGVersion = v.PGVersion
	}
	if v.Runner != "" {
		set.Runner = v.Runner
	}
	if v.Tables != nil {
		set.Tables = v.Tables
	}
	if v.MigrationGlobs != nil {
		set.MigrationGlobs = v.MigrationGlobs
	}
	if v.DebounceMs != nil {
		set.DebounceMs = v.DebounceMs
	}
	if v.Diagnostics != "" {
		set.Diagnostics = v.Diagnostics
	}
	if v.MaxDiagnostics != nil {
		set.MaxDiagnostics = v.MaxDiagnostics
	}
}

// jsonKind names a Go kind as the JSON a setting wants.
func jsonKind(k string) string {
	switch k {
	case "int", "int64":
		return "a whole number"
	case "string":
		return "a string"
	case "slice":
		return "an array of strings"
	case "map":
		return "an object"
	}
	return "a " + k
}

// settingKeys are the keys settings reads, as the client spells them: its fields'
// JSON names.
var settingKeys = func() []string {
	var keys []string
	t := reflect.TypeFor[settings]()
	for i := range t.NumField() {
		if name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ","); name != "" {
			keys = append(keys, name)
		}
	}
	return keys
}()

// unknownKeys reports the keys of a settings object that settings does not read: a
// key spelt as in migsafe.toml ("pg_version") or misspelt was dropped without a word,
// and the editor went on with the defaults. encoding/json matches keys without regard
// to case, and so does this.
func unknownKeys(keys map[string]json.RawMessage) []string {
	var errs []string
	for k := range keys {
		known := slices.ContainsFunc(settingKeys, func(s string) bool { return strings.EqualFold(k, s) })
		if !known {
			errs = append(errs, fmt.Sprintf("migsafe: client settings: unknown key %q ignored (known: %s)", k, strings.Join(settingKeys, ", ")))
		}
	}
	sort.Strings(errs)
	return errs
}

// defaultMaxDiagnostics is VS Code's own cap: its extension host shows at most 1,000
// diagnostics per file (extHostDiagnostics.ts, _maxDiagnosticsPerFile), so encoding,
// sending and decoding more (30,900 for a 5 MB DDL document, 9.8 MB of JSON per
// edit) is pure cost.
const defaultMaxDiagnostics = 1000

// maxDiagnostics is the per-document cap on published diagnostics; 0 is none.
func (set settings) maxDiagnostics() int {
	if set.MaxDiagnostics == nil {
		return defaultMaxDiagnostics
	}
	return *set.MaxDiagnostics
}

// configFor finds the configuration of a file exactly as the CLI does
// (config.ForFile), then applies the client settings to the keys the file leaves
// unset: where both speak, the file wins. A broken file falls back to the defaults
// plus settings, and its error is returned to be shown.
func configFor(file string, set settings) (*config.Config, error) {
	var (
		cfg *config.Config
		err error
	)
	if file != "" {
		cfg, err = config.ForFile(file, rules.Known)
	}
	if cfg == nil {
		cfg = config.Default()
	}
	inFile := fileKeys(cfg.Path)
	if set.PGVersion != 0 && !inFile["pg_version"] {
		cfg.PGVersion = set.PGVersion
	}
	if set.Runner != "" && !inFile["runner"] {
		cfg.Runner = migration.Runner(set.Runner)
	}
	for name, n := range set.rows {
		if !inFile["tables."+name] {
			cfg.Tables[name] = n
		}
	}
	if len(set.MigrationGlobs) > 0 && !inFile["migration_globs"] {
		cfg.MigrationGlobs = set.MigrationGlobs
	}
	return cfg, err
}

// fileKeys lists the keys a config file sets ("pg_version", "tables.users").
func fileKeys(p string) map[string]bool {
	keys := map[string]bool{}
	if p == "" {
		return keys
	}
	var m map[string]any
	if _, err := toml.DecodeFile(p, &m); err != nil {
		return keys
	}
	for k, v := range m {
		keys[k] = true
		if t, ok := v.(map[string]any); ok && k == "tables" {
			for name := range t {
				keys["tables."+strings.ToLower(name)] = true
			}
		}
	}
	return keys
}

// configError words a configuration error with its file, line and key (config
// locates the key of an error the TOML decoder did not).
func configError(err error) string {
	var ce *config.Error
	if !errors.As(err, &ce) {
		return err.Error()
	}
	return ce.Error() // path:line:column: key: message
}

// sqlLanguages are the language ids editors give PostgreSQL files.
var sqlLanguages = map[string]bool{"sql": true, "pgsql": true, "postgres": true, "postgresql": true}

// isMigration decides whether a document is analysed: SQL by language id or extension,
// and matching the migration globs when some are configured. Globs are matched against
// the path relative to the workspace root; a glob without "/" matches the base name.
func isMigration(file, languageID, root string, globs []string) bool {
	if !sqlLanguages[strings.ToLower(languageID)] && !strings.EqualFold(filepath.Ext(file), ".sql") {
		return false
	}
	if len(globs) == 0 {
		return true
	}
	if file == "" {
		return false
	}
	rel := filepath.ToSlash(file)
	if root != "" {
		if r, err := filepath.Rel(root, file); err == nil && !strings.HasPrefix(r, "..") {
			rel = filepath.ToSlash(r)
		}
	}
	return config.MatchGlobs(globs, rel)
}

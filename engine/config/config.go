// Package config reads migsafe.toml and the table-size stats file.
package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/migsafe/migsafe/engine/migration"
	"github.com/migsafe/migsafe/engine/sqlast"
	"github.com/migsafe/migsafe/engine/status"
	"github.com/migsafe/migsafe/internal/regularfile"
)

// FileName is the configuration file migsafe looks for.
const FileName = "migsafe.toml"

// The PostgreSQL majors pg_version accepts. The lock oracle checks the knowledge base
// on every one of them; the SQL grammar migsafe parses with is PostgreSQL 16's
// (migration.GrammarMajor), so statements only newer servers accept do not parse.
const (
	MinPGVersion = 10
	MaxPGVersion = 18
)

// CheckPGVersion says why v is not a major pg_version accepts; nil when it is one.
func CheckPGVersion(v int) error {
	if v < MinPGVersion || v > MaxPGVersion {
		return fmt.Errorf("%d is not a supported major (want %d to %d)", v, MinPGVersion, MaxPGVersion)
	}
	return nil
}

// Config is migsafe's configuration. The zero value is not useful; start from Default.
type Config struct {
	Path      string // the file it came from, "" for defaults
	PGVersion int
	Runner    migration.Runner // "" means detect
	// ORM names the ORM of the project's non-SQL migrations ("" detects it, "none"
	// turns the ORM front ends off).
	ORM            migration.Runner
	AssumeLarge    bool
	SmallTableRows int64
	LockTimeout    string
	// StatementTimeout bounds the brief steps of generated phases, so one that takes
	// its lock and then works longer than planned fails instead of blocking traffic.
	StatementTimeout string
	// BatchSize is the rows per transaction of generated batch jobs, BatchPause the
	// pg_sleep between batches that lets replicas and autovacuum keep up.
	BatchSize             int64
	BatchPause            string
	ReplicationLagSeconds float64
	StatsFile             string
	// Tables maps a table name (as written, or schema-qualified) to its row count.
	Tables map[string]int64
	// TableBytes holds on-disk sizes from the stats file, when known.
	TableBytes map[string]int64
	Disable    map[string]bool
	Enable     map[string]bool
	// Status overrides the status a rule reports, by rule ID.
	Status map[string]status.Status
	// MigrationGlobs select which .sql files the language server analyses and check
	// finds in a directory (Selects).
	MigrationGlobs []string
	// CodePaths limit where code references are looked for (relative to the config
	// file's directory); empty means the whole repository. CodeExclude drops paths by
	// gitignore-style patterns.
	CodePaths, CodeExclude []string
	// DeployedThrough is the last migration deployed to production (a version or a
	// file name): the ones after it are pending, their tables new and empty.
	DeployedThrough string
}

// Default is the configuration with no file.
func Default() *Config {
	return &Config{
		PGVersion:             15,
		AssumeLarge:           true,
		SmallTableRows:        10000,
		LockTimeout:           "5s",
		StatementTimeout:      "15s",
		BatchSize:             10000,
		BatchPause:            "50ms",
		ReplicationLagSeconds: 60,
		StatsFile:             ".migsafe/stats.json",
		Tables:                map[string]int64{},
		TableBytes:            map[string]int64{},
		Disable:               map[string]bool{},
		Enable:                map[string]bool{},
		Status:                map[string]status.Status{},
	}
}

// Error is a configuration problem, located in its file.
type Error struct {
	Path, Key, Msg string
	Line, Column   int
}

func (e *Error) Error() string {
	loc := e.Path
	if e.Line > 0 {
		loc = fmt.Sprintf("%s:%d:%d", e.Path, e.Line, e.Column)
	}
	if e.Key != "" {
		return fmt.Sprintf("%s: %s: %s", loc, e.Key, e.Msg)
	}
	return fmt.Sprintf("%s: %s", loc, e.Msg)
}

type fileFormat struct {
	PGVersion             *int           `toml:"pg_version"`
	Runner                *string        `toml:"runner"`
	ORM                   *string        `toml:"orm"`
	AssumeLarge           *bool          `toml:"assume_large"`
	SmallTableRows        *int64         `toml:"small_table_rows"`
	LockTimeout           *string        `toml:"lock_timeout"`
	StatementTimeout      *string        `toml:"statement_timeout"`
	BatchSize             *int64         `toml:"batch_size"`
	BatchPause            *string        `toml:"batch_pause"`
	ReplicationLagSeconds *float64       `toml:"replication_lag_seconds"`
	StatsFile             *string        `toml:"stats_file"`
	Tables                map[string]any `toml:"tables"`
	Rules                 *rulesFormat   `toml:"rules"`
	MigrationGlobs        []string       `toml:"migration_globs"`
	CodePaths             []string       `toml:"code_paths"`
	CodeExclude           []string       `toml:"code_exclude"`
	DeployedThrough       *string        `toml:"deployed_through"`
}

type rulesFormat struct {
	Disable []string                 `toml:"disable"`
	Enable  []string                 `toml:"enable"`
	Status  map[string]status.Status `toml:"status"`
}

var tomlTypeError = regexp.MustCompile(`^toml: (?:line (\d+) )?\(last key "([^"]*)"\): (.*)$`)

// Find walks up from dir to the first migsafe.toml; "" when there is none.
func Find(dir string) string {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return ""
	}
	for {
		p := filepath.Join(dir, FileName)
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// Load reads a config file over the defaults. knownRule checks rule IDs in [rules];
// nil accepts any.
func Load(path string, knownRule func(string) bool) (*Config, error) {
	data, err := regularfile.ReadFile(path) // a FIFO named migsafe.toml hung every check below it
	if err != nil {
		return nil, &Error{Path: path, Msg: readError(err)}
	}
	return Parse(path, data, knownRule)
}

// readError is why a file could not be read, without the path a *fs.PathError
// repeats: the Error leads with it already ("x.toml: open x.toml: no such file" said
// it twice).
func readError(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// Parse reads config text; path is only used in errors and to resolve stats_file.
// An error about a key names the line and column of its value (of the key itself
// when it is unknown): only the TOML syntax errors came located, so "pg_version: 9
// is not a supported major" left the user to find the line.
func Parse(path string, data []byte, knownRule func(string) bool) (*Config, error) {
	c, err := parse(path, data, knownRule)
	var e *Error
	if errors.As(err, &e) && e.Key != "" && (e.Line == 0 || e.Column == 1) {
		if line, key, value := locateKey(string(data), e.Key); line > 0 && (e.Line == 0 || e.Line == line) {
			e.Line, e.Column = line, value
			if strings.HasPrefix(e.Msg, "unknown key") || strings.HasPrefix(e.Key, "rules.status.") && strings.HasPrefix(e.Msg, "unknown rule") {
				e.Column = key // the key is at fault, not its value
			} else if e.Key == "rules.disable" || e.Key == "rules.enable" {
				// The rule ID at fault within the list, when it is on the key's line.
				text := strings.Split(string(data), "\n")[line-1]
				if id, ok := strings.CutPrefix(e.Msg, "unknown rule "); ok {
					id = id[:strings.Index(id+" ", " ")]
					if at := strings.Index(text[value-1:], id); at >= 0 {
						e.Column = value + at
					}
				}
			}
		}
	}
	return c, err
}

// locateKey finds where a key (dotted, as errors name it: "tables.users") is set:
// its line, and the columns (1-based, in bytes) of the key and of its value. It reads
// the simple TOML a migsafe.toml holds ([table] headers, bare or quoted keys, dotted
// keys); 0 when it is not found.
func locateKey(text, key string) (line, keyCol, valueCol int) {
	table := ""
	for i, l := range strings.Split(text, "\n") {
		trimmed := strings.TrimSpace(strings.TrimSuffix(l, "\r"))
		indent := len(l) - len(strings.TrimLeft(l, " \t"))
		if strings.HasPrefix(trimmed, "[") {
			if end := strings.Index(trimmed, "]"); end > 0 {
				table = tomlKeyPath(strings.Trim(trimmed[1:end], "[] \t"))
				if table == key {
					return i + 1, indent + 2, indent + 1
				}
			}
			continue
		}
		eq := strings.Index(l, "=")
		if eq < 0 || strings.HasPrefix(trimmed, "#") {
			continue
		}
		k := tomlKeyPath(l[:eq])
		if table != "" {
			k = table + "." + k
		}
		if k == key {
			value := eq + 1
			for value < len(l) && (l[value] == ' ' || l[value] == '\t') {
				value++
			}
			return i + 1, indent + 1, value + 1
		}
	}
	return 0, 0, 0
}

// tomlKeyPath normalises a TOML key as written (`a . "B c"`) to the dotted form errors
// use (`a.B c`).
func tomlKeyPath(k string) string {
	parts := strings.Split(k, ".")
	for i, p := range parts {
		parts[i] = strings.Trim(strings.TrimSpace(p), `"'`)
	}
	return strings.Join(parts, ".")
}

func parse(path string, data []byte, knownRule func(string) bool) (*Config, error) {
	c := Default()
	c.Path = path
	var f fileFormat
	md, err := toml.Decode(string(data), &f)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			e := &Error{Path: path, Line: pe.Position.Line, Column: pe.Position.Col, Msg: pe.Message}
			// A status is checked as it is decoded (status.Status reads itself), and the
			// error comes back here located at its value.
			if strings.HasPrefix(pe.LastKey, "rules.status.") {
				e.Key = pe.LastKey
			}
			return nil, e
		}
		// Type mismatches come as plain errors: toml: line 1 (last key "pg_version"): ...
		if m := tomlTypeError.FindStringSubmatch(err.Error()); m != nil {
			line, _ := strconv.Atoi(m[1])
			return nil, &Error{Path: path, Line: line, Column: 1, Key: m[2], Msg: "wrong type: " + strings.TrimPrefix(m[3], "incompatible types: ")}
		}
		return nil, &Error{Path: path, Msg: err.Error()}
	}
	if und := md.Undecoded(); len(und) > 0 {
		keys := make([]string, len(und))
		for i, k := range und {
			keys[i] = k.String()
		}
		known := "pg_version, runner, orm, assume_large, small_table_rows, lock_timeout, statement_timeout, batch_size, batch_pause, replication_lag_seconds, stats_file, migration_globs, code_paths, code_exclude, deployed_through, [tables], [rules] disable/enable/status"
		if strings.HasPrefix(keys[0], "rules.") {
			known = "disable, enable, [rules.status]" // what [rules] holds, not the top level
		}
		return nil, &Error{Path: path, Key: keys[0], Msg: "unknown key (known: " + known + ")"}
	}
	if f.PGVersion != nil {
		if err := CheckPGVersion(*f.PGVersion); err != nil {
			return nil, &Error{Path: path, Key: "pg_version", Msg: err.Error()}
		}
		c.PGVersion = *f.PGVersion
	}
	if f.Runner != nil {
		r, err := migration.ParseRunner(*f.Runner)
		if err != nil {
			return nil, &Error{Path: path, Key: "runner", Msg: err.Error()}
		}
		c.Runner = r
	}
	if f.ORM != nil {
		o, err := migration.ParseORM(*f.ORM)
		if err != nil {
			return nil, &Error{Path: path, Key: "orm", Msg: err.Error()}
		}
		c.ORM = o
	}
	if f.AssumeLarge != nil {
		c.AssumeLarge = *f.AssumeLarge
	}
	if f.SmallTableRows != nil {
		if *f.SmallTableRows < 0 {
			return nil, &Error{Path: path, Key: "small_table_rows", Msg: "must not be negative"}
		}
		c.SmallTableRows = *f.SmallTableRows
	}
	if f.LockTimeout != nil {
		if err := checkTimeout(*f.LockTimeout, c.PGVersion, false); err != nil {
			return nil, &Error{Path: path, Key: "lock_timeout", Msg: err.Error()}
		}
		c.LockTimeout = *f.LockTimeout
	}
	if f.StatementTimeout != nil {
		if err := checkTimeout(*f.StatementTimeout, c.PGVersion, true); err != nil {
			return nil, &Error{Path: path, Key: "statement_timeout", Msg: err.Error()}
		}
		c.StatementTimeout = *f.StatementTimeout
	}
	if f.BatchSize != nil {
		if *f.BatchSize <= 0 {
			return nil, &Error{Path: path, Key: "batch_size", Msg: "must be positive"}
		}
		c.BatchSize = *f.BatchSize
	}
	if f.BatchPause != nil {
		if _, err := ParseDuration(*f.BatchPause); err != nil {
			return nil, &Error{Path: path, Key: "batch_pause", Msg: err.Error()}
		}
		c.BatchPause = *f.BatchPause
	}
	if f.ReplicationLagSeconds != nil {
		// TOML has nan and inf, and NaN passed "<= 0".
		if l := *f.ReplicationLagSeconds; !(l > 0) || math.IsInf(l, 0) {
			return nil, &Error{Path: path, Key: "replication_lag_seconds", Msg: "must be a positive number of seconds"}
		}
		c.ReplicationLagSeconds = *f.ReplicationLagSeconds
	}
	if f.StatsFile != nil {
		c.StatsFile = *f.StatsFile
	}
	if f.DeployedThrough != nil {
		if strings.TrimSpace(*f.DeployedThrough) == "" {
			return nil, &Error{Path: path, Key: "deployed_through", Msg: "must name a migration (a version such as \"20240101120000\" or a file name)"}
		}
		c.DeployedThrough = strings.TrimSpace(*f.DeployedThrough)
	}
	if f.MigrationGlobs != nil {
		for _, g := range f.MigrationGlobs {
			if _, err := filepath.Match(g, ""); err != nil {
				return nil, &Error{Path: path, Key: "migration_globs", Msg: fmt.Sprintf("bad pattern %q: %v", g, err)}
			}
		}
		c.MigrationGlobs = f.MigrationGlobs
	}
	for _, p := range f.CodePaths {
		if filepath.IsAbs(p) || strings.HasPrefix(filepath.Clean(p), "..") {
			return nil, &Error{Path: path, Key: "code_paths", Msg: fmt.Sprintf("%q must be a path inside the project, relative to this file", p)}
		}
	}
	c.CodePaths, c.CodeExclude = f.CodePaths, f.CodeExclude
	for name, v := range f.Tables {
		n, err := RowCount(v)
		if err != nil {
			return nil, &Error{Path: path, Key: "tables." + name, Msg: err.Error()}
		}
		c.Tables[TableKey(name)] = n
	}
	if f.Rules != nil {
		check := func(key, id string) error {
			if knownRule != nil && !knownRule(id) {
				return &Error{Path: path, Key: key, Msg: fmt.Sprintf("unknown rule %q (see `migsafe rules`)", id)}
			}
			return nil
		}
		for _, id := range f.Rules.Disable {
			if err := check("rules.disable", id); err != nil {
				return nil, err
			}
			c.Disable[id] = true
		}
		for _, id := range f.Rules.Enable {
			if err := check("rules.enable", id); err != nil {
				return nil, err
			}
			c.Enable[id] = true
		}
		for id, st := range f.Rules.Status {
			if err := check("rules.status."+id, id); err != nil {
				return nil, err
			}
			c.Status[id] = st
		}
	}
	if err := c.loadStats(); err != nil {
		return nil, err
	}
	return c, nil
}

// RowCount reads a [tables] value: an integer or a string with a k, M or B suffix.
func RowCount(v any) (int64, error) {
	switch x := v.(type) {
	case int64:
		if x < 0 {
			return 0, fmt.Errorf("row count must not be negative")
		}
		return x, nil
	case float64:
		return floatRows(x, fmt.Sprint(x))
	case string:
		s := strings.TrimSpace(x)
		mult := 1.0
		if s != "" {
			switch s[len(s)-1] {
			case 'k', 'K':
				mult = 1e3
			case 'm', 'M':
				mult = 1e6
			case 'b', 'B':
				mult = 1e9
			}
			if mult != 1 {
				s = s[:len(s)-1]
			}
		}
		f, err := strconv.ParseFloat(strings.ReplaceAll(s, "_", ""), 64)
		if err != nil || f < 0 || math.IsNaN(f) {
			return 0, fmt.Errorf("%q is not a row count (want a number, optionally with k, M or B: \"50M\")", x)
		}
		return floatRows(f*mult, strconv.Quote(x))
	}
	return 0, fmt.Errorf("want a row count such as 40 or \"50M\", got %T", v)
}

// floatRows converts a row count read as a float. Go's conversion of a float beyond
// int64 (or NaN) is implementation-defined: "1e30" and 1e300 became
// -9223372036854775808 on amd64, a table smaller than empty, and the rewrite of the
// largest table checked as if it cost nothing (its BLOCK went away).
func floatRows(f float64, text string) (int64, error) {
	switch {
	case math.IsNaN(f) || f < 0:
		return 0, fmt.Errorf("%s is not a row count (want a number, optionally with k, M or B: \"50M\")", text)
	case f >= math.MaxInt64: // 2^63: the first float int64 cannot hold
		return 0, fmt.Errorf("%s rows is more than a table can hold (at most %d)", text, int64(math.MaxInt64))
	}
	return int64(f), nil
}

// ParseDuration reads a duration as PostgreSQL reads a time setting, since the fixes
// write the configured text into SET lock_timeout / statement_timeout as it is: a
// number, optionally fractional, then optionally whitespace and one of the units us,
// ms, s, min, h, d (case-sensitive); a bare number is milliseconds. Go's syntax is not
// PostgreSQL's: "5m" and "1h30m" passed here and made every fix fail with "invalid
// value for parameter", and "1d" or "5 s", which PostgreSQL takes, were refused.
func ParseDuration(s string) (time.Duration, error) {
	t := strings.TrimSpace(s)
	num := strings.TrimRightFunc(t, func(r rune) bool { return r >= 'a' && r <= 'z' })
	unit := t[len(num):]
	num = strings.TrimSpace(num)
	scale, ok := durationUnits[unit]
	f, err := strconv.ParseFloat(num, 64)
	if !ok || err != nil || strings.ContainsAny(num, "xXpPnN_") || math.IsInf(f, 0) {
		return 0, fmt.Errorf("%q is not a duration (want a number and a unit as PostgreSQL takes them: us, ms, s, min, h or d, e.g. \"5s\", \"500ms\", \"1min\")", s)
	}
	// PostgreSQL reads the integer part with strtol's base 0: "010" is 8 and "0x10"
	// 16 (checked on 11 and 15), not what the text says to anyone else.
	if len(num) > 1 && num[0] == '0' && num[1] >= '0' && num[1] <= '9' {
		return 0, fmt.Errorf("%q: PostgreSQL reads a number with a leading 0 as octal; write it without the 0", s)
	}
	if f < 0 {
		return 0, fmt.Errorf("%q: must not be negative", s)
	}
	if f*float64(scale) > float64(math.MaxInt64) {
		return 0, fmt.Errorf("%q is out of range", s)
	}
	return time.Duration(math.Round(f * float64(scale))), nil
}

// durationUnits are PostgreSQL's time units; "" is a bare number, in milliseconds.
var durationUnits = map[string]time.Duration{"": time.Millisecond, "us": time.Microsecond, "ms": time.Millisecond, "s": time.Second, "min": time.Minute, "h": time.Hour, "d": 24 * time.Hour}

// checkTimeout validates lock_timeout and statement_timeout for what the fixes write:
// PostgreSQL rounds to whole milliseconds and takes 0 as no timeout at all, so a
// lock_timeout of 0 would switch off the very guard its fix adds (and the finding
// stays), a value of either that rounds to 0 is not what it says, and one above
// 2147483647 ms is refused by the server. Fractions and exponents, and microseconds
// that are not whole milliseconds, need PostgreSQL 12.
func checkTimeout(s string, pgVersion int, zeroMeansNone bool) error {
	d, err := ParseDuration(s)
	if err != nil {
		return err
	}
	if d == 0 && !zeroMeansNone {
		return fmt.Errorf("%q: 0 turns the timeout off, so the fixes would not bound the wait (want at least \"1ms\")", s)
	}
	// PostgreSQL rounds a fraction of its unit half to even (rint): 0.5ms is 0.
	if d != 0 && math.RoundToEven(float64(d)/float64(time.Millisecond)) == 0 {
		return fmt.Errorf("%q rounds to 0 ms, which PostgreSQL takes as no timeout (want at least \"1ms\")", s)
	}
	if d.Milliseconds() > math.MaxInt32 {
		return fmt.Errorf("%q is above PostgreSQL's limit of 2147483647 ms", s)
	}
	if pgVersion < 12 && strings.ContainsAny(s, ".eE") {
		return fmt.Errorf("%q: PostgreSQL %d takes a whole number here (fractions from 12); use a smaller unit", s, pgVersion)
	}
	// Before 12 a value in a unit below the setting's (ms) must be whole milliseconds:
	// PostgreSQL 11 refuses "1500us".
	if pgVersion < 12 && d%time.Millisecond != 0 {
		return fmt.Errorf("%q: PostgreSQL %d takes only whole milliseconds here (fractions from 12)", s, pgVersion)
	}
	return nil
}

// Stats is the file `migsafe stats` writes.
type Stats struct {
	Version int                   `json:"version"`
	Tables  map[string]TableStats `json:"tables"`
}

// TableStats are one table's sizes.
type TableStats struct {
	Rows       int64 `json:"rows"`
	Bytes      int64 `json:"bytes"`
	IndexBytes int64 `json:"indexBytes"`
	Indexes    int   `json:"indexes"`
}

// loadStats reads the stats file relative to the config file; [tables] wins.
func (c *Config) loadStats() error {
	if c.StatsFile == "" || c.Path == "" {
		return nil
	}
	p := c.StatsFile
	if !filepath.IsAbs(p) {
		p = filepath.Join(filepath.Dir(c.Path), p)
	}
	data, err := regularfile.ReadFile(p)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return &Error{Path: p, Msg: readError(err)}
	}
	var st Stats
	if err := json.Unmarshal(data, &st); err != nil {
		return &Error{Path: p, Msg: "not a migsafe stats file: " + err.Error()}
	}
	for name, ts := range st.Tables {
		// A hand edit's -1 (reltuples' "never analysed") read as a table smaller than
		// empty; Collect counts such tables instead, so a stats file never holds one.
		if ts.Rows < 0 || ts.Bytes < 0 || ts.IndexBytes < 0 {
			return &Error{Path: p, Msg: fmt.Sprintf("table %q: rows, bytes and indexBytes must not be negative", name)}
		}
		key := TableKey(name)
		if _, ok := c.Tables[key]; !ok {
			c.Tables[key] = ts.Rows
		}
		c.TableBytes[key] = ts.Bytes
	}
	return nil
}

// TableKey reads a table name written in configuration or a stats file the way
// PostgreSQL reads SQL: unquoted parts fold to lower case, quoted ones keep their case
// ("Users" and users are two tables).
func TableKey(name string) string {
	return strings.Join(sqlast.SplitQualified(name), ".")
}

// Rows returns the known row count of a table named as syntax trees spell it (parts
// already folded), trying the name as written, then without schema, then with
// "public.".
func (c *Config) Rows(table string) (int64, bool) {
	if len(c.Tables) == 0 {
		// No sizes known, the common case: rules ask for every table a statement
		// touches, and the "public." lookup below built a string each time.
		return 0, false
	}
	if n, ok := c.Tables[table]; ok {
		return n, true
	}
	if i := strings.LastIndexByte(table, '.'); i >= 0 {
		if n, ok := c.Tables[table[i+1:]]; ok {
			return n, true
		}
	} else if n, ok := c.Tables["public."+table]; ok {
		return n, true
	}
	return 0, false
}

// ForFile finds and loads the config that governs a file (walking up from its
// directory), or the defaults when there is none.
func ForFile(path string, knownRule func(string) bool) (*Config, error) {
	p := Find(filepath.Dir(path))
	if p == "" {
		return Default(), nil
	}
	return Load(p, knownRule)
}

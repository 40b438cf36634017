package config

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/migsafe/migsafe/engine/migration"
	"github.com/migsafe/migsafe/engine/status"
)

func TestParseFull(t *testing.T) {
	text := `pg_version = 12
runner = "goose"
assume_large = false
small_table_rows = 500
lock_timeout = "2s"
replication_lag_seconds = 30
[tables]
users = "50M"
feature_flags = 40
"audit.events" = "1.5k"
Mixed_Case = 5
'"Quoted"' = 7
[rules]
disable = ["a"]
enable = ["b"]
[rules.status]
a = "block"
`
	c, err := Parse("migsafe.toml", []byte(text), nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.PGVersion != 12 || c.Runner != "goose" || c.AssumeLarge || c.SmallTableRows != 500 || c.LockTimeout != "2s" || c.ReplicationLagSeconds != 30 {
		t.Errorf("scalars: %+v", c)
	}
	// Keys are read as SQL names: unquoted ones fold to lower case, quoted ones keep
	// their case; Rows takes names as syntax trees spell them (already folded).
	for table, want := range map[string]int64{"users": 50_000_000, "public.users": 50_000_000, "feature_flags": 40, "audit.events": 1500, "mixed_case": 5, "Quoted": 7} {
		if n, ok := c.Rows(table); !ok || n != want {
			t.Errorf("Rows(%s) = %d, %v; want %d", table, n, ok, want)
		}
	}
	for _, table := range []string{"nope", "FEATURE_FLAGS", "quoted"} {
		if _, ok := c.Rows(table); ok {
			t.Errorf("Rows(%s): a table of another name has a size", table)
		}
	}
	if !c.Disable["a"] || !c.Enable["b"] || c.Status["a"] != status.Block {
		t.Errorf("rules: %+v %+v %+v", c.Disable, c.Enable, c.Status)
	}
}

func TestParseErrorsNameFileKeyAndExpectation(t *testing.T) {
	known := func(id string) bool { return id == "known-rule" }
	cases := map[string]string{
		"pg_version = 19":                      `migsafe.toml:1:14: pg_version: 19 is not a supported major (want 10 to 18)`,
		"pg_version = 9":                       `migsafe.toml:1:14: pg_version: 9 is not a supported major (want 10 to 18)`,
		`runner = "gose"`:                      `migsafe.toml:1:10: runner: unknown runner "gose" (want one of: plain, golang-migrate, goose, dbmate, flyway, sqitch, prisma, diesel)`,
		`orm = "rails5"`:                       `migsafe.toml:1:7: orm: unknown orm "rails5" (want one of: rails, django, alembic, knex, typeorm, sequelize, none)`,
		"[tables]\nusers = \"lots\"":           `migsafe.toml:2:9: tables.users: "lots" is not a row count`,
		"[rules]\ndisable = [\"nope\"]":        `migsafe.toml:2:12: rules.disable: unknown rule "nope"`,
		"[rules.status]\nknown-rule = \"red\"": `migsafe.toml:2:15: rules.status.known-rule: "red" is not a status (want PASS, FLAG or BLOCK)`,
		"[rules.status]\nknown-rule = 3":       `migsafe.toml:2:14: rules.status.known-rule: `,
		"[rules.status]\nnope = \"FLAG\"":      `migsafe.toml:2:1: rules.status.nope: unknown rule "nope"`,
		"lock_timeout = \"soon\"":              `migsafe.toml:1:16: lock_timeout: "soon" is not a duration`,
		"pg_versoin = 12":                      `migsafe.toml:1:1: pg_versoin: unknown key (known: pg_version, `,
		"pg_version = ":                        `migsafe.toml:1:`,
		"[rules]\nnosuch = 1":                  `migsafe.toml:2:1: rules.nosuch: unknown key (known: disable, enable, [rules.status])`,
		"[tables]\n  \"Users\" = -5":           `migsafe.toml:2:13: tables.Users: row count must not be negative`,
		"\n\nassume_large = \"yes\"":           `migsafe.toml:3:16: assume_large: wrong type: `,
	}
	for text, want := range cases {
		_, err := Parse("migsafe.toml", []byte(text), known)
		if err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("%q: error %v, want prefix %q", text, err, want)
		}
	}
}

func TestORMSetting(t *testing.T) {
	for text, want := range map[string]migration.Runner{`orm = "knex"`: migration.Knex, `orm = "none"`: migration.NoORM, "": ""} {
		c, err := Parse("migsafe.toml", []byte(text), nil)
		if err != nil || c.ORM != want {
			t.Errorf("%q: orm %q, %v; want %q", text, c.ORM, err, want)
		}
	}
}

func TestFindAndStats(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "db", "migrations")
	if err := os.MkdirAll(filepath.Join(dir, ".migsafe"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, FileName), []byte("[tables]\nusers = 10\n"), 0o644)
	os.WriteFile(filepath.Join(dir, ".migsafe", "stats.json"), []byte(`{"version":1,"tables":{"users":{"rows":999},"orders":{"rows":5000000,"bytes":123}}}`), 0o644)
	c, err := ForFile(filepath.Join(sub, "0001_x.up.sql"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := c.Rows("users"); n != 10 {
		t.Errorf("[tables] must win over stats: users = %d", n)
	}
	if n, _ := c.Rows("orders"); n != 5_000_000 {
		t.Errorf("stats orders = %d", n)
	}
	os.WriteFile(filepath.Join(dir, ".migsafe", "stats.json"), []byte(`{broken`), 0o644)
	if _, err := ForFile(filepath.Join(sub, "x.sql"), nil); err == nil || !strings.Contains(err.Error(), "stats.json") {
		t.Errorf("broken stats: %v", err)
	}
}

// Durations are read as PostgreSQL reads lock_timeout, since the fixes write the text
// into SET as it is: each accepted value here was checked with SET lock_timeout on
// PostgreSQL 15, and each refused one fails there ("5m": invalid value for parameter;
// "-5s": outside the valid range), or in a fix ("0" turns the timeout off).
func TestDurationsAreWhatPostgreSQLTakes(t *testing.T) {
	for in, want := range map[string]time.Duration{
		"5s": 5 * time.Second, "500ms": 500 * time.Millisecond, "1min": time.Minute, "1d": 24 * time.Hour,
		"5 s": 5 * time.Second, " 5s ": 5 * time.Second, "500": 500 * time.Millisecond, "1.5s": 1500 * time.Millisecond,
		"2h": 2 * time.Hour, "0": 0,
	} {
		if d, err := ParseDuration(in); err != nil || d != want {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v", in, d, err, want)
		}
	}
	for _, in := range []string{"5m", "1h30m", "5S", "5sec", "5ns", "-5s", "", "s", "NaN", "0x10s", "1_000ms"} {
		if d, err := ParseDuration(in); err == nil {
			t.Errorf("ParseDuration(%q) = %v, want an error", in, d)
		}
	}
	cases := map[string]string{
		`lock_timeout = "5m"`:                      `migsafe.toml:1:16: lock_timeout: "5m" is not a duration (want a number and a unit as PostgreSQL takes them: us, ms, s, min, h or d`,
		`lock_timeout = "-5s"`:                     `migsafe.toml:1:16: lock_timeout: "-5s": must not be negative`,
		`lock_timeout = "0"`:                       `migsafe.toml:1:16: lock_timeout: "0": 0 turns the timeout off`,
		`statement_timeout = "5us"`:                `migsafe.toml:1:21: statement_timeout: "5us" rounds to 0 ms`,
		`lock_timeout = "30d"`:                     `migsafe.toml:1:16: lock_timeout: "30d" is above PostgreSQL's limit of 2147483647 ms`,
		"pg_version = 11\nlock_timeout = \"1.5s\"": `migsafe.toml:2:16: lock_timeout: "1.5s": PostgreSQL 11 takes a whole number here`,
		`batch_pause = "-50ms"`:                    `migsafe.toml:1:15: batch_pause: "-50ms": must not be negative`,
	}
	for text, want := range cases {
		if _, err := Parse("migsafe.toml", []byte(text), nil); err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("%q: error %v, want prefix %q", text, err, want)
		}
	}
	for _, text := range []string{`lock_timeout = "2 s"`, `statement_timeout = "0"`, `batch_pause = "0"`, "pg_version = 12\nlock_timeout = \"1.5s\""} {
		if _, err := Parse("migsafe.toml", []byte(text), nil); err != nil {
			t.Errorf("%q: %v", text, err)
		}
	}
}

// A config or stats file that is a named pipe is an error naming it, at once: read as
// a file, a FIFO named migsafe.toml blocked every check below it for ever.
func TestConfigThatIsAPipe(t *testing.T) {
	dir := t.TempDir()
	toml := filepath.Join(dir, FileName)
	if err := syscall.Mkfifo(toml, 0o644); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	done := make(chan error, 1)
	go func() { _, err := ForFile(filepath.Join(dir, "0001_a.sql"), nil); done <- err }()
	select {
	case err := <-done:
		if want := toml + ": a named pipe (FIFO), not a regular file: migsafe reads only regular files here"; err == nil || err.Error() != want {
			t.Errorf("config FIFO: %v, want %q", err, want)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("reading a FIFO config blocked")
	}
	os.Remove(toml)
	os.WriteFile(toml, []byte("stats_file = \"stats.json\"\n"), 0o644)
	if err := syscall.Mkfifo(filepath.Join(dir, "stats.json"), 0o644); err != nil {
		t.Fatal(err)
	}
	go func() { _, err := ForFile(filepath.Join(dir, "0001_a.sql"), nil); done <- err }()
	select {
	case err := <-done:
		if err == nil || err.Error() != filepath.Join(dir, "stats.json")+": a named pipe (FIFO), not a regular file: migsafe reads only regular files here" {
			t.Errorf("stats FIFO: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("reading a FIFO stats file blocked")
	}
}

// TestRowsWithoutSizesAllocatesNothing: with no table sizes configured, a lookup
// builds no "public." name (rules ask for every table every statement touches).
func TestRowsWithoutSizesAllocatesNothing(t *testing.T) {
	c := Default()
	name := "a_table_name_long_enough_to_leave_the_stack_buffer"
	if n := testing.AllocsPerRun(100, func() { c.Rows(name) }); n != 0 {
		t.Errorf("Rows allocates %v times per call with no sizes configured, want 0", n)
	}
	if _, ok := c.Rows(name); ok {
		t.Error("Rows found a size with none configured")
	}
}

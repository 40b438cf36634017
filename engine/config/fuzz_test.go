package config

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParse reads arbitrary migsafe.toml text: no panic; an error is a *Error naming
// the file, located (when it is) on a line of the text; a config it accepts holds
// only sizes a row estimate can use (no negative row counts, no NaN or infinite
// replication lag), since the estimates multiply them without looking again.
func FuzzParse(f *testing.F) {
	for _, p := range []string{"../../examples/migsafe.toml", "../../testdata/runbook/fk/migsafe.toml"} {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(string(data))
		}
	}
	for _, s := range []string{
		"pg_version = 12\nrunner = \"goose\"\nassume_large = false\nsmall_table_rows = 500\nlock_timeout = \"2s\"\n",
		"statement_timeout = \"1min\"\nbatch_size = 100\nbatch_pause = \"10ms\"\nreplication_lag_seconds = 5.5\n",
		"[tables]\nusers = \"12M\"\n\"public.orders\" = 1_000\nx = 1.5e3\n",
		"[rules]\ndisable = [\"adding-index-non-concurrently\"]\n[rules.status]\nx = \"warning\"\n",
		"migration_globs = [\"db/*.sql\"]\ncode_paths = [\"app\"]\ncode_exclude = [\"vendor\"]\n",
		"deployed_through = \"20240101000000\"\nstats_file = \"s.json\"\norm = \"none\"\n",
		"pg_version = \"x\"\n",
		"[rules]\ndisable = [\"nope\"]\n",
		"a.b = 1\n[x\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		const path = "/nonexistent/migsafe.toml" // stats_file stays unread
		c, err := Parse(path, []byte(text), func(id string) bool { return id != "nope" })
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Path != path {
				t.Fatalf("error %v (%T) does not name the file", err, err)
			}
			if e.Line < 0 || e.Line > strings.Count(text, "\n")+1 {
				t.Fatalf("error %v: line %d outside the text", err, e.Line)
			}
			return
		}
		for name, n := range c.Tables {
			if n < 0 {
				t.Fatalf("table %q: row count %d accepted", name, n)
			}
		}
		if l := c.ReplicationLagSeconds; math.IsNaN(l) || math.IsInf(l, 0) || l <= 0 {
			t.Fatalf("replication_lag_seconds %v accepted", l)
		}
	})
}

// FuzzStats reads arbitrary stats-file text (what `migsafe stats` writes, or a hand
// edit of it): no panic; an error names the stats file; accepted sizes are not negative.
func FuzzStats(f *testing.F) {
	f.Add(`{"version":1,"tables":{"public.users":{"rows":12000000,"bytes":1073741824,"indexBytes":5}}}`)
	f.Add(`{"version":1,"tables":{"users":{"rows":99999999999999999999}}}`)
	f.Add(`{"tables":{"users":{"rows":1e3}}}`)
	f.Add(`[]`)
	f.Fuzz(func(t *testing.T, text string) {
		dir := t.TempDir()
		stats := filepath.Join(dir, "stats.json")
		if err := os.WriteFile(stats, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		c, err := Parse(filepath.Join(dir, "migsafe.toml"), []byte(`stats_file = "stats.json"`), nil)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Path != stats {
				t.Fatalf("error %v does not name the stats file", err)
			}
			return
		}
		for name, n := range c.Tables {
			if n < 0 || c.TableBytes[name] < 0 {
				t.Fatalf("table %q: rows %d, bytes %d accepted", name, n, c.TableBytes[name])
			}
		}
	})
}

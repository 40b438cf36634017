package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestTraceExitsOneWhenAStatementFails: a traced statement that fails makes the trace
// exit 1 (the migration would fail), says where it would stop, and lists the
// transaction control it did not run.
func TestTraceExitsOneWhenAStatementFails(t *testing.T) {
	needTracePostgres(t)
	dir := writeTree(t, map[string]string{
		"0001_x.sql": "BEGIN;\nCREATE TABLE ok (id int);\nALTER TABLE missing ADD COLUMN c int;\nCOMMIT;\n",
	})
	out, errOut, code := run(t, dir, "", "trace", "0001_x.sql")
	if code != 1 {
		t.Fatalf("exit %d, want 1\n%s\n%s", code, out, errOut)
	}
	for _, want := range []string{
		`relation "missing" does not exist`,
		"0001_x.sql: 1 statement failed: the migration would stop at line 3",
		"0001_x.sql:1: BEGIN;\n  skipped: transaction control",
		"0001_x.sql:4: COMMIT;\n  skipped: transaction control",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	fine := writeTree(t, map[string]string{"0001_y.sql": "CREATE TABLE fine (id int);\n"})
	if out, _, code := run(t, fine, "", "trace", "0001_y.sql"); code != 0 {
		t.Errorf("a trace with no failure exits %d\n%s", code, out)
	}
}

// TestTraceDSNErrorsAreRedactedStructurally: a connection failure names the target
// from the parsed DSN, without its password, and leaves the rest of the message
// intact (a one-character password used to be replaced everywhere it occurred).
func TestTraceDSNErrorsAreRedactedStructurally(t *testing.T) {
	dir := writeTree(t, map[string]string{"0001_x.sql": "SELECT 1;\n"})
	for _, dsn := range []string{
		"host=/nonexistent-migsafe user=app password=a dbname=app",
		"host=/nonexistent-migsafe user=app password=p@ss:w/rd dbname=app",
	} {
		out, errOut, code := run(t, dir, "", "trace", "--dsn", dsn, "0001_x.sql")
		if code != 2 {
			t.Errorf("%s: exit %d, want 2\n%s", dsn, code, out)
		}
		if !strings.Contains(errOut, "user=app database=app") || !strings.Contains(errOut, "/nonexistent-migsafe") || strings.Contains(errOut, "password") || strings.Contains(errOut, "p@ss") {
			t.Errorf("%s: error %q", dsn, errOut)
		}
	}
	_, errOut, code := run(t, dir, "", "trace", "--dsn", "postgres://app:p@ss@localhost/app", "0001_x.sql")
	if code != 2 || !strings.Contains(errOut, "percent-encode") || strings.Contains(errOut, "p@ss") {
		t.Errorf("ambiguous DSN: exit %d, %q", code, errOut)
	}
}

// TestTraceCleansUpOnSignals: SIGTERM (a CI timeout) and SIGHUP stop the throwaway
// cluster and remove its directory, as SIGINT does, and the exit code says which
// signal it was.
func TestTraceCleansUpOnSignals(t *testing.T) {
	needTracePostgres(t)
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGHUP, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) {
			dir := writeTree(t, map[string]string{"0001_slow.sql": "CREATE TABLE t (id int);\nSELECT pg_sleep(60);\n"})
			// The cluster's directory goes under this TMPDIR, where the test can see
			// it; it must be traversable by the unprivileged server user.
			tmp, err := os.MkdirTemp("", "migsafe-signal-")
			if err != nil {
				t.Fatal(err)
			}
			defer os.RemoveAll(tmp)
			if err := os.Chmod(tmp, 0o755); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(binary, "trace", "0001_slow.sql")
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), "TMPDIR="+tmp)
			var out strings.Builder
			cmd.Stdout, cmd.Stderr = &out, &out
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			// Wait until the server runs (its pid file exists), then for the sleep.
			deadline := time.Now().Add(60 * time.Second)
			for {
				if m, _ := filepath.Glob(filepath.Join(tmp, "migsafe-pg-*", "data", "postmaster.pid")); len(m) > 0 {
					break
				}
				if time.Now().After(deadline) {
					cmd.Process.Kill()
					t.Fatalf("no cluster started under %s\n%s", tmp, out.String())
				}
				time.Sleep(20 * time.Millisecond)
			}
			time.Sleep(500 * time.Millisecond)
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			select {
			case <-done:
			case <-time.After(30 * time.Second):
				cmd.Process.Kill()
				t.Fatalf("trace still running 30s after %v\n%s", sig, out.String())
			}
			if code := cmd.ProcessState.ExitCode(); code != 128+int(sig) {
				t.Errorf("exit %d after %v, want %d\n%s", code, sig, 128+int(sig), out.String())
			}
			if left, _ := filepath.Glob(filepath.Join(tmp, "migsafe-pg-*")); len(left) > 0 {
				t.Errorf("left behind after %v: %v", sig, left)
			}
			if !strings.Contains(out.String(), "interrupted by") {
				t.Errorf("no word of the interruption:\n%s", out.String())
			}
		})
	}
}

// Usage errors exit 2 before any cluster starts, each saying what is wrong: a bad
// --format printed the usage alone, a negative --seed-rows was taken, and a missing
// file was named twice, after the clusters of the files before it had run.
func TestTraceUsageErrorsNameTheProblem(t *testing.T) {
	dir := writeTree(t, map[string]string{"0001_x.sql": "SELECT 1;\n", "sub/0001_y.sql": "SELECT 1;\n"})
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--format", "yaml", "0001_x.sql"}, "migsafe trace: --format \"yaml\": want text or json\n"},
		{[]string{"--seed-rows", "-5", "0001_x.sql"}, "migsafe trace: --seed-rows -5: must not be negative\n"},
		{[]string{"0001_x.sql", "gone.sql"}, "migsafe trace: gone.sql: stat: no such file or directory\n"},
		{[]string{"sub"}, "migsafe trace: sub: is a directory: trace takes migration files\n"},
	} {
		out, stderr, code := run(t, dir, "", append([]string{"trace"}, c.args...)...)
		if code != 2 || out != "" || stderr != c.want {
			t.Errorf("trace %v: exit %d, stdout %q, stderr %q; want 2 and %q", c.args, code, out, stderr, c.want)
		}
	}
}

package main

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/migsafe/migsafe/engine/config"
	"github.com/migsafe/migsafe/internal/pgcluster/pgtest"
)

// captureTraceStdout runs f with os.Stdout redirected and returns what it wrote.
func captureTraceStdout(t *testing.T, f func() int) (string, int) {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	old := os.Stdout
	os.Stdout = w
	done := make(chan []byte)
	go func() { b, _ := io.ReadAll(r); done <- b }()
	code := f()
	os.Stdout = old
	w.Close()
	return string(<-done), code
}

func needTracePostgres(t *testing.T) {
	t.Helper()
	pgtest.Need(t, 15)
}

func TestTraceCommandJSON(t *testing.T) {
	needTracePostgres(t)
	out, code := captureTraceStdout(t, func() int {
		return runTrace([]string{"--format", "json", "--seed-rows", "1000", "../../testdata/trace/basic/0002_orders_changes.up.sql"})
	})
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, out)
	}
	var doc struct {
		Version int
		Traces  []struct {
			Statements []struct {
				Locks []struct{ Relation, Mode string }
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if doc.Version != 1 || len(doc.Traces) != 1 || len(doc.Traces[0].Statements) != 3 {
		t.Errorf("unexpected document: %s", out)
	}
}

func TestTraceCommandRoundtripFindsForgottenIndex(t *testing.T) {
	needTracePostgres(t)
	out, code := captureTraceStdout(t, func() int {
		return runTrace([]string{"--roundtrip", "../../testdata/trace/roundtrip/forgetful/0002_orders_changes.up.sql"})
	})
	if code != 1 {
		t.Errorf("exit %d, want 1 for a down that leaves an index behind\n%s", code, out)
	}
	_, code = captureTraceStdout(t, func() int {
		return runTrace([]string{"--roundtrip", "../../testdata/trace/roundtrip/good/0002_orders_changes.up.sql"})
	})
	if code != 0 {
		t.Errorf("exit %d, want 0 for a correct down", code)
	}
}

func TestTraceCommandRefusesRemoteDSN(t *testing.T) {
	_, code := captureTraceStdout(t, func() int {
		return runTrace([]string{"--dsn", "postgres://u:p@db.example/x", "../../testdata/trace/basic/0002_orders_changes.up.sql"})
	})
	if code != 2 {
		t.Errorf("exit %d, want 2", code)
	}
}

func TestStatsCommand(t *testing.T) {
	c, conn := pgtest.Connect(t, 15)
	ctx := context.Background()
	if _, err := conn.Exec(ctx, "CREATE TABLE t AS SELECT g AS id FROM generate_series(1, 500) g"); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "stats.json")
	if code := runStats([]string{"--dsn", c.DSN(), "--out", out}); code != 0 {
		t.Fatalf("exit %d", code)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var st config.Stats
	if err := json.Unmarshal(data, &st); err != nil {
		t.Fatal(err)
	}
	if st.Version != 1 || st.Tables["public.t"].Rows != 500 {
		t.Errorf("stats = %+v", st)
	}
}

func TestCheckVerifyRollback(t *testing.T) {
	needTracePostgres(t)
	root, err := filepath.Abs("../../testdata/trace/roundtrip")
	if err != nil {
		t.Fatal(err)
	}
	// A down that forgets the index the up created: BLOCK, exit 1.
	out, stderr, code := run(t, root, "", "check", "--verify-rollback", "--fail-on", "never", "--format", "json", "forgetful/0002_orders_changes.up.sql")
	r := decode(t, out)
	if code != 0 || len(r.Files) != 1 || r.Files[0].Verdict != "BLOCK" {
		t.Fatalf("forgetful: exit %d, %+v, stderr %s", code, r.Files, stderr)
	}
	var rollback string
	for _, e := range r.Files[0].Errors {
		if e.Kind == "rollback" {
			rollback = e.Message
		}
	}
	if !strings.Contains(rollback, "orders_created_at_idx") || !strings.Contains(rollback, "left behind by down") {
		t.Errorf("forgetful: rollback error %q, want the index left behind", rollback)
	}
	// Without the flag no database is touched and the static rules speak alone.
	out, _, _ = run(t, root, "", "check", "--format", "json", "forgetful/0002_orders_changes.up.sql")
	for _, e := range decode(t, out).Files[0].Errors {
		if e.Kind == "rollback" {
			t.Errorf("rollback checked without --verify-rollback: %s", e.Message)
		}
	}
	// A down that restores the schema adds nothing.
	out, stderr, code = run(t, root, "", "check", "--verify-rollback", "--fail-on", "never", "--format", "json", "good/0002_orders_changes.up.sql")
	for _, e := range decode(t, out).Files[0].Errors {
		if e.Kind == "rollback" {
			t.Errorf("good: unexpected rollback error %s (stderr %s, exit %d)", e.Message, stderr, code)
		}
	}
}

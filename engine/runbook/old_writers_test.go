package runbook_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/migsafe/migsafe/codeactions"
	"github.com/migsafe/migsafe/engine"
	"github.com/migsafe/migsafe/engine/migration"
	"github.com/migsafe/migsafe/engine/runbook"
	"github.com/migsafe/migsafe/internal/pgcluster/pgtest"
)

// The safe plans that make a new column NOT NULL run while the application code of
// the deploy before keeps inserting rows that do not name the column, with random
// (uuid) keys, so that its rows land behind the backfill's key cursor as well as after
// the backfill. A plan is safe when none of those inserts fails and it ends with the
// column NOT NULL and no NULL in it. Rows of old code that the backfill never reached,
// or that came after it, made VALIDATE fail; a CHECK (col IS NOT NULL) NOT VALID added
// while old code runs refused its inserts.
//
// The writer is the old code until the plan's contract phases (pending until the code
// has shipped): it stops before them. Outcomes are asserted, not durations: between two
// phases the test waits for the writer to have inserted rows, so each gap sees some.
func TestNotNullPlansUnderOldWriters(t *testing.T) {
	cases := []struct {
		name, up, column string
		// fill does what the plan's migsafe:todo asks: the value for the column.
		fill func(string) string
		// keepsDefault: the column ends with a DEFAULT (the migration's, or the one the
		// in-file fix leaves for the code still running).
		keepsDefault bool
		// inFile: the fix written into the migration itself (runner plain, psql -f),
		// run statement by statement; else the runbook's phases.
		inFile bool
		// email is the type of users.email, which the old code writes.
		email string
		down  string
	}{
		{name: "required column", up: "ALTER TABLE users ADD COLUMN phone text NOT NULL;\n", column: "phone",
			fill: fillPhone},
		{name: "volatile default", up: "ALTER TABLE users ADD COLUMN token uuid NOT NULL DEFAULT gen_random_uuid();\n", column: "token",
			fill: func(sql string) string { return sql }, keepsDefault: true},
		{name: "required column in file", up: "ALTER TABLE users ADD COLUMN phone text NOT NULL;\n", column: "phone",
			fill: fillPhone, keepsDefault: true, inFile: true},
		// Expand/contract: the new column's NOT VALID check comes with the trigger that
		// fills it from the column old code writes.
		{name: "rename", up: "ALTER TABLE users RENAME COLUMN email TO mail;\n", column: "mail",
			down: "ALTER TABLE users RENAME COLUMN mail TO email;\n", email: "text NOT NULL",
			fill: func(sql string) string { return sql }},
	}
	cluster, conn := pgtest.Connect(t, 15)
	ctx := context.Background()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.email == "" {
				tc.email = "text"
			}
			if tc.down == "" {
				tc.down = "ALTER TABLE users DROP COLUMN " + tc.column + ";\n"
			}
			table := "CREATE TABLE users (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), email " + tc.email + ");"
			set := t.TempDir()
			toml := "deployed_through = \"000001\"\nbatch_size = 500\nbatch_pause = \"10ms\"\n"
			if tc.inFile {
				toml += "runner = \"plain\"\n"
			}
			for name, text := range map[string]string{
				"000001_users.up.sql":    table + "\n",
				"000002_column.up.sql":   tc.up,
				"000002_column.down.sql": tc.down,
				"migsafe.toml":           toml,
			} {
				if err := os.WriteFile(filepath.Join(set, name), []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			res := Analyze(t, set)
			var steps []runbook.Phase
			if tc.inFile {
				fixed, err := engine.FixFile(res.File.Path, res.File.Source.Text, res.Config, engine.FixOptions{FS: caseFS(set), History: res.History})
				if err != nil {
					t.Fatal(err)
				}
				if !strings.Contains(fixed.After.File.Source.Text, "migsafe:batch-job") {
					t.Fatalf("the fix in the file has no backfill:\n%s", fixed.After.File.Source.Text)
				}
				for _, st := range fixed.After.Statements {
					if st.Stmt.Section == migration.Up && st.Stmt.Node != nil {
						steps = append(steps, runbook.Phase{Path: fmt.Sprintf("%s@%d", res.File.Path, st.Stmt.Start), SQL: st.Stmt.Text})
					}
				}
			} else {
				steps = runbook.Build(res, runbook.Options{Now: day}).Phases
			}
			if len(steps) < 2 {
				t.Fatalf("%d steps, want the plan's: %+v", len(steps), steps)
			}
			if _, err := conn.Exec(ctx, "DROP TABLE IF EXISTS users; DROP TABLE IF EXISTS migsafe_batch_progress;"+
				table+
				"INSERT INTO users (email) SELECT 'u' || g FROM generate_series(1, 30000) g"); err != nil {
				t.Fatal(err)
			}

			w := startOldWriter(t, cluster.DSN())
			var contract []string
			for i, ph := range steps {
				sql := ph.SQL
				if codeactions.IsPending(sql) {
					pd, err := codeactions.ParsePending(ph.Path, sql)
					if err != nil {
						t.Fatal(err)
					}
					contract = append(contract, pd.Phase.Up)
					continue
				}
				w.waitFor(t, 20)
				if _, err := conn.Exec(ctx, tc.fill(sql)); err != nil {
					w.stop()
					t.Fatalf("step %d (%s) failed with old code inserting (%d rows inserted, %d refused, first: %v): %v\n%s",
						i+1, ph.Path, w.done.Load(), w.failed.Load(), w.firstErr, err, tc.fill(sql))
				}
			}
			w.waitFor(t, 20)
			w.stop()
			if n := w.failed.Load(); n > 0 {
				t.Errorf("%d of the old code's %d inserts failed during the plan; first: %v", n, n+w.done.Load(), w.firstErr)
			}
			for _, sql := range contract {
				if _, err := conn.Exec(ctx, tc.fill(sql)); err != nil {
					t.Fatalf("contract phase: %v\n%s", err, sql)
				}
			}

			var nulls, rows int64
			var notNull, hasDefault bool
			var checks int
			if err := conn.QueryRow(ctx, fmt.Sprintf("SELECT count(*) FILTER (WHERE %s IS NULL), count(*) FROM users", tc.column)).Scan(&nulls, &rows); err != nil {
				t.Fatal(err)
			}
			if err := conn.QueryRow(ctx, "SELECT attnotnull, atthasdef FROM pg_attribute WHERE attrelid = 'users'::regclass AND attname = $1", tc.column).Scan(&notNull, &hasDefault); err != nil {
				t.Fatal(err)
			}
			if err := conn.QueryRow(ctx, "SELECT count(*) FROM pg_constraint WHERE conrelid = 'users'::regclass AND contype = 'c'").Scan(&checks); err != nil {
				t.Fatal(err)
			}
			if nulls != 0 || !notNull {
				t.Errorf("after the plan: %d of %d rows with %s NULL, NOT NULL %v; want none, true", nulls, rows, tc.column, notNull)
			}
			if checks != 0 {
				t.Errorf("%d CHECK constraints left on users, want the plan's dropped", checks)
			}
			if hasDefault != tc.keepsDefault {
				t.Errorf("%s has a DEFAULT: %v, want %v (as the migration wrote it)", tc.column, hasDefault, tc.keepsDefault)
			}
			if rows <= 30000 {
				t.Errorf("%d rows: the old code inserted none", rows)
			}
		})
	}
}

// fillPhone does what the required column's plans ask: a value for phone, in the
// DEFAULT they set (and in the batch job's fill, where the plans wrote one before the
// DEFAULT came first).
func fillPhone(sql string) string {
	return strings.NewReplacer("fill constant text := NULL;", "fill constant text := 'unknown';",
		"SET DEFAULT NULL;", "SET DEFAULT 'unknown';").Replace(sql)
}

// oldWriter is application code of the deploy before: it inserts rows without the new
// column, keys from the column's default (random uuids), until stopped.
type oldWriter struct {
	done, failed atomic.Int64
	firstErr     error
	cancel       context.CancelFunc
	wg           sync.WaitGroup
}

func startOldWriter(t *testing.T, dsn string) *oldWriter {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	w := &oldWriter{cancel: cancel}
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		defer conn.Close(context.Background())
		for ctx.Err() == nil {
			if _, err := conn.Exec(ctx, "INSERT INTO users (email) VALUES ('old code')"); err != nil {
				if ctx.Err() != nil {
					return
				}
				if w.failed.Add(1) == 1 {
					w.firstErr = err
				}
				continue
			}
			w.done.Add(1)
		}
	}()
	t.Cleanup(w.stop)
	return w
}

// waitFor returns once the writer has inserted n more rows (or failed n more times).
func (w *oldWriter) waitFor(t *testing.T, n int64) {
	t.Helper()
	from := w.done.Load() + w.failed.Load()
	deadline := time.Now().Add(time.Minute)
	for w.done.Load()+w.failed.Load() < from+n {
		if time.Now().After(deadline) {
			t.Fatalf("the writer made no progress in a minute (%d inserted)", w.done.Load())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// stop ends the writer and waits for it; firstErr may be read after.
func (w *oldWriter) stop() {
	w.cancel()
	w.wg.Wait()
}

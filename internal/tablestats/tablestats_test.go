package tablestats

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/migsafe/migsafe/engine/config"
	"github.com/migsafe/migsafe/internal/pgcluster/pgtest"
)

func TestCollectIsReadByConfig(t *testing.T) {
	_, conn := pgtest.Connect(t, 15)
	ctx := context.Background()
	_, err := conn.PgConn().Exec(ctx, `
CREATE TABLE users (id bigint PRIMARY KEY, email text UNIQUE);
INSERT INTO users SELECT g, 'u' || g FROM generate_series(1, 1234) g;
CREATE SCHEMA billing;
CREATE TABLE billing.invoices (id int);
`).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	st, notes, err := Collect(ctx, conn)
	if err != nil || len(notes) != 0 {
		t.Fatal(err, notes)
	}
	u, ok := st.Tables["public.users"]
	if !ok {
		t.Fatalf("no public.users in %v", st.Tables)
	}
	if u.Rows != 1234 || u.Indexes != 2 || u.Bytes <= 0 || u.IndexBytes <= 0 {
		t.Errorf("users = %+v, want 1234 rows, 2 indexes, some bytes", u)
	}
	if inv := st.Tables["billing.invoices"]; inv.Rows != 0 || inv.Indexes != 0 {
		t.Errorf("billing.invoices = %+v", inv)
	}
	if len(st.Tables) != 2 {
		t.Errorf("tables = %v, want only the two user tables", st.Tables)
	}

	// The file is what engine/config reads: a migration mentioning users gets its size.
	dir := t.TempDir()
	data, _ := json.Marshal(st)
	if err := os.MkdirAll(filepath.Join(dir, ".migsafe"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, ".migsafe", "stats.json"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "migsafe.toml"), []byte("pg_version = 15\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(filepath.Join(dir, "migsafe.toml"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if n, ok := cfg.Rows("users"); !ok || n != 1234 {
		t.Errorf("config Rows(users) = %d, %v; want 1234", n, ok)
	}
}

// A partitioned parent stores nothing itself (pg_table_size 0, reltuples -1 until the
// parent is analysed) yet an ALTER TABLE on it works on every partition: its size is
// the sum of its leaves, and the partitions keep their own entries.
func TestCollectPartitionedParentIsItsLeaves(t *testing.T) {
	_, conn := pgtest.Connect(t, 15)
	ctx := context.Background()
	_, err := conn.PgConn().Exec(ctx, `
CREATE TABLE events (id bigint, created date NOT NULL) PARTITION BY RANGE (created);
CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01') PARTITION BY RANGE (created);
CREATE TABLE events_2026h1 PARTITION OF events_2026 FOR VALUES FROM ('2026-01-01') TO ('2026-07-01');
INSERT INTO events SELECT g, date '2025-01-01' + (g % 500) FROM generate_series(1, 3000) g;
CREATE INDEX ON events (created);
`).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	st, _, err := Collect(ctx, conn)
	if err != nil {
		t.Fatal(err)
	}
	parent, ok := st.Tables["public.events"]
	if !ok {
		t.Fatalf("no public.events in %v", st.Tables)
	}
	a, b := st.Tables["public.events_2025"], st.Tables["public.events_2026h1"]
	if parent.Rows != 3000 || a.Rows+b.Rows != 3000 || a.Rows == 0 || b.Rows == 0 {
		t.Errorf("events %d rows, leaves %d + %d; want 3000 = the sum", parent.Rows, a.Rows, b.Rows)
	}
	if parent.Bytes != a.Bytes+b.Bytes || parent.Bytes == 0 || parent.IndexBytes != a.IndexBytes+b.IndexBytes || parent.Indexes != 1 {
		t.Errorf("events = %+v, leaves %+v and %+v: want the leaves' bytes summed and the parent's one index", parent, a, b)
	}
	if mid := st.Tables["public.events_2026"]; mid.Rows != b.Rows || mid.Bytes != b.Bytes {
		t.Errorf("events_2026 (partitioned, one leaf) = %+v, want its leaf's %+v", mid, b)
	}
}

// A role that sees the catalog but may not read a table still gets the other tables'
// sizes: the unreadable one keeps the planner's estimate, or is left out with a note.
func TestCollectWithoutSelectRights(t *testing.T) {
	_, conn := pgtest.Connect(t, 15)
	ctx := context.Background()
	_, err := conn.PgConn().Exec(ctx, `
CREATE TABLE open_t (id int);
INSERT INTO open_t SELECT generate_series(1, 10);
CREATE TABLE analysed_t (id int);
INSERT INTO analysed_t SELECT generate_series(1, 20);
ANALYZE analysed_t;
CREATE TABLE secret_t (id int);
INSERT INTO secret_t SELECT generate_series(1, 30);
CREATE ROLE stats_reader;
GRANT SELECT ON open_t TO stats_reader;
SET ROLE stats_reader;
`).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	st, notes, err := Collect(ctx, conn)
	if err != nil {
		t.Fatal(err)
	}
	if n := st.Tables["public.open_t"].Rows; n != 10 {
		t.Errorf("open_t %d rows, want 10 (counted)", n)
	}
	if n := st.Tables["public.analysed_t"].Rows; n != 20 {
		t.Errorf("analysed_t %d rows, want the estimate 20", n)
	}
	if ts, ok := st.Tables["public.secret_t"]; ok {
		t.Errorf("secret_t = %+v, want it left out (never analysed, not readable)", ts)
	}
	if len(notes) != 2 || !strings.Contains(notes[0], "analysed_t") || !strings.Contains(notes[1], "secret_t: left out") {
		t.Errorf("notes = %q", notes)
	}
}

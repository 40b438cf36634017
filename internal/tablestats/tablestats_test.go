package tablestats

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
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
	st, err := Collect(ctx, conn)
	if err != nil {
		t.Fatal(err)
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

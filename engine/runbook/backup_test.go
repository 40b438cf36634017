package runbook_test

import (
	"context"
	"testing"

	"github.com/migsafe/migsafe/engine"
	"github.com/migsafe/migsafe/engine/config"
	"github.com/migsafe/migsafe/engine/runbook"
	"github.com/migsafe/migsafe/internal/pgcluster/pgtest"
)

// TestBackupsOfOneTable: two columns of one table dropped by one migration get two
// backups with their own names; on PostgreSQL both CREATE TABLE ... AS succeed and
// each verification query returns ok (with one name for both, the second fails).
func TestBackupsOfOneTable(t *testing.T) {
	cfg := config.Default()
	cfg.Tables = map[string]int64{"users": 100}
	up := "ALTER TABLE users DROP COLUMN nickname;\nALTER TABLE users DROP COLUMN legacy_flags;\n"
	rb := runbook.Build(engine.Analyze("000002_drop.up.sql", up, cfg, engine.Options{}), runbook.Options{Now: day})
	if len(rb.Backups) != 2 {
		t.Fatalf("%d backups, want 2: %+v", len(rb.Backups), rb.Backups)
	}
	if a, b := rb.Backups[0].Target, rb.Backups[1].Target; a == b || a != "users_nickname_backup_20240301" || b != "users_legacy_flags_backup_20240301" {
		t.Errorf("backup targets %q and %q", a, b)
	}

	_, conn := pgtest.Connect(t, cfg.PGVersion)
	ctx := context.Background()
	if _, err := conn.Exec(ctx, "CREATE TABLE users (id bigint PRIMARY KEY, nickname text, legacy_flags int);"+
		"INSERT INTO users SELECT g, 'n' || g, g FROM generate_series(1, 3) g"); err != nil {
		t.Fatal(err)
	}
	for _, b := range rb.Backups {
		if b.Method != "table" {
			t.Fatalf("%s: method %s, want table", b.Reason, b.Method)
		}
		if _, err := conn.Exec(ctx, b.Take); err != nil {
			t.Fatalf("%s: %v", b.Take, err)
		}
		var ok bool
		var detail string
		if err := conn.QueryRow(ctx, b.Check.SQL).Scan(&ok, &detail); err != nil || !ok {
			t.Errorf("%s: ok=%v %s %v", b.Check.SQL, ok, detail, err)
		}
	}
}

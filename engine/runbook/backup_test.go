package runbook_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/migsafe/migsafe/engine"
	"github.com/migsafe/migsafe/engine/config"
	"github.com/migsafe/migsafe/engine/runbook"
	"github.com/migsafe/migsafe/internal/pgcluster"
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

// A table too large to copy in the database is backed up with \copy to a file. Its
// column restore was "UPDATE ... FROM a table loaded from <file> b ...", which is not
// SQL; it now loads the file into a temporary table and joins on the key. Run through
// psql on PostgreSQL: take, drop (the up), re-add (the down), restore gives the
// values back.
func TestCopyBackupRestores(t *testing.T) {
	psql, err := exec.LookPath("psql")
	if err != nil {
		t.Skip("no psql")
	}
	set := t.TempDir()
	for name, text := range map[string]string{
		"000001_users.up.sql":  "CREATE TABLE users (id bigint PRIMARY KEY, nickname text);\n",
		"000002_drop.up.sql":   "ALTER TABLE users DROP COLUMN nickname;\n",
		"000002_drop.down.sql": "ALTER TABLE users ADD COLUMN nickname text;\n",
		"migsafe.toml":         "deployed_through = \"000001\"\n[tables]\nusers = \"50M\"\n",
	} {
		if err := os.WriteFile(filepath.Join(set, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	rb := runbook.Build(Analyze(t, set), runbook.Options{Now: day})
	if len(rb.Backups) != 1 || rb.Backups[0].Method != "copy" {
		t.Fatalf("backups %+v, want one copy", rb.Backups)
	}
	b := rb.Backups[0]
	c, conn := pgtest.Connect(t, 15)
	if _, err := conn.Exec(context.Background(), "CREATE TABLE users (id bigint PRIMARY KEY, nickname text);"+
		"INSERT INTO users SELECT g, 'n' || g FROM generate_series(1, 3) g"); err != nil {
		t.Fatal(err)
	}
	run := psqlIn(t, psql, c.DSN(), t.TempDir()) // the directory \copy writes and reads in
	run(b.Take)
	run("ALTER TABLE users DROP COLUMN nickname;")     // the up
	run("ALTER TABLE users ADD COLUMN nickname text;") // the down
	run(b.Restore)
	if got := strings.TrimSpace(run("SELECT string_agg(nickname, ',' ORDER BY id) FROM users;")); got != "n1,n2,n3" {
		t.Errorf("after the restore: %q, want n1,n2,n3; restore:\n%s", got, b.Restore)
	}
}

// A dropped table of unknown size is dumped with pg_dump and restored with pg_restore
// --table, which takes the name as stored, not a pattern: for a mixed-case table the
// restore said --table='"Events"', matched nothing and restored no row, exit status
// 0. Run through the tools on PostgreSQL: dump, drop, recreate (the down), restore.
func TestPgDumpBackupRestores(t *testing.T) {
	dir, err := pgcluster.Find(15)
	if err != nil {
		t.Skip(err)
	}
	set := t.TempDir()
	for name, text := range map[string]string{
		"000001_events.up.sql": "CREATE TABLE \"Events\" (id bigint PRIMARY KEY, v text);\n",
		"000002_drop.up.sql":   "DROP TABLE \"Events\";\n",
		"000002_drop.down.sql": "CREATE TABLE \"Events\" (id bigint PRIMARY KEY, v text);\n",
		"migsafe.toml":         "deployed_through = \"000001\"\n",
	} {
		if err := os.WriteFile(filepath.Join(set, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	rb := runbook.Build(Analyze(t, set), runbook.Options{Now: day})
	if len(rb.Backups) != 1 || rb.Backups[0].Method != "pg_dump" {
		t.Fatalf("backups %+v, want one pg_dump", rb.Backups)
	}
	b := rb.Backups[0]
	c, conn := pgtest.Connect(t, 15)
	ctx := context.Background()
	if _, err := conn.Exec(ctx, `CREATE TABLE "Events" (id bigint PRIMARY KEY, v text); INSERT INTO "Events" SELECT g, g::text FROM generate_series(1, 3) g`); err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	sh := func(command string) {
		cmd := exec.Command("sh", "-c", command)
		cmd.Dir = work
		cmd.Env = append(os.Environ(), "DATABASE_URL="+c.DSN(), "PATH="+filepath.Join(dir, "bin")+":"+os.Getenv("PATH"))
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s: %v\n%s", command, err, out)
		}
	}
	sh(b.Take)
	if _, err := conn.Exec(ctx, `DROP TABLE "Events"; CREATE TABLE "Events" (id bigint PRIMARY KEY, v text)`); err != nil { // the up, the down
		t.Fatal(err)
	}
	sh(b.Restore)
	var n int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM "Events"`).Scan(&n); err != nil || n != 3 {
		t.Errorf("%d rows after %s (%v), want 3", n, b.Restore, err)
	}
}

// A \copy backup is verified by counting what the file holds against the table. The
// command was `psql -Atc "SELECT count(*) FROM "Users""`: the inner quotes closed the
// shell's, psql got FROM Users, folded to users, and the check failed with "relation
// does not exist" for every mixed-case table (hatchet's "Action", "UserOAuth"). It
// also counted lines with wc -l, and a CSV value holding a newline spans two lines:
// a complete backup of such a column failed its check. Run through sh and psql on
// PostgreSQL: the check passes on a good backup and fails once a row is missing.
func TestCopyBackupVerifies(t *testing.T) {
	psql, err := exec.LookPath("psql")
	if err != nil {
		t.Skip("no psql")
	}
	set := t.TempDir()
	for name, text := range map[string]string{
		"000001_users.up.sql":  "CREATE TABLE \"Users\" (id bigint PRIMARY KEY, \"bioText\" text);\n",
		"000002_drop.up.sql":   "ALTER TABLE \"Users\" DROP COLUMN \"bioText\";\n",
		"000002_drop.down.sql": "ALTER TABLE \"Users\" ADD COLUMN \"bioText\" text;\n",
		"migsafe.toml":         "deployed_through = \"000001\"\n[tables]\nUsers = \"50M\"\n",
	} {
		if err := os.WriteFile(filepath.Join(set, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	rb := runbook.Build(Analyze(t, set), runbook.Options{Now: day})
	if len(rb.Backups) != 1 || rb.Backups[0].Method != "copy" {
		t.Fatalf("backups %+v, want one copy", rb.Backups)
	}
	b := rb.Backups[0]
	c, conn := pgtest.Connect(t, 15)
	ctx := context.Background()
	if _, err := conn.Exec(ctx, `CREATE TABLE "Users" (id bigint PRIMARY KEY, "bioText" text);`+
		`INSERT INTO "Users" VALUES (1, 'line one'||chr(10)||'line two'), (2, 'b'), (3, NULL)`); err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	sh := func(command string) (string, error) {
		cmd := exec.Command("sh", "-c", command)
		cmd.Dir = work
		cmd.Env = append(os.Environ(), "DATABASE_URL="+c.DSN(), "PATH="+filepath.Dir(psql)+":"+os.Getenv("PATH"))
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	take := exec.Command(psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-c", b.Take, c.DSN())
	take.Dir = work
	if out, err := take.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", b.Take, err, out)
	}
	if out, err := sh(b.Verify); err != nil || strings.TrimSpace(out) != "ok" {
		t.Errorf("verify of a complete backup: %v %q\n%s", err, out, b.Verify)
	}
	if _, err := conn.Exec(ctx, `INSERT INTO "Users" VALUES (4, 'written after the backup')`); err != nil {
		t.Fatal(err)
	}
	if out, err := sh(b.Verify); err == nil || strings.Contains(out, "ok") {
		t.Errorf("verify passed with a row missing from the backup: %q\n%s", out, b.Verify)
	}
}

// A dropped column that is itself the key (hatchet's v0_7_0 drops "Action".id and adds
// a new uuid id) cannot be what the restore joins on: the backup held only id and the
// restore was UPDATE ... SET id = b.id ... WHERE t.id = b.id, which restores nothing.
// The key is now one that does not lose its values: here the unique NOT NULL code,
// and on PostgreSQL the restore puts the old ids back.
func TestColumnBackupKeyIsNotTheDroppedColumn(t *testing.T) {
	psql, err := exec.LookPath("psql")
	if err != nil {
		t.Skip("no psql")
	}
	set := t.TempDir()
	for name, text := range map[string]string{
		"000001_items.up.sql":  "CREATE TABLE items (id bigint PRIMARY KEY, code text NOT NULL UNIQUE);\n",
		"000002_drop.up.sql":   "ALTER TABLE items DROP COLUMN id;\n",
		"000002_drop.down.sql": "ALTER TABLE items ADD COLUMN id bigint;\n",
		"migsafe.toml":         "deployed_through = \"000001\"\n[tables]\nitems = \"50M\"\n",
	} {
		if err := os.WriteFile(filepath.Join(set, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	rb := runbook.Build(Analyze(t, set), runbook.Options{Now: day})
	if len(rb.Backups) != 1 || rb.Backups[0].Method != "copy" {
		t.Fatalf("backups %+v, want one copy", rb.Backups)
	}
	b := rb.Backups[0]
	if !strings.Contains(b.Take, "SELECT code, id FROM items") {
		t.Errorf("take %q, want the key code with the column id", b.Take)
	}
	c, conn := pgtest.Connect(t, 15)
	if _, err := conn.Exec(context.Background(), "CREATE TABLE items (id bigint PRIMARY KEY, code text NOT NULL UNIQUE);"+
		"INSERT INTO items SELECT g, 'c' || g FROM generate_series(1, 3) g"); err != nil {
		t.Fatal(err)
	}
	run := psqlIn(t, psql, c.DSN(), t.TempDir())
	run(b.Take)
	run("ALTER TABLE items DROP COLUMN id;")       // the up
	run("ALTER TABLE items ADD COLUMN id bigint;") // the down
	run(b.Restore)
	if got := strings.TrimSpace(run("SELECT string_agg(code || '=' || coalesce(id::text, 'NULL'), ',' ORDER BY code) FROM items;")); got != "c1=1,c2=2,c3=3" {
		t.Errorf("after the restore: %q, want c1=1,c2=2,c3=3; restore:\n%s", got, b.Restore)
	}
}

// The expand phase of a rename adds the new column with a NOT VALID CHECK (new IS NOT
// NULL), which PostgreSQL enforces on every row an UPDATE writes. The sync trigger
// filled the new column only when one of the two changed: any UPDATE of a row not
// backfilled yet (the running code's, or the backfill of a second rename in the same
// migration: openmeter's resource_meter renames two columns of meters) failed the
// check. Run on PostgreSQL: the expand phase, then an UPDATE of another column.
func TestRenameExpandKeepsUpdatesWorking(t *testing.T) {
	set := t.TempDir()
	for name, text := range map[string]string{
		"000001_meters.up.sql": "CREATE TABLE meters (id bigint PRIMARY KEY, slug text NOT NULL, note text);\n",
		"000002_rename.up.sql": "ALTER TABLE meters RENAME COLUMN slug TO key;\n",
		"migsafe.toml":         "deployed_through = \"000001\"\n",
	} {
		if err := os.WriteFile(filepath.Join(set, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	rb := runbook.Build(Analyze(t, set), runbook.Options{Now: day})
	if len(rb.Phases) == 0 {
		t.Fatal("no phases")
	}
	_, conn := pgtest.Connect(t, 15)
	ctx := context.Background()
	if _, err := conn.Exec(ctx, "CREATE TABLE meters (id bigint PRIMARY KEY, slug text NOT NULL, note text); INSERT INTO meters VALUES (1, 'a', NULL)"); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, rb.Phases[0].SQL); err != nil {
		t.Fatalf("expand phase: %v\n%s", err, rb.Phases[0].SQL)
	}
	if _, err := conn.Exec(ctx, "UPDATE meters SET note = 'touched' WHERE id = 1"); err != nil {
		t.Errorf("UPDATE after the expand phase, before the backfill: %v", err)
	}
	var key string
	if err := conn.QueryRow(ctx, "SELECT coalesce(key, 'NULL') FROM meters WHERE id = 1").Scan(&key); err != nil || key != "a" {
		t.Errorf("key %q (%v) after the UPDATE, want a", key, err)
	}
}

// psqlIn runs SQL through psql in dir, as a DBA runs a runbook's commands (psql's
// meta-commands such as \copy included), failing the test on an error.
func psqlIn(t *testing.T, psql, dsn, dir string) func(sql string) string {
	return func(sql string) string {
		t.Helper()
		cmd := exec.Command(psql, "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", dsn)
		cmd.Dir = dir
		cmd.Stdin = strings.NewReader(sql + "\n")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("psql: %v\n%s\n%s", err, sql, out)
		}
		return string(out)
	}
}

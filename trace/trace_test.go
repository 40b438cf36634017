package trace

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/migsafe/migsafe/internal/pgcluster/pgtest"
)

// needServer skips when PostgreSQL 15 (the default major) is not installed.
func needServer(t *testing.T) {
	t.Helper()
	pgtest.Need(t, 15)
}

func TestTraceIndexVolatileDefaultForeignKey(t *testing.T) {
	needServer(t)
	rep, err := Run(context.Background(), "../testdata/trace/basic/0002_orders_changes.up.sql", Options{SeedRows: 20000})
	if err != nil {
		t.Fatal(err)
	}
	var text bytes.Buffer
	rep.WriteText(&text)
	t.Log("\n" + text.String())
	if len(rep.Applied) != 1 || !strings.HasSuffix(rep.Applied[0], "0001_create_orders.up.sql") {
		t.Errorf("applied first %v, want only 0001_create_orders.up.sql", rep.Applied)
	}
	if len(rep.Statements) != 3 {
		t.Fatalf("traced %d statements, want 3", len(rep.Statements))
	}
	for i, s := range rep.Statements {
		if s.Error != "" || s.Skipped != "" {
			t.Fatalf("statement %d: error %q skipped %q", i+1, s.Error, s.Skipped)
		}
		if s.Duration <= 0 {
			t.Errorf("statement %d: no duration", i+1)
		}
		for _, l := range s.Locks {
			if l.Held < s.Duration {
				t.Errorf("statement %d: %s on %s held %v, less than the statement ran (%v)", i+1, l.Mode, l.Relation, l.Held, s.Duration)
			}
		}
		if len(s.Disagreements) > 0 {
			t.Errorf("statement %d: static analysis disagrees: %v", i+1, s.Disagreements)
		}
	}
	index, column, fk := rep.Statements[0], rep.Statements[1], rep.Statements[2]
	wantLock(t, index, "orders", "SHARE")
	if len(index.Rewrote) != 0 || !contains(index.Scanned, "orders") {
		t.Errorf("CREATE INDEX: rewrote %v scanned %v, want no rewrite and a scan of orders", index.Rewrote, index.Scanned)
	}
	wantLock(t, column, "orders", "ACCESS EXCLUSIVE")
	if !contains(column.Rewrote, "orders") {
		t.Errorf("ADD COLUMN ... DEFAULT random(): rewrote %v, want orders", column.Rewrote)
	}
	wantLock(t, fk, "orders", "SHARE ROW EXCLUSIVE")
	wantLock(t, fk, "users", "SHARE ROW EXCLUSIVE")
	// Locks taken first are held longest: until the transaction ends.
	if index.Locks[0].Held <= fk.Locks[0].Held {
		t.Errorf("the index's lock (held %v) should outlast the foreign key's (held %v)", index.Locks[0].Held, fk.Locks[0].Held)
	}
	out, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(out, []byte(`"mode":"SHARE ROW EXCLUSIVE"`)) {
		t.Errorf("json lacks the foreign key's lock: %s", out)
	}
}

func wantLock(t *testing.T, s *Statement, rel, mode string) {
	t.Helper()
	for _, l := range s.Locks {
		if l.Relation == rel && l.Mode == mode {
			return
		}
	}
	t.Errorf("%s: want %s on %s, got %+v", s.Text, mode, rel, s.Locks)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestTraceDisagreementIsReported(t *testing.T) {
	needServer(t)
	// The knowledge base has no shape for CREATE STATISTICS, which takes SHARE UPDATE
	// EXCLUSIVE on its table: the disagreement must be reported, never dropped.
	dir := t.TempDir()
	writeFile(t, dir+"/0001_t.up.sql", "CREATE TABLE t (id bigint PRIMARY KEY, v int);\n")
	writeFile(t, dir+"/0002_t.up.sql", "CREATE STATISTICS t_stats ON id, v FROM t;\n")
	rep, err := Run(context.Background(), dir+"/0002_t.up.sql", Options{})
	if err != nil {
		t.Fatal(err)
	}
	s := rep.Statements[0]
	if s.Error != "" {
		t.Fatal(s.Error)
	}
	if len(s.Locks) == 0 {
		t.Fatalf("no locks observed for %s", s.Text)
	}
	want := "PostgreSQL took SHARE UPDATE EXCLUSIVE on t, which migsafe did not predict"
	if len(s.Disagreements) != 1 || s.Disagreements[0] != want {
		t.Errorf("disagreements = %q, want %q", s.Disagreements, want)
	}
}

func TestRoundtrip(t *testing.T) {
	needServer(t)
	ctx := context.Background()
	good, err := Roundtrip(ctx, "../testdata/trace/roundtrip/good/0002_orders_changes.up.sql", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !good.OK() {
		t.Errorf("a correct down migration was reported: failed %q, differences %v", good.Failed, good.Differences)
	}
	bad, err := Roundtrip(ctx, "../testdata/trace/roundtrip/forgetful/0002_orders_changes.up.sql", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(bad.Differences) != 1 || !strings.Contains(bad.Differences[0], "index orders_created_at_idx: left behind by down") {
		t.Errorf("differences = %q, want the forgotten index only", bad.Differences)
	}
	// Up again fails: the index it creates already exists.
	if !strings.HasPrefix(bad.Failed, "up again") {
		t.Errorf("failed = %q, want up again to fail", bad.Failed)
	}
	if _, err := Roundtrip(ctx, "../testdata/trace/basic/0002_orders_changes.up.sql", Options{DSN: "host=/tmp"}); err == nil {
		t.Error("Roundtrip accepted a DSN")
	}
	dir := t.TempDir()
	writeFile(t, dir+"/0001_x.up.sql", "CREATE TABLE x (id int);\n")
	if _, err := Roundtrip(ctx, dir+"/0001_x.up.sql", Options{}); !errors.Is(err, ErrNoDown) {
		t.Errorf("no down file: err = %v, want ErrNoDown", err)
	}
}

func TestTraceAgainstDSNCommitsNothing(t *testing.T) {
	c, conn := pgtest.Connect(t, 15)
	ctx := context.Background()
	if _, err := conn.Exec(ctx, "CREATE TABLE t (id bigint PRIMARY KEY, v int)"); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	writeFile(t, dir+"/0001_t.up.sql", "ALTER TABLE t ADD COLUMN w int DEFAULT 1;\nCREATE INDEX CONCURRENTLY t_v_idx ON t (v);\n")
	rep, err := Run(ctx, dir+"/0001_t.up.sql", Options{DSN: c.DSN(), SeedRows: 100})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Statements[0].Error != "" || len(rep.Statements[0].Locks) == 0 {
		t.Errorf("ADD COLUMN: %+v", rep.Statements[0])
	}
	if rep.Statements[1].Skipped == "" {
		t.Errorf("CREATE INDEX CONCURRENTLY ran against a --dsn database: %+v", rep.Statements[1])
	}
	var cols, rows, indexes int
	if err := conn.QueryRow(ctx, `SELECT (SELECT count(*) FROM pg_attribute WHERE attrelid = 't'::regclass AND attnum > 0),
		(SELECT count(*) FROM t), (SELECT count(*) FROM pg_index WHERE indrelid = 't'::regclass)`).Scan(&cols, &rows, &indexes); err != nil {
		t.Fatal(err)
	}
	if cols != 2 || rows != 0 || indexes != 1 {
		t.Errorf("after trace: %d columns, %d rows, %d indexes; want the untouched 2, 0, 1", cols, rows, indexes)
	}
}

// The calibration migration behind engine/estimate's throughputs runs cleanly, and the
// static analysis agrees with every statement, including those whose lock the
// transaction already held from an earlier statement.
func TestTraceCalibrationMigrationAgrees(t *testing.T) {
	rep := traceAgrees(t, "../testdata/trace/calibrate/0002_work.up.sql", 7)
	if got := rep.Statements[3].Rewrote; !contains(got, "items") {
		t.Errorf("ALTER COLUMN TYPE rewrote %v, want items", got)
	}
}

// A DO block takes the locks of its body, which the static analysis reads; and a
// statement_timestamp() default, which migsafe once called volatile, rewrites nothing.
func TestTraceDoBlockAndStableDefaultAgree(t *testing.T) {
	rep := traceAgrees(t, "../testdata/trace/do-block/0002_do.up.sql", 2)
	do, seen := rep.Statements[0], rep.Statements[1]
	wantLock(t, do, "users", "ACCESS EXCLUSIVE")
	if !contains(do.Scanned, "users") || len(do.Rewrote) != 0 || len(seen.Rewrote) != 0 {
		t.Errorf("scanned %v, rewrote %v and %v: want a scan of users (UPDATE, CREATE INDEX) and no rewrite", do.Scanned, do.Rewrote, seen.Rewrote)
	}
}

// traceAgrees traces a migration on 2,000 seed rows and checks that it traces n
// statements, each without error and without a disagreement with the static analysis.
func traceAgrees(t *testing.T, path string, n int) *Report {
	t.Helper()
	needServer(t)
	rep, err := Run(context.Background(), path, Options{SeedRows: 2000})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Statements) != n {
		t.Fatalf("traced %d statements, want %d", len(rep.Statements), n)
	}
	for _, s := range rep.Statements {
		if s.Error != "" || len(s.Disagreements) > 0 {
			t.Errorf("%s: error %q, disagreements %q", s.Text, s.Error, s.Disagreements)
		}
	}
	return rep
}

func TestTraceStatementThatCannotRunInATransaction(t *testing.T) {
	needServer(t)
	dir := t.TempDir()
	writeFile(t, dir+"/0001_t.up.sql", "CREATE TABLE t (id bigint PRIMARY KEY, v int);\n")
	writeFile(t, dir+"/0002_t.up.sql", "CREATE INDEX CONCURRENTLY t_v_idx ON t (v);\nALTER TABLE t ADD CONSTRAINT t_v_pos CHECK (v > 0);\n")
	rep, err := Run(context.Background(), dir+"/0002_t.up.sql", Options{SeedRows: 200000})
	if err != nil {
		t.Fatal(err)
	}
	cic, check := rep.Statements[0], rep.Statements[1]
	if cic.Error != "" || !cic.Outside {
		t.Fatalf("CREATE INDEX CONCURRENTLY: error %q, outside %v", cic.Error, cic.Outside)
	}
	wantLock(t, cic, "t", "SHARE UPDATE EXCLUSIVE")
	if len(cic.Disagreements) > 0 {
		t.Errorf("CREATE INDEX CONCURRENTLY: %q", cic.Disagreements)
	}
	// The statement after it runs in a new trace transaction.
	if check.Error != "" || check.Outside {
		t.Fatalf("CHECK: error %q, outside %v", check.Error, check.Outside)
	}
	wantLock(t, check, "t", "ACCESS EXCLUSIVE")
}

func TestRoundtripGooseSections(t *testing.T) {
	needServer(t)
	dir := t.TempDir()
	writeFile(t, dir+"/00001_t.sql", "-- +goose Up\nCREATE TABLE t (id bigint PRIMARY KEY);\n-- +goose Down\nDROP TABLE t;\n")
	writeFile(t, dir+"/00002_t.sql", `-- +goose Up
ALTER TABLE t ADD COLUMN v int NOT NULL DEFAULT 0;
ALTER TABLE t ADD CONSTRAINT t_v_pos CHECK (v >= 0);
-- +goose Down
ALTER TABLE t DROP COLUMN v;
`)
	rep, err := Roundtrip(context.Background(), dir+"/00002_t.sql", Options{})
	if err != nil {
		t.Fatal(err)
	}
	// Dropping the column drops the CHECK on it: the down is complete.
	if !rep.OK() || rep.Down != "down section" {
		t.Errorf("goose down section: %+v", rep)
	}
}

// What the server cannot show is no disagreement: a rewrite of an empty table (its new
// file is as empty as the old), and a lock on a relation DROP ... IF EXISTS does not
// find. trace printed "migsafe predicted rewrite=true; PostgreSQL rewrote nothing" and
// "predicted ACCESS EXCLUSIVE on old_a; PostgreSQL took no lock" for them, though
// check's prediction is right (a table with rows is rewritten: the calibration test).
func TestTraceUnobservableIsNoDisagreement(t *testing.T) {
	needServer(t)
	dir := t.TempDir()
	writeFile(t, dir+"/0001_t.up.sql", "CREATE TABLE items (id int PRIMARY KEY, name text);\nCREATE INDEX items_name ON items (name);\n")
	writeFile(t, dir+"/0002_t.up.sql", "ALTER TABLE items ALTER COLUMN id TYPE bigint;\nDROP TABLE IF EXISTS old_a, old_b;\nDROP INDEX IF EXISTS old_idx;\n")
	rep, err := Run(context.Background(), dir+"/0002_t.up.sql", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Statements) != 3 {
		t.Fatalf("%d statements traced, want 3", len(rep.Statements))
	}
	for _, s := range rep.Statements {
		if s.Error != "" {
			t.Fatalf("%s: %s", s.Text, s.Error)
		}
		if len(s.Disagreements) != 0 {
			t.Errorf("%s: disagreements %q", s.Text, s.Disagreements)
		}
	}
}

// goose runs each migration in a transaction, so LOCK TABLE (which PostgreSQL refuses
// outside a transaction block) applies under goose; the round trip, earlier migrations
// included, must run it the same way rather than fail where goose does not.
func TestRoundtripRunsTheRunnersTransaction(t *testing.T) {
	needServer(t)
	dir := t.TempDir()
	writeFile(t, dir+"/00001_t.sql", "-- +goose Up\nCREATE TABLE t (id bigint PRIMARY KEY);\nLOCK TABLE t IN ACCESS EXCLUSIVE MODE;\nALTER TABLE t ADD COLUMN u int;\n-- +goose Down\nDROP TABLE t;\n")
	writeFile(t, dir+"/00002_t.sql", `-- +goose Up
LOCK TABLE t IN ACCESS EXCLUSIVE MODE;
ALTER TABLE t ADD COLUMN v int;
-- +goose Down
LOCK TABLE t IN ACCESS EXCLUSIVE MODE;
ALTER TABLE t DROP COLUMN v;
`)
	rep, err := Roundtrip(context.Background(), dir+"/00002_t.sql", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK() {
		t.Errorf("LOCK TABLE inside goose's transaction: failed %q, differences %v", rep.Failed, rep.Differences)
	}
	// A migration goose runs without a transaction still gets LOCK TABLE's error.
	writeFile(t, dir+"/00002_t.sql", "-- +goose NO TRANSACTION\n-- +goose Up\nLOCK TABLE t IN ACCESS EXCLUSIVE MODE;\n-- +goose Down\nSELECT 1;\n")
	rep, err = Roundtrip(context.Background(), dir+"/00002_t.sql", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(rep.Failed, "up: LOCK TABLE t") || !strings.Contains(rep.Failed, "25P01") {
		t.Errorf("NO TRANSACTION LOCK TABLE: failed = %q, want up to fail with 25P01", rep.Failed)
	}
}

// A function or trigger the down forgets is left behind even when up again passes
// (CREATE OR REPLACE, CREATE OR REPLACE TRIGGER).
func TestRoundtripFunctionLeftBehind(t *testing.T) {
	needServer(t)
	dir := t.TempDir()
	writeFile(t, dir+"/00001_t.sql", "-- +goose Up\nCREATE TABLE t (id bigint PRIMARY KEY);\nCREATE FUNCTION f(a int) RETURNS int LANGUAGE sql AS 'SELECT a';\n-- +goose Down\nDROP TABLE t;\n")
	// f(int, int) overloads f: the one left behind is f(integer,integer), and f(int)
	// is no difference though its regproc name becomes public.f.
	writeFile(t, dir+"/00002_t.sql", `-- +goose Up
CREATE FUNCTION f(a int, b int) RETURNS int LANGUAGE sql AS 'SELECT a + b';
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION t_touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
-- +goose StatementEnd
CREATE OR REPLACE TRIGGER t_touch BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION t_touch();
-- +goose Down
SELECT 1;
`)
	rep, err := Roundtrip(context.Background(), dir+"/00002_t.sql", Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(rep.Differences, "\n")
	// Up again fails: f(int, int) already exists.
	if rep.Failed == "" || len(rep.Differences) != 3 || !strings.Contains(got, "function f(integer,integer): left behind by down") ||
		!strings.Contains(got, "function t_touch(): left behind by down") || !strings.Contains(got, "trigger t_touch on t: left behind by down") {
		t.Errorf("failed %q, differences:\n%s", rep.Failed, got)
	}
}

// The seed cast only the row number to the column's type ('row ' || g::varchar(3)):
// the concatenation was text, assigned to the column without truncation, and every
// table with a short varchar (openmeter's currency varchar(3)) failed to seed with
// "value too long". The cast now applies to the whole value.
func TestSeedShortVarchar(t *testing.T) {
	_, conn := pgtest.Connect(t, 15)
	ctx := context.Background()
	if _, err := conn.Exec(ctx, "CREATE TABLE invoices (id bigint PRIMARY KEY, currency varchar(3) NOT NULL, code char(2))"); err != nil {
		t.Fatal(err)
	}
	if err := seed(ctx, conn, []string{"invoices"}, 20); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := conn.QueryRow(ctx, "SELECT count(*) FROM invoices").Scan(&n); err != nil || n != 20 {
		t.Errorf("%d rows seeded (%v), want 20", n, err)
	}
}

// --seed-rows above 32,767 failed on a table with a smallserial key ("reached maximum
// value of sequence"): the seed drew every row's key from the sequence. A table now
// gets the rows its sequences have left, and a smallint foreign key the keys 1..32767
// they hold (it started at 0, which no seeded row has).
func TestSeedSmallserial(t *testing.T) {
	_, conn := pgtest.Connect(t, 15)
	ctx := context.Background()
	if _, err := conn.Exec(ctx, `CREATE TABLE kinds (id smallserial PRIMARY KEY, label text);
CREATE TABLE items (id bigserial PRIMARY KEY, kind_id smallint NOT NULL REFERENCES kinds, n smallint)`); err != nil {
		t.Fatal(err)
	}
	if err := seed(ctx, conn, []string{"items"}, 40000); err != nil {
		t.Fatal(err)
	}
	var kinds, items int
	if err := conn.QueryRow(ctx, "SELECT (SELECT count(*) FROM kinds), (SELECT count(*) FROM items)").Scan(&kinds, &items); err != nil {
		t.Fatal(err)
	}
	if kinds != 32767 || items != 40000 {
		t.Errorf("%d kinds, %d items; want 32767 (the smallserial's range) and 40000", kinds, items)
	}
}

// A quoted mixed-case table (hatchet's "StepRun", Prisma's naming) is named as stored
// in the analysis. The comparison lowered the predicted name, so every lock on such a
// table was "not predicted", and the seed looked the name up unquoted, found no table
// (to_regclass folds it) and seeded nothing, so no rewrite or scan could show.
func TestTraceMixedCaseTable(t *testing.T) {
	needServer(t)
	dir := t.TempDir()
	writeFile(t, dir+"/0001_steprun.up.sql", `CREATE TABLE "StepRun" (id bigint PRIMARY KEY, "order" int);`+"\n")
	writeFile(t, dir+"/0002_order.up.sql", `ALTER TABLE "StepRun" ALTER COLUMN "order" TYPE bigint;`+"\n")
	rep, err := Run(context.Background(), dir+"/0002_order.up.sql", Options{SeedRows: 2000})
	if err != nil {
		t.Fatal(err)
	}
	s := rep.Statements[0]
	if s.Error != "" || len(s.Disagreements) != 0 {
		t.Errorf("error %q, disagreements %q; want none", s.Error, s.Disagreements)
	}
	if !contains(s.Rewrote, "StepRun") {
		t.Errorf("rewrote %v, want StepRun (seeded with 2,000 rows)", s.Rewrote)
	}
}

// The earlier migrations of an ORM set are Ruby (or Python, JavaScript): read as SQL
// they held no statement, so trace listed them as applied, created nothing, and the
// traced migration failed on a table that did not exist (openstreetmap's
// remove_column :users). They are now read through the ORM front end, as the
// analysis reads them.
func TestTraceAppliesEarlierORMMigrations(t *testing.T) {
	needServer(t)
	dir := t.TempDir() + "/db/migrate"
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, dir+"/20240101000000_create_users.rb", "class CreateUsers < ActiveRecord::Migration[7.1]\n  def change\n    create_table :users do |t|\n      t.string :creation_ip\n    end\n  end\nend\n")
	writeFile(t, dir+"/20240102000000_drop_creation_ip.rb", "class DropCreationIp < ActiveRecord::Migration[7.1]\n  def change\n    remove_column :users, :creation_ip, :string\n  end\nend\n")
	rep, err := Run(context.Background(), dir+"/20240102000000_drop_creation_ip.rb", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Applied) != 1 || len(rep.Statements) != 1 {
		t.Fatalf("applied %v, traced %d statements; want 1 and 1", rep.Applied, len(rep.Statements))
	}
	if s := rep.Statements[0]; s.Error != "" || len(s.Disagreements) != 0 {
		t.Errorf("remove_column: error %q, disagreements %q; want none", s.Error, s.Disagreements)
	}
}

// A table the migration touches may reference one it does not (openmeter's
// billing_invoices references billing_profiles): seeding only the touched tables
// failed the foreign key, and the whole trace with it. An empty referenced table is
// seeded first.
func TestSeedReferencedTable(t *testing.T) {
	_, conn := pgtest.Connect(t, 15)
	ctx := context.Background()
	if _, err := conn.Exec(ctx, "CREATE TABLE profiles (id bigint PRIMARY KEY, owner_id bigint);"+
		"CREATE TABLE invoices (id bigint PRIMARY KEY, profile_id bigint NOT NULL REFERENCES profiles);"+
		"CREATE TABLE owners (id bigint PRIMARY KEY); INSERT INTO owners VALUES (1);"+
		"ALTER TABLE profiles ADD FOREIGN KEY (owner_id) REFERENCES owners"); err != nil {
		t.Fatal(err)
	}
	if err := seed(ctx, conn, []string{"invoices"}, 1); err != nil {
		t.Fatal(err)
	}
	var invoices, profiles, owners int
	if err := conn.QueryRow(ctx, "SELECT (SELECT count(*) FROM invoices), (SELECT count(*) FROM profiles), (SELECT count(*) FROM owners)").Scan(&invoices, &profiles, &owners); err != nil {
		t.Fatal(err)
	}
	if invoices != 1 || profiles != 1 || owners != 1 {
		t.Errorf("%d invoices, %d profiles, %d owners; want 1 each (owners had its row: not seeded again)", invoices, profiles, owners)
	}
}

// A down that restores a view's columns but not its query, a function's body but not
// its volatility, or a materialized view without its data, is a difference; one that
// restores a view or a function spelled differently (case, comments, spacing) is not.
func TestRoundtripViewsAndFunctionBodies(t *testing.T) {
	needServer(t)
	dir := t.TempDir()
	writeFile(t, dir+"/00001_t.sql", `-- +goose Up
CREATE TABLE t (id bigint PRIMARY KEY, a int, b text);
CREATE VIEW positive AS SELECT id, a FROM t WHERE a > 0;
CREATE VIEW named AS SELECT id, b FROM t WHERE b IS NOT NULL;
CREATE MATERIALIZED VIEW counts AS SELECT a, count(*) AS n FROM t GROUP BY a;
CREATE FUNCTION twice(x int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT x * 2';
-- +goose StatementBegin
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- keep it simple
  RETURN NEW;
END $$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION label(x int) RETURNS text LANGUAGE plpgsql AS $$ BEGIN RETURN 'n' || x; END $$;
-- +goose StatementEnd
-- +goose Down
DROP TABLE t CASCADE;
`)
	writeFile(t, dir+"/00002_t.sql", `-- +goose Up
CREATE OR REPLACE VIEW positive AS SELECT id, a FROM t;
CREATE OR REPLACE VIEW named AS SELECT id, b FROM t;
DROP MATERIALIZED VIEW counts;
CREATE MATERIALIZED VIEW counts AS SELECT a, count(*) AS n FROM t GROUP BY a;
CREATE OR REPLACE FUNCTION twice(x int) RETURNS int LANGUAGE sql VOLATILE AS 'SELECT x + x';
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION label(x int) RETURNS text LANGUAGE plpgsql AS $$ BEGIN RETURN 'label ' || x; END $$;
-- +goose StatementEnd
-- +goose Down
-- Restored the same, spelled otherwise: no difference.
create or replace view named as select id, b from t where (b is not null);
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RETURN NEW; /* as before */
END $$;
-- +goose StatementEnd
-- Forgot the WHERE, the IMMUTABLE, the data, and the old body.
CREATE OR REPLACE VIEW positive AS SELECT id, a FROM t;
CREATE OR REPLACE FUNCTION twice(x int) RETURNS int LANGUAGE sql AS 'SELECT x * 2';
DROP MATERIALIZED VIEW counts;
CREATE MATERIALIZED VIEW counts AS SELECT a, count(*) AS n FROM t GROUP BY a WITH NO DATA;
`)
	rep, err := Roundtrip(context.Background(), dir+"/00002_t.sql", Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(rep.Differences, "\n")
	for _, want := range []string{
		"query of view positive: was",
		"function twice(integer): was returns integer language sql immutable before up, is returns integer language sql volatile after down",
		"materialized view counts: was m before up, is m not populated after down",
		`body of function label(integer): differs, from "BEGIN RETURN 'n' || x; END" before up to "BEGIN RETURN 'label ' || x; END" after down (comments and spacing ignored)`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("no difference %q in:\n%s", want, got)
		}
	}
	if rep.Failed != "" || len(rep.Differences) != 4 {
		t.Errorf("failed %q, want 4 differences, got:\n%s", rep.Failed, got)
	}
}

// A body that differs is quoted where it first differs, with a little context, cut
// at a word's start and marked where cut.
func TestFirstDifference(t *testing.T) {
	a := strings.Repeat("word ", 20) + "IF NOW() - x >= y THEN RETURN; END IF; " + strings.Repeat("tail ", 20)
	b := strings.Repeat("word ", 20) + "IF (NOW() - x) >= y THEN RETURN; END IF; " + strings.Repeat("tail ", 20)
	was, is := firstDifference(a, b)
	if !strings.HasPrefix(was, "...word word word word IF NOW() - x") || !strings.HasSuffix(was, "...") || len([]rune(was)) != 66 {
		t.Errorf("before: %q", was)
	}
	if !strings.HasPrefix(is, "...word word word word IF (NOW() - x)") || !strings.HasSuffix(is, "...") {
		t.Errorf("after: %q", is)
	}
	if was, is := firstDifference("SELECT 1", "SELECT 2"); was != "SELECT 1" || is != "SELECT 2" {
		t.Errorf("short bodies: %q, %q", was, is)
	}
}

// The lock CREATE OR REPLACE VIEW and DROP VIEW take on the view is seen, and agrees
// with the knowledge base.
func TestTraceViewLocks(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir+"/0001_t.up.sql", "CREATE TABLE t (id bigint PRIMARY KEY, v int);\nCREATE VIEW t_v AS SELECT id FROM t;\nCREATE VIEW t_w AS SELECT id FROM t;\n")
	writeFile(t, dir+"/0002_t.up.sql", "CREATE OR REPLACE VIEW t_v AS SELECT id, v FROM t;\nDROP VIEW t_w;\n")
	rep := traceAgrees(t, dir+"/0002_t.up.sql", 2)
	wantLock(t, rep.Statements[0], "t_v", "ACCESS EXCLUSIVE")
	wantLock(t, rep.Statements[1], "t_w", "ACCESS EXCLUSIVE")
}

// The snapshot read pg_proc.prokind, which PostgreSQL 11 added: every round trip on
// PostgreSQL 10 failed with "column p.prokind does not exist" before comparing
// anything. A function left behind must still be found there.
func TestRoundtripPostgres10(t *testing.T) {
	pgtest.Need(t, 10)
	dir := t.TempDir()
	writeFile(t, dir+"/00001_t.sql", "-- +goose Up\nCREATE TABLE t (id bigint PRIMARY KEY);\n-- +goose Down\nDROP TABLE t;\n")
	writeFile(t, dir+"/00002_t.sql", `-- +goose Up
CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT a';
CREATE AGGREGATE g(int) (SFUNC = int4pl, STYPE = int);
-- +goose Down
DROP AGGREGATE g(int);
`)
	rep, err := Roundtrip(context.Background(), dir+"/00002_t.sql", Options{Major: 10})
	if err != nil {
		t.Fatal(err)
	}
	// Aggregates are not compared (as on 11 and later, where prokind is 'a'): only f,
	// whose body is part of its own line. Up again fails: f already exists.
	got := strings.Join(rep.Differences, "\n")
	if rep.Failed == "" || len(rep.Differences) != 1 || !strings.Contains(got, "function f(integer): left behind by down (returns integer language sql immutable)") {
		t.Errorf("failed %q, differences:\n%s", rep.Failed, got)
	}
}

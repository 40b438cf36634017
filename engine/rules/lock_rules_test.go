package rules_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/migsafe/migsafe/engine"
	"github.com/migsafe/migsafe/engine/config"
	"github.com/migsafe/migsafe/engine/migration"
	"github.com/migsafe/migsafe/engine/rules"
)

// The fixtures in testdata/rules say which rule reports on which statement; these
// cases pin what the fixtures cannot: the status a finding carries when it differs
// from the rule's, the clause it points at, and what its message says.
func TestLockRuleFindings(t *testing.T) {
	cases := []struct {
		name, path, config, sql string
		rule                    string
		status                  rules.Status
		span                    string   // the text the finding covers
		says                    []string // substrings of the message
	}{
		{name: "volatile default, second subcommand", sql: "ALTER TABLE users ADD COLUMN a int, ADD COLUMN b uuid DEFAULT gen_random_uuid();",
			rule: "adding-field-with-rewrite", status: rules.Block, span: "b uuid DEFAULT gen_random_uuid()", says: []string{"gen_random_uuid(), which is volatile", "ACCESS EXCLUSIVE on users"}},
		{name: "unknown function default", sql: "ALTER TABLE users ADD COLUMN s int DEFAULT compute_score();",
			rule: "adding-field-with-rewrite", status: rules.Flag, span: "s int DEFAULT compute_score()", says: []string{"Verify: ", "compute_score()", "not in migsafe's volatility table"}},
		{name: "volatile outweighs unknown", sql: "ALTER TABLE users ADD COLUMN s text DEFAULT compute(random());",
			rule: "adding-field-with-rewrite", status: rules.Block, span: "s text DEFAULT compute(random())", says: []string{"random(), which is volatile"}},
		{name: "volatile by the table", sql: "ALTER TABLE users ADD COLUMN u uuid DEFAULT uuid_generate_v4();",
			rule: "adding-field-with-rewrite", status: rules.Block, span: "u uuid DEFAULT uuid_generate_v4()", says: []string{"uuid_generate_v4(), which is volatile"}},
		{name: "AT TIME ZONE before 15: overloads differ", config: "pg_version = 14", sql: "ALTER TABLE users ADD COLUMN t timestamp DEFAULT (now() AT TIME ZONE 'utc');",
			rule: "adding-field-with-rewrite", status: rules.Flag, span: "t timestamp DEFAULT (now() AT TIME ZONE 'utc')", says: []string{"Verify: ", "timezone()", "volatile and non-volatile overloads on PostgreSQL 14"}},
		{name: "uuidv7 is built in from 18", config: "pg_version = 18", sql: "ALTER TABLE users ADD COLUMN u uuid DEFAULT uuidv7();",
			rule: "adding-field-with-rewrite", status: rules.Block, span: "u uuid DEFAULT uuidv7()", says: []string{"uuidv7(), which is volatile"}},
		{name: "uuidv7 before 18 is a user function", config: "pg_version = 17", sql: "ALTER TABLE users ADD COLUMN u uuid DEFAULT uuidv7();",
			rule: "adding-field-with-rewrite", status: rules.Flag, span: "u uuid DEFAULT uuidv7()", says: []string{"Verify: ", "not in migsafe's volatility table"}},
		{name: "constant default before 11", config: "pg_version = 10", sql: "ALTER TABLE users ADD COLUMN active boolean NOT NULL DEFAULT true;",
			rule: "adding-field-with-rewrite", status: rules.Block, span: "active boolean NOT NULL DEFAULT true", says: []string{"before PostgreSQL 11"}},
		{name: "int to bigint", sql: "ALTER TABLE orders ALTER COLUMN id TYPE bigint;",
			rule: "changing-column-type", status: rules.Block, span: "TYPE bigint", says: []string{"orders.id to bigint", "ACCESS EXCLUSIVE on orders"}},
		{name: "possible widening, old type unknown", sql: "ALTER TABLE orders ALTER COLUMN note TYPE varchar(500);",
			rule: "changing-column-type", status: rules.Flag, span: "TYPE varchar(500)", says: []string{"Verify: ", "varchar(m) with m <= 500"}},
		{name: "USING always rewrites", sql: "ALTER TABLE orders ALTER COLUMN code TYPE text USING trim(code), ADD COLUMN x int;",
			rule: "changing-column-type", status: rules.Block, span: "TYPE text USING trim(code)", says: []string{"to text rewrites"}},
		{name: "collation on a known, indexed type", sql: "ALTER TABLE orders ADD COLUMN label text; CREATE INDEX CONCURRENTLY orders_label_idx ON orders (label); ALTER TABLE orders ALTER COLUMN label TYPE text COLLATE \"C\";",
			rule: "changing-column-type", status: rules.Flag, span: `TYPE text COLLATE "C"`, says: []string{"collation of orders.label", "keeps the table's data in place but rebuilds the indexes on the column", "ACCESS EXCLUSIVE on orders"}},
		{name: "collation reset by a type change without COLLATE", sql: "ALTER TABLE orders ADD COLUMN label text COLLATE \"C\"; CREATE INDEX CONCURRENTLY orders_label_idx ON orders (label); ALTER TABLE orders ALTER COLUMN label TYPE text;",
			rule: "changing-column-type", status: rules.Flag, span: "TYPE text", says: []string{"collation of orders.label (to text, the type's default collation)", "rebuilds the indexes on the column"}},
		{name: "collation, indexes not known", sql: "ALTER TABLE orders ADD COLUMN label varchar(100); ALTER TABLE orders ALTER COLUMN label TYPE varchar(100) COLLATE \"C\";",
			rule: "changing-column-type", status: rules.Flag, span: `TYPE varchar(100) COLLATE "C"`, says: []string{"Verify: ", "which indexes read orders.label", "keeps the table's data in place"}},
		{name: "collation, old type not known", sql: "ALTER TABLE orders ALTER COLUMN title TYPE varchar(100) COLLATE \"C\";",
			rule: "changing-column-type", status: rules.Flag, span: `TYPE varchar(100) COLLATE "C"`, says: []string{"Verify: ", "unless the column is currently varchar(m) with m <= 100", "the new collation still rebuilds the indexes on the column"}},
		{name: "collation, old type not known: narrowing", sql: "ALTER TABLE orders ALTER COLUMN title TYPE varchar(100) COLLATE \"C\";",
			rule: "narrowing-type-change", status: rules.Flag, span: "varchar(100)", says: []string{"Verify: ", "if it already is varchar(100) and only the collation changes, nothing is narrowed"}},
		{name: "reindex before 12", config: "pg_version = 11", sql: "REINDEX INDEX users_email_idx;",
			rule: "require-concurrent-reindex", status: rules.Block, span: "REINDEX INDEX", says: []string{"before PostgreSQL 12", "ACCESS EXCLUSIVE on index users_email_idx"}},
		{name: "reindex concurrently before 12", config: "pg_version = 11", sql: "REINDEX INDEX CONCURRENTLY users_email_idx;",
			rule: "unsupported-on-version", status: rules.Block, span: "CONCURRENTLY", says: []string{"PostgreSQL 11", "needs PostgreSQL 12"}},
		{name: "lock timeout missing", sql: "CREATE INDEX users_email_idx ON users (email);",
			rule: "require-lock-timeout", status: rules.Flag, span: "CREATE INDEX", says: []string{"Verify: ", "every later write on users"}},
		{name: "drop index dependency", sql: "SET lock_timeout = '1s';\nDROP INDEX CONCURRENTLY users_email_idx;",
			rule: "dropping-index", status: rules.Flag, span: "DROP INDEX CONCURRENTLY", says: []string{"Verify: ", "users_email_idx"}},
		{name: "work under a held lock names the holder's line", sql: "SET lock_timeout = '1s';\nBEGIN;\nALTER TABLE users ADD COLUMN t text;\nUPDATE users SET t = 'x';\nCOMMIT;",
			rule: "statements-after-access-exclusive", status: rules.Flag, span: "UPDATE users", says: []string{"ALTER TABLE at line 3", "changes every row of users"}},
		{name: "the lock holder named in full", sql: "SET lock_timeout = '1s';\nBEGIN;\nREFRESH MATERIALIZED VIEW user_stats;\nUPDATE users SET a = 1;\nCOMMIT;",
			rule: "statements-after-access-exclusive", status: rules.Flag, span: "UPDATE users", says: []string{"whose REFRESH MATERIALIZED VIEW at line 3 takes ACCESS EXCLUSIVE on user_stats"}},
		{name: "replication lag estimate", config: "[tables]\nevents = \"500M\"", sql: "SET lock_timeout = '1s';\nCREATE INDEX CONCURRENTLY events_at_idx ON events (at);",
			rule: "replication-lag", status: rules.Flag, span: "CREATE INDEX", says: []string{"index build of events at ~500M rows", "min", "replication_lag_seconds = 60"}},
		{name: "schema change before the data change holds its lock through it", sql: "SET lock_timeout = '1s';\nBEGIN;\nALTER TABLE users ADD COLUMN t text;\nUPDATE users SET t = 'x' WHERE id < 10;\nCOMMIT;",
			rule: "mixed-schema-and-data-change", status: rules.Flag, span: "UPDATE users SET t = 'x' WHERE id < 10", says: []string{"Verify: ", "schema change on line 3", "ACCESS EXCLUSIVE on users", "through the data change"}},
		// Checked on PostgreSQL 15: the UPDATE holds only ROW EXCLUSIVE and its row locks
		// while the ALTER waits; a concurrent UPDATE of one of its rows is a deadlock.
		{name: "data change before the schema change: deadlock, not a lock held through it", sql: "SET lock_timeout = '1s';\nBEGIN;\nUPDATE users SET t = 'x' WHERE id < 10;\nALTER TABLE users ALTER COLUMN t SET DEFAULT 'x';\nCOMMIT;",
			rule: "mixed-schema-and-data-change", status: rules.Flag, span: "ALTER TABLE users ALTER COLUMN t SET DEFAULT 'x'", says: []string{"Verify: ", "data change on line 3", "waits for ACCESS EXCLUSIVE on users", "deadlocks", "every later query on users"}},
		{name: "bulk copy of every row", sql: "SET lock_timeout = '1s';\nINSERT INTO archive SELECT * FROM events;",
			rule: "unbatched-bulk-copy", status: rules.Flag, span: "SELECT * FROM events", says: []string{"copies every row of events into archive"}},
		{name: "bulk copy with a WHERE copies what it selects, not every row", sql: "SET lock_timeout = '1s';\nINSERT INTO archive SELECT * FROM events WHERE kind = 'x';",
			rule: "unbatched-bulk-copy", status: rules.Flag, span: "SELECT * FROM events WHERE kind = 'x'", says: []string{"Verify: ", "copies the rows of events its WHERE selects into archive"}},
		{name: "flyway mixed", path: "V2__mixed.sql", sql: "SET lock_timeout = '1s';\nALTER TABLE orders ADD COLUMN note text;\nCREATE INDEX CONCURRENTLY orders_note_idx ON orders (note);",
			rule: "concurrently-in-transaction", status: rules.Flag, span: "CONCURRENTLY", says: []string{"Verify: ", "mixed"}},
		{name: "flyway does not recognise REINDEX CONCURRENTLY", path: "V3__reindex.sql", sql: "REINDEX INDEX CONCURRENTLY orders_user_idx;",
			rule: "concurrently-in-transaction", status: rules.Block, span: "CONCURRENTLY", says: []string{"inside the transaction flyway wraps"}},
		{name: "CRLF", sql: "SET lock_timeout = '1s';\r\n\r\nALTER TABLE users\r\n  ALTER COLUMN id TYPE bigint;\r\n",
			rule: "changing-column-type", status: rules.Block, span: "TYPE bigint"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := c.path
			if path == "" {
				path = "migration.sql"
			}
			cfg := config.Default()
			if c.config != "" {
				var err error
				if cfg, err = config.Parse("migsafe.toml", []byte(c.config), rules.Known); err != nil {
					t.Fatal(err)
				}
			}
			res := engine.Analyze(path, c.sql, cfg, engine.Options{NoSiblings: true})
			var got *engine.Finding
			for _, f := range res.Findings {
				if f.Rule.ID == c.rule {
					got = f
				}
			}
			if got == nil {
				t.Fatalf("no %s finding; findings: %v", c.rule, ids(res))
			}
			if got.Status != c.status {
				t.Errorf("status %s, want %s", got.Status, c.status)
			}
			if span := c.sql[got.Start:got.End]; span != c.span {
				t.Errorf("span %q, want %q", span, c.span)
			}
			if (got.Status == rules.Flag && strings.Contains(strings.Join(c.says, ""), "Verify:")) != strings.HasPrefix(got.Message, "Verify: ") {
				t.Errorf("Verify prefix mismatch: %q", got.Message)
			}
			for _, s := range c.says {
				if !strings.Contains(got.Message, s) {
					t.Errorf("message %q does not say %q", got.Message, s)
				}
			}
			if got.Help == "" {
				t.Error("no help line")
			}
		})
	}
}

// A multibyte identifier before the clause at fault must not shift the finding: the
// column counts code points.
func TestLockRuleRangeAfterMultibyte(t *testing.T) {
	sql := "SET lock_timeout = '1s';\nALTER TABLE \"ユーザー\" ALTER COLUMN \"名前\" TYPE bigint;\n"
	res := engine.Analyze("m.sql", sql, nil, engine.Options{NoSiblings: true})
	for _, f := range res.Findings {
		if f.Rule.ID != "changing-column-type" {
			continue
		}
		pos := res.File.Source.Position(f.Start, migration.CodePoints)
		want := len([]rune("ALTER TABLE \"ユーザー\" ALTER COLUMN \"名前\" "))
		if pos.Line != 1 || pos.Column != want {
			t.Errorf("finding at %d:%d, want 1:%d", pos.Line, pos.Column, want)
		}
		if got := sql[f.Start:f.End]; got != "TYPE bigint" {
			t.Errorf("span %q", got)
		}
		return
	}
	t.Fatalf("no changing-column-type finding: %v", ids(res))
}

// Every lock rule documents itself: the first paragraph of its doc argues the status
// it reports.
func ids(res *engine.Result) []string {
	var out []string
	for _, f := range res.Findings {
		out = append(out, f.Rule.ID)
	}
	return out
}

// CREATE INDEX CONCURRENTLY fails on a partitioned parent (PostgreSQL 15: "cannot
// create index on partitioned table ... concurrently"), so on a table the history made
// partitioned the finding offers no CONCURRENTLY fix and its help gives the pattern
// that works.
func TestIndexOnPartitionedTableOffersNoConcurrently(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "001_init.sql"), []byte("CREATE TABLE events (id bigint, created date NOT NULL) PARTITION BY RANGE (created);\nCREATE TABLE plain (id bigint);\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "002_idx.sql")
	sql := "SET lock_timeout = '5s';\nCREATE INDEX events_id_idx ON events (id);\nCREATE INDEX plain_id_idx ON plain (id);\n"
	out := engine.AnalyzeBatch([]engine.Job{{Path: path, Text: sql, Config: config.Default()}}, engine.BatchOptions{Workers: 1})
	if out[0].Err != nil {
		t.Fatal(out[0].Err)
	}
	res := out[0].Result
	var found int
	for _, f := range res.Findings {
		if f.Rule.ID != "require-concurrent-index-creation" {
			continue
		}
		found++
		partitioned := strings.HasPrefix(sql[f.Start:], "CREATE INDEX events_id_idx")
		if partitioned != strings.Contains(f.Message, "events is partitioned, where CREATE INDEX CONCURRENTLY fails") {
			t.Errorf("message %q", f.Message)
		}
		fixes := len(f.Fixes())
		if partitioned != (fixes == 0) || partitioned != strings.Contains(f.Help, "ON ONLY") {
			t.Errorf("partitioned %v: %d fixes, help %q", partitioned, fixes, f.Help)
		}
	}
	if found != 2 {
		t.Fatalf("%d require-concurrent-index-creation findings, want 2: %v", found, ids(res))
	}
}

package engine_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/migsafe/migsafe/engine"
	"github.com/migsafe/migsafe/engine/config"
	"github.com/migsafe/migsafe/engine/migration"
)

// TestBatchUpsAnalysedInOrder: a batch analyses the ups of a set in order and takes
// the catalog each analysis ends with as the next migration's before, instead of the
// set replaying the file again. Every file must be judged as when it is checked on its
// own (the set replaying the files before it): also after a DO block whose statements
// the analysis reads, a statement that does not parse, and a body read only in part.
func TestBatchUpsAnalysedInOrder(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"1_users.up.sql":   "CREATE TABLE users (id bigint PRIMARY KEY, email text);\n",
		"1_users.down.sql": "DROP TABLE users;\n",
		"2_audit.up.sql": "DO $$ BEGIN CREATE TABLE audit (id bigint, users_id bigint); END $$;\n" +
			"ALTER TABLE users ADD COLUMN name text;\n",
		"2_audit.down.sql": "DROP TABLE audit;\nALTER TABLE users DROP COLUMN name;\n",
		"3_bad.up.sql":     "CREATE TABLE broken (id bigint;\nALTER TABLE users ADD COLUMN age int NOT NULL DEFAULT 0;\n",
		"3_bad.down.sql":   "ALTER TABLE users DROP COLUMN age;\n",
		"4_part.up.sql": "DO $$ BEGIN CREATE TABLE seen (id bigint); PERFORM missing_fn(); END $$ LANGUAGE sql;\n" +
			"CREATE INDEX users_email ON users (email);\n",
		"4_part.down.sql": "DROP INDEX users_email;\n",
		"5_more.up.sql": "ALTER TABLE audit ADD COLUMN at timestamptz NOT NULL DEFAULT now();\n" +
			"ALTER TABLE users DROP COLUMN name;\nALTER TABLE users ALTER COLUMN age TYPE bigint;\n",
		"5_more.down.sql": "ALTER TABLE audit DROP COLUMN at;\n",
		"6_last.up.sql":   "ALTER TABLE audit ADD CONSTRAINT audit_users FOREIGN KEY (users_id) REFERENCES users (id);\n",
		"6_last.down.sql": "ALTER TABLE audit DROP CONSTRAINT audit_users;\n",
	}
	var jobs []engine.Job
	for _, n := range []string{"1_users.down.sql", "1_users.up.sql", "2_audit.down.sql", "2_audit.up.sql", "3_bad.down.sql", "3_bad.up.sql",
		"4_part.down.sql", "4_part.up.sql", "5_more.down.sql", "5_more.up.sql", "6_last.down.sql", "6_last.up.sql"} {
		p := filepath.Join(dir, n)
		if err := os.WriteFile(p, []byte(files[n]), 0o644); err != nil {
			t.Fatal(err)
		}
		jobs = append(jobs, engine.Job{Path: p, Config: config.Default(), OnDisk: true})
	}
	judged := func(o engine.Outcome) string {
		if o.Err != nil {
			t.Fatal(o.Err)
		}
		var b strings.Builder
		for _, f := range o.Result.Findings {
			fmt.Fprintf(&b, "%s %d-%d %s\n", f.Rule.ID, f.Start, f.End, f.Message)
		}
		for _, p := range o.Result.Problems {
			fmt.Fprintf(&b, "problem %d %s\n", p.Offset, p.Message)
		}
		return b.String()
	}
	together := engine.AnalyzeBatch(jobs, engine.BatchOptions{Workers: 2})
	findings := 0
	for i, j := range jobs {
		alone := engine.AnalyzeBatch([]engine.Job{j}, engine.BatchOptions{Workers: 2})
		if got, want := judged(together[i]), judged(alone[0]); got != want {
			t.Errorf("%s in a batch of the set:\n%s\nchecked on its own:\n%s", filepath.Base(j.Path), got, want)
		}
		findings += len(together[i].Result.Findings)
	}
	if findings == 0 {
		t.Fatal("no findings: the comparison shows nothing")
	}
}

// TestBatchSetsReplayedWhenPlaced: a set is replayed as soon as no job left to place
// can join it, while later jobs are still read. Its jobs need not be next to each
// other: a Flyway set over release folders whose files come first, in the middle and
// near the end, another set between them, and last a file that joins the Flyway set
// by the set's directory (named by no runner, its runner configured; the set's
// listing lacks it). Every file must be judged as when it is
// checked on its own.
func TestBatchSetsReplayedWhenPlaced(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"fw/2.1/V2_1_1__users.sql":  "CREATE TABLE users (id bigint PRIMARY KEY, email text);\n",
		"fw/2.1/V2_1_2__index.sql":  "CREATE INDEX users_email ON users (email);\n",
		"fw/2.2/V2_2_1__name.sql":   "ALTER TABLE users ADD COLUMN name text;\n",
		"fw/2.2/V2_2_2__drop.sql":   "ALTER TABLE users DROP COLUMN name;\nDROP INDEX users_email;\n",
		"fw/2.2/notes.sql":          "ALTER TABLE users DROP COLUMN email;\n",
		"gm/1_orders.up.sql":        "CREATE TABLE orders (id bigint PRIMARY KEY, total int);\n",
		"gm/1_orders.down.sql":      "DROP TABLE orders;\n",
		"gm/2_total.up.sql":         "ALTER TABLE orders ALTER COLUMN total TYPE bigint;\n",
		"gm/2_total.down.sql":       "ALTER TABLE orders ALTER COLUMN total TYPE int;\n",
		"gm/3_drop_orders.up.sql":   "DROP TABLE orders;\n",
		"gm/3_drop_orders.down.sql": "CREATE TABLE orders (id bigint PRIMARY KEY, total bigint);\n",
	}
	for n, text := range files {
		p := filepath.Join(dir, n)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	flyway := config.Default()
	flyway.Runner = migration.Flyway
	var jobs []engine.Job
	for _, n := range []string{"fw/2.2/V2_2_2__drop.sql", "gm/2_total.up.sql", "fw/2.1/V2_1_2__index.sql", "gm/1_orders.down.sql",
		"gm/3_drop_orders.up.sql", "fw/2.2/V2_2_1__name.sql", "gm/1_orders.up.sql", "fw/2.1/V2_1_1__users.sql", "fw/2.2/notes.sql"} {
		cfg := config.Default()
		if n == "fw/2.2/notes.sql" {
			cfg = flyway
		}
		jobs = append(jobs, engine.Job{Path: filepath.Join(dir, n), Config: cfg, OnDisk: true})
	}
	judged := func(o engine.Outcome) string {
		if o.Err != nil {
			t.Fatal(o.Err)
		}
		var b strings.Builder
		for _, f := range o.Result.Findings {
			fmt.Fprintf(&b, "%s %d-%d %s\n", f.Rule.ID, f.Start, f.End, f.Message)
		}
		return b.String()
	}
	together := engine.AnalyzeBatch(jobs, engine.BatchOptions{Workers: 2})
	withHistory := 0
	for i, j := range jobs {
		alone := engine.AnalyzeBatch([]engine.Job{j}, engine.BatchOptions{Workers: 2})
		if got, want := judged(together[i]), judged(alone[0]); got != want {
			t.Errorf("%s in the batch:\n%s\nchecked on its own:\n%s", j.Path, got, want)
		}
		if h := together[i].Result.History; h != nil && h.Index > 0 {
			withHistory++
		}
	}
	if withHistory < 4 {
		t.Errorf("%d files judged after earlier migrations of their set: the sets were not replayed", withHistory)
	}
}

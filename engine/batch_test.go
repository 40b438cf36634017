package engine_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/migsafe/migsafe/engine"
	"github.com/migsafe/migsafe/engine/config"
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

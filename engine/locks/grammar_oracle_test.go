package locks_test

import (
	"testing"

	pg "github.com/pganalyze/pg_query_go/v5"

	"github.com/migsafe/migsafe/engine/migration"
)

// newerSyntax are statements of majors newer than the embedded grammar, which migsafe
// reports as "not parsed by the PostgreSQL 16 grammar" when pg_version is newer: the
// oracle checks that pg_query rejects them, that the server of their major (and later)
// accepts them, and that the grammar's own major rejects them as a syntax error.
var newerSyntax = []struct {
	from         int
	setup, stmt  string
	sinceVersion string
}{
	{17, "ALTER TABLE t ADD COLUMN g int GENERATED ALWAYS AS (a * 2) STORED", "ALTER TABLE t ALTER COLUMN g SET EXPRESSION AS (a * 3)", "SET EXPRESSION"},
	{17, "CREATE TABLE t2 (id bigint PRIMARY KEY)", "MERGE INTO t2 USING t ON t2.id = t.id WHEN MATCHED THEN DELETE RETURNING t2.id", "MERGE ... RETURNING"},
	{18, "", "ALTER TABLE t ADD COLUMN g numeric GENERATED ALWAYS AS (a * 2) VIRTUAL", "virtual generated columns"},
	{18, "", "ALTER TABLE t ADD CONSTRAINT t_parent_ne FOREIGN KEY (parent_id) REFERENCES parent (id) NOT ENFORCED", "NOT ENFORCED"},
}

// checkNewerSyntax runs on the embedded grammar's major and later ones.
func (o *oracle) checkNewerSyntax(t *testing.T) {
	if err := o.rebuild(""); err != nil {
		t.Fatal(err)
	}
	for _, c := range newerSyntax {
		if _, err := pg.Parse(c.stmt); err == nil {
			t.Errorf("the PostgreSQL %d grammar parses %s: it is not newer syntax", migration.GrammarMajor, c.stmt)
		}
		tx, err := o.conn.Begin(o.ctx)
		if err != nil {
			t.Fatal(err)
		}
		if c.setup != "" {
			if _, err := tx.Exec(o.ctx, c.setup); err != nil {
				t.Fatalf("PostgreSQL %d: %s: %v", o.major, c.setup, err)
			}
		}
		_, err = tx.Exec(o.ctx, c.stmt)
		tx.Rollback(o.ctx)
		switch {
		case o.major >= c.from && err != nil:
			t.Errorf("PostgreSQL %d rejects %s (%s, from %d): %v", o.major, c.stmt, c.sinceVersion, c.from, err)
		case o.major < c.from && sqlState(err) != "42601":
			t.Errorf("PostgreSQL %d: %s: want a syntax error before %d, got %v", o.major, c.stmt, c.from, err)
		}
	}
}

package locks_test

import (
	"testing"

	pg "github.com/pganalyze/pg_query_go/v5"

	"github.com/migsafe/migsafe/engine/locks"
)

// MayLeaveTransaction may say false only where Classify never finds a statement
// running outside a transaction block or committing on its own: every shape's example,
// on every major, and DO blocks committing in their bodies.
func TestMayLeaveTransaction(t *testing.T) {
	leaves := 0
	check := func(name, sql string) {
		tree, err := pg.Parse(sql)
		if err != nil || len(tree.Stmts) != 1 {
			t.Fatalf("%s: %q does not parse as one statement: %v", name, sql, err)
		}
		n := tree.Stmts[0].Stmt
		for _, v := range locks.Versions {
			a := locks.Classify(n, v, nil)
			leave := a.NoTransaction
			for _, p := range a.Parts {
				leave = leave || p.Shape == locks.DetachPartitionConcurrently || p.Shape == locks.DoCommit
			}
			if leave {
				leaves++
			}
			if leave && !locks.MayLeaveTransaction(n) {
				t.Errorf("%s on %d: %q leaves the transaction, but MayLeaveTransaction says it cannot", name, v, sql)
			}
		}
	}
	for _, s := range locks.Shapes {
		check(s.ID, s.Example)
	}
	check("do-commit-in-body", "DO $$ BEGIN FOR i IN 1..3 LOOP COMMIT; END LOOP; END $$")
	if leaves == 0 {
		t.Fatal("no example left its transaction: the test checks nothing")
	}
	for _, sql := range []string{"CREATE TABLE t (a int)", "ALTER TABLE t ADD COLUMN b int", "UPDATE t SET a = 1", "INSERT INTO t VALUES (1)"} {
		tree, _ := pg.Parse(sql)
		if locks.MayLeaveTransaction(tree.Stmts[0].Stmt) {
			t.Errorf("%q: MayLeaveTransaction says it may leave its transaction; Classify runs for it again", sql)
		}
	}
}

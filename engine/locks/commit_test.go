package locks

import (
	"testing"

	pg "github.com/pganalyze/pg_query_go/v5"
)

// A DO body commits when PL/pgSQL finds a COMMIT or ROLLBACK statement in it, however
// the keyword is cased; the word in a comment or a string, or no such word, is not one.
func TestCommitsInBody(t *testing.T) {
	for sql, want := range map[string]bool{
		`DO $$ BEGIN UPDATE t SET a = 1; COMMIT; END $$`:              true,
		`DO $$ BEGIN UPDATE t SET a = 1; cOmMiT; END $$`:              true,
		`DO $$ BEGIN UPDATE t SET a = 1; rollback; END $$`:            true,
		`DO $$ BEGIN UPDATE t SET a = 1; END $$`:                      false,
		`DO $$ BEGIN UPDATE t SET note = 'commit'; END $$`:            false,
		`DO $$ BEGIN -- we never Commit here` + "\n" + `NULL; END $$`: false,
		`DO LANGUAGE plpgsql $$ BEGIN PERFORM 1; Commit; END $$`:      true,
	} {
		tree, err := pg.Parse(sql)
		if err != nil {
			t.Fatal(err)
		}
		if got := commitsInBody(tree.Stmts[0].Stmt.GetDoStmt()); got != want {
			t.Errorf("%s: commitsInBody = %v, want %v", sql, got, want)
		}
	}
}

package locks

import (
	"testing"

	pg "github.com/pganalyze/pg_query_go/v5"
)

// TestDeployOrderListsOnlyShapes keeps the table to real shapes, and checks the
// orders the runbook relies on.
func TestDeployOrder(t *testing.T) {
	known := map[*Shape]bool{}
	for _, s := range Shapes {
		known[s] = true
	}
	for s := range deployOrder {
		if !known[s] {
			t.Errorf("deploy order for a shape missing from Shapes: %s", s.ID)
		}
	}
	for s, want := range map[*Shape]Deploy{AddColumn: BeforeCode, DropColumn: AfterCode, RenameColumn: NoSafeOrder, SetNotNull: AfterCode, ReindexTable: AnyOrder, Update: AfterCode} {
		if got := s.Deploy(); got != want {
			t.Errorf("%s: %s, want %s", s.ID, got, want)
		}
	}
}

// A constraint written on the column ADD COLUMN adds is classified by what it costs
// (UNIQUE builds an index, CHECK scans the table: checked on PostgreSQL 15) but binds
// only what the new code writes, so the statement still runs before the code deploy.
func TestColumnConstraintsOfANewColumn(t *testing.T) {
	for sql, want := range map[string]*Shape{
		"ALTER TABLE periods ADD COLUMN iso varchar(50) UNIQUE":                AddUnique,
		"ALTER TABLE periods ADD COLUMN id bigint PRIMARY KEY DEFAULT 1":       AddUnique,
		"ALTER TABLE routes ADD COLUMN s int NOT NULL DEFAULT 5 CHECK (s > 0)": AddCheck,
	} {
		tree, err := pg.Parse(sql)
		if err != nil {
			t.Fatal(err)
		}
		a := Classify(tree.Stmts[0].Stmt, 15, nil)
		found := false
		deploy := AnyOrder
		for _, p := range a.Parts {
			found = found || p.Shape == want
			deploy = max(deploy, p.Deploy())
		}
		if !found || !a.Scan {
			t.Errorf("%s: parts %v, scan %v; want a %s part that scans", sql, a.Parts, a.Scan, want.ID)
		}
		if deploy != BeforeCode {
			t.Errorf("%s: deploy %s, want %s", sql, deploy, BeforeCode)
		}
	}
}

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
// (checked on PostgreSQL 15, and 10 for the foreign keys): UNIQUE builds an index,
// CHECK reads every row, REFERENCES reads every row only when an added column has a
// default (without one the new column is NULL everywhere and nothing is checked). It
// binds only what the new code writes, so the statement still runs before the code
// deploy.
func TestColumnConstraintsOfANewColumn(t *testing.T) {
	for _, c := range []struct {
		sql  string
		want *Shape
		scan bool
	}{
		{"ALTER TABLE periods ADD COLUMN iso varchar(50) UNIQUE", AddUnique, true},
		{"ALTER TABLE periods ADD COLUMN id bigint PRIMARY KEY DEFAULT 1", AddUnique, true},
		{"ALTER TABLE routes ADD COLUMN s int NOT NULL DEFAULT 5 CHECK (s > 0)", AddCheck, true},
		{"ALTER TABLE items ADD COLUMN program_id int8 REFERENCES program (id)", AddColumnForeignKey, false},
		{"ALTER TABLE items ADD COLUMN program_id int8 DEFAULT 1 REFERENCES program (id)", AddForeignKey, true},
		{"ALTER TABLE items ADD COLUMN program_id int8 DEFAULT NULL REFERENCES program (id)", AddForeignKey, true},
		{"ALTER TABLE items ADD COLUMN program_id int8 REFERENCES program (id), ADD COLUMN n int DEFAULT 0", AddForeignKey, true},
		{"ALTER TABLE items ADD COLUMN program_id int8 REFERENCES program (id), ADD FOREIGN KEY (a) REFERENCES program (id)", AddForeignKey, true},
	} {
		tree, err := pg.Parse(c.sql)
		if err != nil {
			t.Fatal(err)
		}
		a := Classify(tree.Stmts[0].Stmt, 15, nil)
		found := false
		deploy := AnyOrder
		for _, p := range a.Parts {
			found = found || p.Shape == c.want && p.OfNewColumn
			if p.OfNewColumn || p.Cmd.Subtype != pg.AlterTableType_AT_AddConstraint {
				deploy = max(deploy, p.Deploy())
			}
		}
		if !found || a.Scan != c.scan {
			t.Errorf("%s: scan %v, want a %s part of the new column, scan %v", c.sql, a.Scan, c.want.ID, c.scan)
		}
		if deploy != BeforeCode {
			t.Errorf("%s: the column's deploy order %s, want %s", c.sql, deploy, BeforeCode)
		}
	}
}

// redundantContext knows one CHECK (col IS NOT NULL) whose column is NOT NULL.
type redundantContext struct{}

func (redundantContext) ColumnType(string, string) (*pg.TypeName, bool) { return nil, false }
func (redundantContext) HasNotNullCheck(string, string) bool            { return false }
func (redundantContext) ForeignKey(string, string) (string, bool)       { return "", false }
func (redundantContext) ColumnCollation(string, string) string          { return "" }
func (redundantContext) RedundantCheck(table, constraint string) bool {
	return table == "users" && constraint == "users_phone_not_null"
}

// TestDroppingARedundantCheck: dropping the CHECK (col IS NOT NULL) a SET NOT NULL made
// redundant relaxes nothing, so it has no deploy order (the NOT NULL split's last phase
// ends with it); its locks are DROP CONSTRAINT's. Any other dropped constraint lets the
// new code write what the old could not: before the code deploy.
func TestDroppingARedundantCheck(t *testing.T) {
	for _, c := range []struct {
		sql  string
		want Deploy
	}{
		{"ALTER TABLE users DROP CONSTRAINT users_phone_not_null", AnyOrder},
		{"ALTER TABLE users DROP CONSTRAINT users_phone_check", BeforeCode},
		{"ALTER TABLE orders DROP CONSTRAINT users_phone_not_null", BeforeCode},
	} {
		tree, err := pg.Parse(c.sql)
		if err != nil {
			t.Fatal(err)
		}
		a := Classify(tree.Stmts[0].Stmt, 15, redundantContext{})
		if len(a.Parts) != 1 || a.Parts[0].Shape != DropConstraint {
			t.Fatalf("%s: parts %v, want one %s", c.sql, a.Parts, DropConstraint.ID)
		}
		if got := a.Parts[0].Deploy(); got != c.want {
			t.Errorf("%s: deploy %s, want %s", c.sql, got, c.want)
		}
		if a.Locks[0].Mode != DropConstraint.Facts(15).Table {
			t.Errorf("%s: lock %v, want DROP CONSTRAINT's", c.sql, a.Locks[0].Mode)
		}
	}
}

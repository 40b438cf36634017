package engine_test

import (
	"testing"

	"github.com/migsafe/migsafe/engine"
	"github.com/migsafe/migsafe/engine/config"
	"github.com/migsafe/migsafe/engine/locks"
	"github.com/migsafe/migsafe/engine/rules"
)

func TestVerdictAndCategories(t *testing.T) {
	cases := []struct {
		text    string
		verdict engine.Verdict
	}{
		{"CREATE TABLE t (id bigint PRIMARY KEY);\nCREATE INDEX t_id ON t (id);", engine.SafeToShip},
		{"CREATE INDEX users_email ON users (email);", engine.BlockVerdict},
		{"CREATE INDX users_email ON users (email);", engine.BlockVerdict}, // a syntax error fails the deploy
	}
	for _, c := range cases {
		res := engine.Analyze("m.sql", c.text, nil, engine.Options{NoSiblings: true})
		if res.Verdict != c.verdict {
			t.Errorf("%q: verdict %s, want %s", c.text, res.Verdict, c.verdict)
		}
		if len(res.Categories) != len(rules.Categories) {
			t.Errorf("categories: %v", res.Categories)
		}
	}
	res := engine.Analyze("m.sql", "CREATE INDEX users_email ON users (email);", nil, engine.Options{NoSiblings: true})
	if res.Categories[rules.LockContention] != rules.Block || res.Categories[rules.DataLoss] != rules.OK {
		t.Errorf("categories: %v", res.Categories)
	}
}

func TestConfigDisablesAndOverridesStatus(t *testing.T) {
	text := "CREATE INDEX users_email ON users (email);"
	cfg := config.Default()
	cfg.Status["require-concurrent-index-creation"] = rules.Flag
	res := engine.Analyze("m.sql", text, cfg, engine.Options{NoSiblings: true})
	if res.Verdict != engine.SafeWithModifications {
		t.Errorf("status override: verdict %s", res.Verdict)
	}
	cfg = config.Default()
	cfg.Disable["require-concurrent-index-creation"] = true
	res = engine.Analyze("m.sql", text, cfg, engine.Options{NoSiblings: true})
	for _, f := range res.Findings {
		if f.Rule.ID == "require-concurrent-index-creation" {
			t.Error("disabled rule still reported")
		}
	}
}

func TestPanickingRuleDoesNotStopAnalysis(t *testing.T) {
	boom := &rules.Rule{ID: "test-boom", Category: rules.LockContention, Check: func(*rules.Pass) { panic("boom") }}
	saved := rules.All
	rules.All = append([]*rules.Rule{boom}, saved...)
	defer func() { rules.All = saved }()
	res := engine.Analyze("m.sql", "CREATE INDEX users_email ON users (email);", nil, engine.Options{NoSiblings: true})
	found := false
	for _, f := range res.Findings {
		found = found || f.Rule.ID == "require-concurrent-index-creation"
	}
	if !found {
		t.Error("findings of other rules lost after a panic")
	}
}

func TestDownSectionIsNotLinted(t *testing.T) {
	text := "-- +goose Up\nCREATE TABLE x (id int);\n-- +goose Down\nCREATE INDEX users_email ON users (email);\n"
	res := engine.Analyze("1_x.sql", text, nil, engine.Options{NoSiblings: true})
	for _, f := range res.Findings {
		if f.Stmt != nil && f.Stmt.Index == 1 {
			t.Errorf("down statement reported: %s", f.Rule.ID)
		}
	}
}

func TestForeignKeysDefinedInTheFileLockTheReferencedTable(t *testing.T) {
	text := "ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;\n" +
		"ALTER TABLE orders VALIDATE CONSTRAINT orders_user_fk;\n" +
		"CREATE TABLE items (id bigint PRIMARY KEY, order_id bigint REFERENCES orders (id));\n" +
		"ALTER TABLE items DROP CONSTRAINT items_order_id_fkey;\n" +
		"ALTER TABLE orders VALIDATE CONSTRAINT orders_amount_check;\n"
	res := engine.Analyze("m.sql", text, nil, engine.Options{NoSiblings: true})
	referenced := func(i int) locks.Lock {
		for _, l := range res.Statements[i].Locks.Locks {
			if l.Role == "referenced table" {
				return l
			}
		}
		return locks.Lock{}
	}
	if l := referenced(1); l.Relation != "users" || l.Mode != locks.ValidateForeignKey.Facts(15).Other {
		t.Errorf("VALIDATE of a known foreign key: %+v", l)
	}
	// An unnamed inline foreign key gets PostgreSQL's default name.
	if l := referenced(3); l.Relation != "orders" || l.Mode != locks.DropForeignKey.Facts(15).Other {
		t.Errorf("DROP of a known foreign key: %+v", l)
	}
	if l := referenced(4); l.Relation != "" {
		t.Errorf("VALIDATE of a constraint the file does not show is not a foreign key: %+v", l)
	}
}

func TestReindexTableLocksEveryIndex(t *testing.T) {
	res := engine.Analyze("m.sql", "REINDEX TABLE users;\nUPDATE users SET a = 1 WHERE id = 1;\n", nil, engine.Options{NoSiblings: true})
	var idx *locks.Lock
	for i, l := range res.Statements[0].Locks.Locks {
		if l.Role == locks.IndexesRole {
			idx = &res.Statements[0].Locks.Locks[i]
		}
	}
	// Checked against PostgreSQL 10-17 by the oracle: ACCESS EXCLUSIVE on each index,
	// which blocks reads as well as writes although the table itself holds SHARE.
	if idx == nil || idx.Relation != "users" || !idx.Mode.Blocks().Reads {
		t.Errorf("REINDEX TABLE index lock = %+v, want one that blocks reads", idx)
	}
	for _, l := range res.Statements[1].Locks.Locks {
		if l.Role == locks.IndexesRole {
			t.Errorf("an UPDATE's index locks block nothing its table lock does not: %+v", l)
		}
	}
}

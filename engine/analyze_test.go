package engine_test

import (
	"testing"

	"github.com/migsafe/migsafe/engine"
	"github.com/migsafe/migsafe/engine/config"
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
	cfg.Status["require-concurrent-index-creation"] = "FLAG"
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

package engine_test

import (
	"strings"
	"testing"

	"github.com/migsafe/migsafe/engine"
	"github.com/migsafe/migsafe/engine/config"
	"github.com/migsafe/migsafe/engine/rules"
)

// With pg_version newer than the embedded grammar, a statement the grammar rejects is
// a FLAG located at the token it stopped at; on the grammar's own version, and for
// scanner errors on any version, it stays a BLOCK.
func TestNewerSyntaxIsAFlag(t *testing.T) {
	const sql = "SELECT 1;\nALTER TABLE orders ALTER COLUMN total SET EXPRESSION AS (price * qty);\n"
	at := strings.Index(sql, "EXPRESSION")
	for _, c := range []struct {
		pg      int
		text    string
		kind    string
		status  rules.Status
		offset  int
		verdict engine.Verdict
	}{
		{17, sql, engine.NewerSyntax, rules.Flag, at, engine.SafeWithModifications},
		{18, sql, engine.NewerSyntax, rules.Flag, at, engine.SafeWithModifications},
		{16, sql, "syntax", rules.Block, at, engine.BlockVerdict},
		{15, sql, "syntax", rules.Block, at, engine.BlockVerdict},
		{17, "SELECT 1;\nSELECT 'open;\n", "syntax", rules.Block, strings.Index("SELECT 1;\nSELECT 'open;\n", "'"), engine.BlockVerdict},
	} {
		cfg := config.Default()
		cfg.PGVersion = c.pg
		res := engine.Analyze("0001_x.sql", c.text, cfg, engine.Options{NoSiblings: true})
		if len(res.Problems) != 1 {
			t.Fatalf("pg %d: problems %+v", c.pg, res.Problems)
		}
		p := res.Problems[0]
		if p.Kind != c.kind || p.Status() != c.status || p.Offset != c.offset || res.Verdict != c.verdict {
			t.Errorf("pg %d %q: problem %+v (status %s), verdict %s; want kind %s, %s at %d, %s", c.pg, c.text, p, p.Status(), res.Verdict, c.kind, c.status, c.offset, c.verdict)
		}
		if c.kind == engine.NewerSyntax && !strings.HasPrefix(p.Message, "Verify: not parsed by the PostgreSQL 16 grammar") {
			t.Errorf("message %q", p.Message)
		}
	}
}

// A `-- migrate:dwon` before the down block is a FLAG not-a-directive, not a BLOCK
// syntax-error: dbmate applies the file, running the SQL after it on the way up.
func TestNotADirectiveIsAFlag(t *testing.T) {
	const sql = "-- migrate:up\nCREATE TABLE t (id int);\n-- migrate:dwon\nCREATE INDEX t_id ON t (id);\n-- migrate:down\nDROP TABLE t;\n"
	res := engine.Analyze("db/migrations/20240101000000_a.sql", sql, config.Default(), engine.Options{NoSiblings: true})
	if len(res.Problems) != 1 {
		t.Fatalf("problems %+v", res.Problems)
	}
	p := res.Problems[0]
	if p.Kind != engine.NotDirective || p.Status() != rules.Flag || p.Offset != strings.Index(sql, "-- migrate:dwon") || res.Verdict == engine.BlockVerdict {
		t.Errorf("problem %+v (status %s), verdict %s; want a FLAG %s at the comment", p, p.Status(), res.Verdict, engine.NotDirective)
	}
}

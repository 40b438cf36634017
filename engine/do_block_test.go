package engine_test

import (
	"fmt"
	"testing"

	"github.com/migsafe/migsafe/engine"
	"github.com/migsafe/migsafe/engine/config"
)

// A statement inside a DO block is judged exactly as the same statement at the top
// level: same rules, statuses, messages and clause, located inside the body.
func TestDoBlockStatementsAreJudgedLikeTopLevelOnes(t *testing.T) {
	for _, stmt := range []string{
		"ALTER TABLE t ADD COLUMN c int NOT NULL",
		"CREATE INDEX t_a_idx ON t (a)",
		"ALTER TABLE t ADD COLUMN u uuid DEFAULT gen_random_uuid()",
		"UPDATE t SET a = 0",
		"INSERT INTO t_copy SELECT * FROM t",
		"ALTER TABLE t ALTER COLUMN a TYPE bigint",
		"ALTER TABLE t ADD CONSTRAINT t_p_fk FOREIGN KEY (p) REFERENCES p (id)",
	} {
		cfg := config.Default()
		cfg.Tables["t"] = 50_000_000
		top := engine.Analyze("0001_x.sql", "SET lock_timeout = '1s';\n"+stmt+";\n", cfg, engine.Options{NoSiblings: true})
		for _, wrap := range []string{"DO $$\nBEGIN\n  %s;\nEND\n$$;\n", "DO LANGUAGE plpgsql 'BEGIN %s; END';\n"} {
			text := "SET lock_timeout = '1s';\n" + fmt.Sprintf(wrap, stmt)
			do := engine.Analyze("0001_x.sql", text, cfg, engine.Options{NoSiblings: true})
			if len(top.Findings) == 0 || len(do.Findings) != len(top.Findings) || do.Verdict != top.Verdict {
				t.Errorf("%s in %q: %d findings (%s), at the top level %d (%s)", stmt, wrap, len(do.Findings), do.Verdict, len(top.Findings), top.Verdict)
				continue
			}
			for i, want := range top.Findings {
				got := do.Findings[i]
				wantSpan := top.File.Source.Text[want.Start:want.End]
				gotSpan := text[got.Start:got.End]
				if got.Rule != want.Rule || got.Status != want.Status || got.Message != want.Message || gotSpan != wantSpan || got.Stmt.Parent == nil {
					t.Errorf("%s in a DO block:\n  got  %s %s %q on %q\n  want %s %s %q on %q", stmt, got.Rule.ID, got.Status, got.Message, gotSpan, want.Rule.ID, want.Status, want.Message, wantSpan)
				}
			}
		}
	}
}

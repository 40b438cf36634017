package codeactions

import (
	"strings"
	"testing"

	"github.com/migsafe/migsafe/engine"
	"github.com/migsafe/migsafe/engine/config"
)

// A fix builder that panics gives no fixes, and Attach (what `check` and `fix` run)
// records an internal-error problem at the finding's statement, so the verdict says
// something went wrong instead of pretending there was nothing to fix.
func TestPanickingFixIsAProblem(t *testing.T) {
	const id = "require-concurrent-index-creation"
	saved := builders[id]
	builders[id] = func(site) []engine.Fix { panic("fix builder broke") }
	t.Cleanup(func() { builders[id] = saved })

	text := "SET lock_timeout = '1s';\nCREATE INDEX users_email_idx ON users (email);\n"
	res := engine.Analyze("0001_x.sql", text, config.Default(), engine.Options{NoSiblings: true})
	if len(res.Findings) != 1 || res.Findings[0].Rule.ID != id {
		t.Fatalf("findings: %v", res.Findings)
	}
	Attach(res)
	if len(res.Findings[0].Fixes) != 0 {
		t.Errorf("fixes from a panicking builder: %v", res.Findings[0].Fixes)
	}
	if len(res.Problems) != 1 {
		t.Fatalf("problems: %+v", res.Problems)
	}
	p := res.Problems[0]
	if p.Kind != engine.InternalError || p.Offset != strings.Index(text, "CREATE") || !strings.Contains(p.Message, "the fix for "+id+" failed") ||
		!strings.Contains(p.Message, "fix builder broke") || !strings.Contains(p.Message, "codeactions/build_internal_test.go:") {
		t.Errorf("problem: %+v", p)
	}
	if res.Verdict != engine.BlockVerdict {
		t.Errorf("verdict %s", res.Verdict)
	}
}

// A finding on a statement of a DO body gets no fix: the phased rewrites (new
// migrations, CONCURRENTLY outside the transaction) do not fit inside the body.
func TestNoFixesInsideDoBodies(t *testing.T) {
	text := "SET lock_timeout = '1s';\nDO $$ BEGIN ALTER TABLE users ADD COLUMN phone text NOT NULL; CREATE INDEX i ON users (phone); END $$;\n"
	res := engine.Analyze("0001_x.sql", text, config.Default(), engine.Options{NoSiblings: true})
	if len(res.Findings) < 2 {
		t.Fatalf("findings: %v", res.Findings)
	}
	Attach(res)
	for _, fd := range res.Findings {
		if len(fd.Fixes) != 0 {
			t.Errorf("%s inside a DO body has fixes: %+v", fd.Rule.ID, fd.Fixes)
		}
	}
}

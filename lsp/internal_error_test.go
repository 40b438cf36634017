package lsp

import (
	"strings"
	"testing"

	"go.lsp.dev/protocol"

	"github.com/migsafe/migsafe/engine/rules"
)

// A rule that panics shows in the editor like a finding: a Warning at the statement it
// was checking, coded with the problem's kind, counted in the verdict.
func TestPanickingRuleDiagnostic(t *testing.T) {
	saved := rules.All
	rules.All = append(append([]*rules.Rule{}, saved...), &rules.Rule{ID: "test-panics", Category: rules.LockContention,
		Status: rules.Block, Summary: "test", Check: func(p *rules.Pass) {
			if p.Stmt.Node.GetUpdateStmt() != nil {
				panic("rule bug")
			}
		}})
	t.Cleanup(func() { rules.All = saved })

	c := newClient(t, Options{})
	c.initialize("", "")
	const uri = "file:///tmp/migsafe-internal/0001_x.sql"
	c.open(uri, "SELECT 1;\n-- é𝄞\nUPDATE flags SET on_ = true WHERE id = 1;\n")
	p := c.waitDiags(uri, 1)
	d := find(p.Diagnostics, "internal-error")
	if d == nil || d.Severity != protocol.DiagnosticSeverityWarning || d.Range.Start != (protocol.Position{Line: 2, Character: 0}) ||
		!strings.Contains(d.Message, "rule test-panics failed") || !strings.Contains(d.Message, "rule bug") {
		t.Errorf("internal-error diagnostic = %+v", d)
	}
	if v := find(p.Diagnostics, "verdict"); v == nil || !strings.Contains(v.Message, "SAFE WITH MODIFICATIONS") {
		t.Errorf("verdict = %+v", v)
	}
}

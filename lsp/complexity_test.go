package lsp

import (
	"strings"
	"testing"

	"go.lsp.dev/protocol"
)

// TestTooComplexStatementIsADiagnostic: a 30,000-term expression and 100,000 nested
// parentheses (which used to kill the server with SIGSEGV inside pg_query) are each an
// Error diagnostic on their line, and the server goes on answering.
func TestTooComplexStatementIsADiagnostic(t *testing.T) {
	c := newClient(t, Options{})
	c.initialize("", "")
	const uri = "file:///tmp/migsafe-deep/0001_deep.sql"
	text := "CREATE INDEX users_email_idx ON users (email);\n" +
		"SELECT " + strings.Repeat("1 + ", 29999) + "1;\n" +
		"SELECT " + strings.Repeat("(", 100000) + "1" + strings.Repeat(")", 100000) + ";\n"
	c.open(uri, text)
	p := c.waitDiags(uri, 1)
	lines := map[uint32]protocol.Diagnostic{}
	for _, d := range p.Diagnostics {
		if d.Code == "statement-too-complex" { // the problem's rule ID, as for every file problem
			lines[d.Range.Start.Line] = d
		}
	}
	for _, line := range []uint32{1, 2} {
		d, ok := lines[line]
		if !ok {
			t.Fatalf("no complex diagnostic on line %d: %v", line, codes(p.Diagnostics))
		}
		if d.Severity != protocol.DiagnosticSeverityError || !strings.Contains(d.Message, "statement too complex to analyse") {
			t.Errorf("line %d: %+v", line, d)
		}
	}
	if find(p.Diagnostics, indexRule) == nil {
		t.Errorf("the CREATE INDEX before them was not analysed: %v", codes(p.Diagnostics))
	}
	// An edit elsewhere re-analyses the document; the server is still there.
	c.change(uri, 2, rng(0, 0, 0, 0), "-- edited\n")
	if p := c.waitDiags(uri, 2); len(p.Diagnostics) == 0 {
		t.Errorf("no diagnostics after the edit")
	}
}

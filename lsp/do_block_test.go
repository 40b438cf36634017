package lsp

import (
	"strings"
	"testing"

	"go.lsp.dev/protocol"
)

// A finding inside a DO body reaches the editor at the clause at fault, with UTF-16
// columns past characters outside the Basic Multilingual Plane, and hover on the
// body statement shows that statement's locks.
func TestDoBlockDiagnosticsAndHover(t *testing.T) {
	c := newClient(t, Options{})
	c.initialize("", "")
	const uri = "file:///tmp/migsafe-do/0001_x.sql"
	c.open(uri, "SET lock_timeout = '1s';\nDO $$ BEGIN /* 𝄞é */ ALTER TABLE t ADD COLUMN c int NOT NULL; END $$;\n")
	p := c.waitDiags(uri, 1)
	d := find(p.Diagnostics, "adding-required-column")
	// "DO $$ BEGIN /* " is 15 units, 𝄞 two, "é */ " five, "ALTER TABLE t ADD COLUMN c int " 31.
	if d == nil || d.Range != *rng(1, 53, 1, 61) || d.Severity != protocol.DiagnosticSeverityError {
		t.Fatalf("diagnostic = %+v, want Error at 1:53-1:61", d)
	}
	var h protocol.Hover
	if err := c.call(protocol.MethodTextDocumentHover, protocol.HoverParams{TextDocumentPositionParams: protocol.TextDocumentPositionParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: uri}, Position: protocol.Position{Line: 1, Character: 40}}}, &h); err != nil {
		t.Fatal(err)
	}
	if h.Range == nil || h.Range.Start != (protocol.Position{Line: 1, Character: 22}) || !strings.Contains(h.Contents.Value, "ACCESS EXCLUSIVE on table t") || !strings.Contains(h.Contents.Value, "adding-required-column") {
		t.Errorf("hover on the body statement: range %+v\n%s", h.Range, h.Contents.Value)
	}
}

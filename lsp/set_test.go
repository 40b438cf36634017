package lsp

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.lsp.dev/protocol"
)

// TestDuplicateVersionDiagnostic: two migrations of one version are refused by the
// runner, and check reports it as a syntax-error BLOCK on the one ordered later; the
// editor shows the same on that document's line 1, and nothing on the other.
func TestDuplicateVersionDiagnostic(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "1_a.up.sql"), filepath.Join(dir, "001_b.up.sql")
	for p, text := range map[string]string{a: "CREATE TABLE a (id int);\n", b: "CREATE TABLE b (id int);\n"} {
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	c := newClient(t, Options{})
	c.initialize("", "")
	ua, ub := fileURI(a), fileURI(b)
	c.open(ua, "CREATE TABLE a (id int);\n")
	p := c.waitDiags(ua, 1)
	d := find(p.Diagnostics, "syntax-error")
	if d == nil || d.Severity != protocol.DiagnosticSeverityError || d.Range.Start.Line != 0 ||
		!strings.Contains(d.Message, "golang-migrate refuses this set: "+b+" has this migration's version (1)") {
		t.Fatalf("1_a.up.sql diagnostics = %+v, want the duplicate version as a syntax-error on line 1", p.Diagnostics)
	}
	c.open(ub, "CREATE TABLE b (id int);\n")
	if p := c.waitDiags(ub, 1); find(p.Diagnostics, "syntax-error") != nil {
		t.Errorf("001_b.up.sql, ordered first, has %+v", p.Diagnostics)
	}
}

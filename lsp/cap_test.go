package lsp

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"go.lsp.dev/protocol"
)

// capDoc has FLAGs (dropped columns) before BLOCKs (SET NOT NULL), so a cap that
// keeps every BLOCK must drop FLAGs that come first in the document.
func capDoc(flags, blocks int) string {
	var b strings.Builder
	b.WriteString("SET lock_timeout = '5s';\n")
	for i := 0; i < flags; i++ {
		fmt.Fprintf(&b, "ALTER TABLE t DROP COLUMN d%d;\n", i)
	}
	for i := 0; i < blocks; i++ {
		fmt.Fprintf(&b, "ALTER TABLE t ALTER COLUMN n%d SET NOT NULL;\n", i)
	}
	return b.String()
}

// openCapped opens doc in a server given initOpts and returns what it publishes.
func openCapped(t *testing.T, initOpts, doc string) []protocol.Diagnostic {
	t.Helper()
	c := newClient(t, Options{})
	c.initialize("", initOpts)
	const uri = "file:///tmp/migsafe-cap/0001_x.sql"
	c.open(uri, doc)
	return c.waitDiags(uri, 1).Diagnostics
}

// TestMaxDiagnostics: over the cap, the most severe are published in document order,
// with one note of how many are not; under it, or with a cap of 0, every one is.
func TestMaxDiagnostics(t *testing.T) {
	const flags, blocks, max = 30, 20, 25
	doc := capDoc(flags, blocks)
	all := openCapped(t, `{"migsafe": {"maxDiagnostics": 0}}`, doc)
	var errs, warns []protocol.Diagnostic
	verdict := ""
	for _, d := range all {
		switch {
		case d.Code == codeVerdict:
			verdict = d.Message
		case d.Severity == protocol.DiagnosticSeverityError:
			errs = append(errs, d)
		case d.Severity == protocol.DiagnosticSeverityWarning:
			warns = append(warns, d)
		}
	}
	if len(errs) < blocks || len(warns) < flags || verdict == "" || len(errs)+len(warns)+1 != len(all) {
		t.Fatalf("cap 0: %d errors, %d warnings, verdict %q of %d diagnostics; want every one of %d BLOCK, %d FLAG", len(errs), len(warns), verdict, len(all), blocks, flags)
	}
	if len(errs) >= max {
		t.Fatalf("the document has %d errors: the test wants fewer than the cap, %d", len(errs), max)
	}
	if got := openCapped(t, `{"migsafe": {"maxDiagnostics": 1000}}`, doc); !equalDiags(got, all) {
		t.Errorf("under the cap: %d diagnostics, want the %d of cap 0", len(got), len(all))
	}

	got := openCapped(t, `{"migsafe": {"maxDiagnostics": 25}}`, doc)
	if len(got) != max+1 {
		t.Fatalf("cap %d: %d diagnostics, want %d", max, len(got), max+1)
	}
	note := got[0]
	hidden := len(all) - 1 - max // the verdict is in the note
	if note.Code != codeMore || note.Severity != protocol.DiagnosticSeverityInformation || note.Range.Start.Line != 0 ||
		!strings.Contains(note.Message, fmt.Sprintf(" %d more diagnostics are not shown", hidden)) ||
		!strings.HasPrefix(note.Message, verdict) || !strings.Contains(note.Message, "`migsafe check /tmp/migsafe-cap/0001_x.sql`") {
		t.Errorf("note = %+v; want %d not shown after the verdict %q", note, hidden, verdict)
	}
	want := append(append([]protocol.Diagnostic{}, warns[:max-len(errs)]...), errs...)
	if !equalDiags(got[1:], want) {
		t.Errorf("cap %d kept %v, want every BLOCK and the first %d FLAGs in document order", max, codes(got[1:]), max-len(errs))
	}
}

func equalDiags(a, b []protocol.Diagnostic) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return string(ja) == string(jb)
}

// TestMaxDiagnosticsSettings: the cap is read from initializationOptions (default
// 1,000), replaced by workspace/configuration's answer, applies to pulled diagnostics
// too, and leaves code actions every finding.
func TestMaxDiagnosticsSettings(t *testing.T) {
	doc := capDoc(3, 2)
	c := newClient(t, Options{})
	c.configuration = json.RawMessage(`{"maxDiagnostics": 0}`)
	c.initialize(`{"textDocument": {"diagnostic": {}}, "workspace": {"configuration": true}}`, `{"migsafe": {"maxDiagnostics": 2}}`)
	const uri = "file:///tmp/migsafe-cap-settings/0001_x.sql"
	c.open(uri, doc)
	pull := func() []protocol.Diagnostic {
		var r fullReport
		if err := c.call(methodDiagnostic, map[string]any{"textDocument": map[string]string{"uri": uri}}, &r); err != nil {
			t.Fatal(err)
		}
		return r.Items
	}
	// Before the configuration's answer is applied, initializationOptions' cap of 2
	// holds; after, none: wait for the answer to be taken.
	deadline := time.Now().Add(10 * time.Second)
	items := pull()
	for len(items) <= 3 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
		items = pull()
	}
	if n := len(c.result(uri).Findings) + 1; len(items) != n { // and the verdict
		t.Errorf("after workspace/configuration's maxDiagnostics 0: %v, want all %d", codes(items), n)
	}

	c2 := newClient(t, Options{})
	c2.initialize(`{"textDocument": {"diagnostic": {}}}`, `{"migsafe": {"maxDiagnostics": 2}}`)
	c2.open(uri, doc)
	c = c2
	items = pull()
	if len(items) != 3 || items[0].Code != codeMore {
		t.Fatalf("initializationOptions' maxDiagnostics 2, pulled: %v, want the note and 2", codes(items))
	}
	var actions []protocol.CodeAction
	if err := c.call(protocol.MethodTextDocumentCodeAction, protocol.CodeActionParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri},
		Range: protocol.Range{Start: protocol.Position{Line: 1}, End: protocol.Position{Line: 1, Character: 5}}}, &actions); err != nil {
		t.Fatal(err)
	}
	for _, a := range actions {
		if a.Title == "Ignore dropping-column for this statement" {
			return // line 2's FLAG, not published, still has its action
		}
	}
	t.Errorf("no action for line 2's dropped column among %d", len(actions))
}

func TestMaxDiagnosticsSettingErrors(t *testing.T) {
	set, errs := parseSettings(json.RawMessage(`{"maxDiagnostics": -1}`))
	if set.maxDiagnostics() != defaultMaxDiagnostics || len(errs) != 1 || !strings.Contains(errs[0], "maxDiagnostics") {
		t.Errorf("maxDiagnostics -1: cap %d, errors %v; want the default and an error", set.maxDiagnostics(), errs)
	}
	if set, _ := parseSettings(nil); set.maxDiagnostics() != 1000 {
		t.Errorf("default cap = %d, want VS Code's 1000", set.maxDiagnostics())
	}
}

// TestCheckArg: the note names the file as migsafe check takes it in a shell:
// relative to the workspace inside it, quoted when the shell would split or expand it.
func TestCheckArg(t *testing.T) {
	for _, tc := range []struct{ file, root, want string }{
		{"/w/db/0001_x.sql", "/w", "db/0001_x.sql"},
		{"/elsewhere/0001_x.sql", "/w", "/elsewhere/0001_x.sql"},
		{"/w/my migrations/0001_it's.sql", "/w", `'my migrations/0001_it'\''s.sql'`},
		{"", "/w", "<file>"},
	} {
		if got := checkArg(tc.file, tc.root); got != tc.want {
			t.Errorf("checkArg(%q, %q) = %s, want %s", tc.file, tc.root, got, tc.want)
		}
	}
}

// TestMaxDiagnosticsOneMore: one diagnostic over the cap is named in the singular.
func TestMaxDiagnosticsOneMore(t *testing.T) {
	doc := capDoc(3, 0)
	all := openCapped(t, `{"migsafe": {"maxDiagnostics": 0}}`, doc)
	got := openCapped(t, fmt.Sprintf(`{"migsafe": {"maxDiagnostics": %d}}`, len(all)-2), doc) // the verdict goes into the note
	if len(got) == 0 || !strings.Contains(got[0].Message, " 1 more diagnostic is not shown") {
		t.Errorf("%d of %d diagnostics, the first %+v; want a note of 1 more diagnostic", len(got), len(all), got)
	}
}

package lsp

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"testing"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
)

// The hand-written encoding of diagnostics is encoding/json's, byte for byte: on the
// diagnostics of a real analysis, and on strings that need escaping and fields that
// fall back to encoding/json.
func TestAppendDiagnosticsMatchesEncodingJSON(t *testing.T) {
	c, uri := openBig(t, 200)
	real := c.snap(uri).diags
	if len(real) < 50 {
		t.Fatalf("only %d diagnostics", len(real))
	}
	r := protocol.Range{Start: protocol.Position{Line: 3, Character: 70000}, End: protocol.Position{Line: 4294967295}}
	odd := []protocol.Diagnostic{
		{Range: r, Message: "quote \" backslash \\ newline \n return \r tab \t nul \x00 \x1f <b>&amp;</b> \u2028 \u2029 é 😀 bad \xff\xfe end"},
		{Range: r, Severity: protocol.DiagnosticSeverityHint, Code: "c\"ode", Source: "s<o>urce", Message: "",
			RelatedInformation: []protocol.DiagnosticRelatedInformation{
				{Location: protocol.Location{URI: "file:///a%20b/c&d.go", Range: r}, Message: "used here\n"},
				{Location: protocol.Location{URI: "file:///x.go"}, Message: "and here"}}},
		{Range: r, Code: int32(7), Message: "numeric code"},
		{Range: r, Tags: []protocol.DiagnosticTag{protocol.DiagnosticTagUnnecessary}, Message: "tags"},
		{Range: r, Data: map[string]any{"k": 1}, Message: "data"},
		{Range: r, CodeDescription: &protocol.CodeDescription{Href: "https://example.com"}, Message: "href"},
		{Range: r, Severity: 1.5, Message: "fractional severity"},
		{Range: r, RelatedInformation: []protocol.DiagnosticRelatedInformation{}, Message: "empty related"},
	}
	for _, tc := range []struct {
		name  string
		diags []protocol.Diagnostic
	}{{"analysis", real}, {"odd", odd}, {"empty", []protocol.Diagnostic{}}} {
		want, err := json.Marshal(tc.diags)
		if err != nil {
			t.Fatal(err)
		}
		if got := appendDiagnostics(nil, tc.diags); !bytes.Equal(got, want) {
			t.Errorf("%s:\n got %s\nwant %s", tc.name, got, want)
		}
	}
}

// An encoding that copies the diagnostics equal to the previous snapshot's from its
// encoding is encoding/json's, whatever changed between the two lists: on a real
// edit's snapshot, and on lists changed in each way a copy could go wrong.
func TestEncodingFollowsPrevious(t *testing.T) {
	c, uri := openBig(t, 200)
	c.change(uri, 2, &protocol.Range{Start: protocol.Position{Line: 7}, End: protocol.Position{Line: 7}}, "-- edited\n")
	c.waitDiags(uri, 2)
	sn := c.snap(uri)
	if sn.diagsJSON.prev != nil || !sn.diagsJSON.done {
		t.Fatalf("the published snapshot's encoding: done %v, still linked %v", sn.diagsJSON.done, sn.diagsJSON.prev != nil)
	}
	want, _ := json.Marshal(sn.diags)
	if got := sn.diagsJSON.of(sn.diags); !bytes.Equal(got, want) {
		t.Fatalf("the edited snapshot's encoding differs from encoding/json's:\n got %s\nwant %s", got, want)
	}

	prev := sn.diags
	var prevEnc encodedDiagnostics
	prevEnc.of(prev)
	edited := func(f func([]protocol.Diagnostic) []protocol.Diagnostic) []protocol.Diagnostic {
		return f(append([]protocol.Diagnostic(nil), prev...))
	}
	tags := protocol.Diagnostic{Range: prev[3].Range, Tags: []protocol.DiagnosticTag{protocol.DiagnosticTagUnnecessary}, Message: prev[3].Message}
	for _, tc := range []struct {
		name  string
		diags []protocol.Diagnostic
	}{
		{"same", edited(func(l []protocol.Diagnostic) []protocol.Diagnostic { return l })},
		{"one message", edited(func(l []protocol.Diagnostic) []protocol.Diagnostic { l[5].Message += " <changed>"; return l })},
		{"one range", edited(func(l []protocol.Diagnostic) []protocol.Diagnostic { l[0].Range.End.Character++; return l })},
		{"first dropped", edited(func(l []protocol.Diagnostic) []protocol.Diagnostic { return l[1:] })},
		{"one more", edited(func(l []protocol.Diagnostic) []protocol.Diagnostic { return append(l, l[0]) })},
		{"fewer", edited(func(l []protocol.Diagnostic) []protocol.Diagnostic { return l[:4] })},
		{"tags", edited(func(l []protocol.Diagnostic) []protocol.Diagnostic { l[3] = tags; return l })},
		{"related", edited(func(l []protocol.Diagnostic) []protocol.Diagnostic {
			l[2].RelatedInformation = []protocol.DiagnosticRelatedInformation{{Location: protocol.Location{URI: "file:///a.go"}, Message: "used here"}}
			return l
		})},
		{"none", []protocol.Diagnostic{}},
	} {
		var e encodedDiagnostics
		e.follow(&prevEnc, prev)
		got := e.of(tc.diags)
		want, err := json.Marshal(tc.diags)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s:\n got %s\nwant %s", tc.name, got, want)
		}
	}

	// An edit that changes no diagnostic shares the previous encoding and its
	// result id, which must be the id its content hashes to.
	_, prevID := prevEnc.resultID(prev)
	var same, fresh encodedDiagnostics
	same.follow(&prevEnc, prev)
	_, sameID := same.resultID(edited(func(l []protocol.Diagnostic) []protocol.Diagnostic { return l }))
	_, freshID := fresh.resultID(prev)
	if sameID != prevID || freshID != prevID {
		t.Errorf("result ids: previous %q, unchanged edit %q, hashed afresh %q", prevID, sameID, freshID)
	}
	var moved encodedDiagnostics
	moved.follow(&prevEnc, prev)
	if _, id := moved.resultID(edited(func(l []protocol.Diagnostic) []protocol.Diagnostic { l[0].Range.End.Character++; return l })); id == prevID {
		t.Errorf("a changed range kept the result id %q", id)
	}

	// A later snapshot follows only a finished encoding.
	var unfinished, next encodedDiagnostics
	next.follow(&unfinished, prev)
	if next.prev != nil {
		t.Error("followed an encoding not made yet")
	}
}

func BenchmarkEncodeDiagnostics(b *testing.B) {
	c, uri := openBig(b, 1000)
	diags := c.snap(uri).diags
	var prev encodedDiagnostics
	prev.of(diags)
	edited := append([]protocol.Diagnostic(nil), diags...)
	edited[len(edited)/2].Range.End.Character++
	b.Run("fresh", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			var e encodedDiagnostics
			e.of(edited)
		}
	})
	b.Run("after-edit", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			var e encodedDiagnostics
			e.follow(&prev, diags)
			e.of(edited)
		}
	})
}

// openBig opens a migration of n statements (bigMigration) and waits for its analysis.
func openBig(tb testing.TB, n int) (*testClient, string) {
	c := newClient(tb, Options{})
	c.initialize("", "")
	const uri = "file:///tmp/migsafe-encode/0001_big.sql"
	c.open(uri, bigMigration(n))
	c.waitDiags(uri, 1)
	return c, uri
}

// A message written by appendWire is the one its MarshalJSON writes; a spliced result or
// params is written in place of its placeholder, once.
func TestWireMatchesMarshalJSON(t *testing.T) {
	s := &stream{}
	call, err := jsonrpc2.NewCall(jsonrpc2.NewNumberID(3), "textDocument/hover", map[string]int{"a": 1})
	if err != nil {
		t.Fatal(err)
	}
	ok, _ := jsonrpc2.NewResponse(jsonrpc2.NewStringID("x\"1"), rawJSON(bytes.Join(encodedFullReport("4", []byte(`[{"a":"<b>"}]`)), nil)), nil)
	null, _ := jsonrpc2.NewResponse(jsonrpc2.NewNumberID(5), nil, nil)
	failed, _ := jsonrpc2.NewResponse(jsonrpc2.NewNumberID(6), nil, jsonrpc2.Errorf(jsonrpc2.InvalidParams, "bad"))
	other, _ := jsonrpc2.NewResponse(jsonrpc2.NewNumberID(7), nil, errors.New("plain"))
	note, _ := jsonrpc2.NewNotification(protocol.MethodTextDocumentPublishDiagnostics, rawJSON(bytes.Join(encodedPublish("file:///a.sql", 0, []byte("[]")), nil)))
	bare, _ := jsonrpc2.NewNotification("exit", nil)
	for _, m := range []jsonrpc2.Message{call, ok, null, failed, other, note, bare} {
		want, err := m.(json.Marshaler).MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.appendWire(nil, m)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("wire(%T):\n got %s\nwant %s", m, got, want)
		}
	}
}

func TestWireSplices(t *testing.T) {
	s := &stream{}
	report := encodedFullReport("4", []byte(`[{"a":"<b>"}]`))
	resp, _ := jsonrpc2.NewResponse(jsonrpc2.NewNumberID(8), s.splice(report...), nil)
	note, _ := jsonrpc2.NewNotification("textDocument/publishDiagnostics", s.splice(encodedPublish("file:///a.sql", 2, []byte("[]"))...))
	for _, tc := range []struct {
		m    jsonrpc2.Message
		want string
	}{
		{resp, `{"jsonrpc":"2.0","result":{"kind":"full","resultId":"4","items":[{"a":"<b>"}]},"id":8}`},
		{note, `{"jsonrpc":"2.0","method":"textDocument/publishDiagnostics","params":{"uri":"file:///a.sql","version":2,"diagnostics":[]}}`},
	} {
		got, err := s.appendWire(nil, tc.m)
		if err != nil || string(got) != tc.want {
			t.Errorf("wire = %s, %v; want %s", got, err, tc.want)
		}
		if again, _ := s.appendWire(nil, tc.m); bytes.Equal(again, got) {
			t.Errorf("a splice was written twice: %s", again)
		}
	}
	if len(s.splices.data) != 0 {
		t.Errorf("%d splices kept after their messages were written", len(s.splices.data))
	}
	// A message that is not written (its request cancelled) does not keep its splice.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	gone, _ := jsonrpc2.NewResponse(jsonrpc2.NewNumberID(9), s.splice(report...), nil)
	if _, err := s.Write(ctx, gone); err == nil || len(s.splices.data) != 0 {
		t.Errorf("cancelled write: %v, %d splices kept", err, len(s.splices.data))
	}
}

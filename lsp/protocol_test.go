package lsp

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"

	"github.com/migsafe/migsafe/engine"
	"github.com/migsafe/migsafe/engine/config"
)

// rawConn is a client speaking bytes to a server, for frames no real client library
// would write.
type rawConn struct {
	t    *testing.T
	cli  net.Conn
	in   *bufio.Reader
	exit chan int
	out  chan string
}

func newRawConn(t *testing.T, opts Options) *rawConn {
	t.Helper()
	if opts.Logger == nil {
		opts.Logger = testLogger(t)
	}
	return rawConnTo(t, NewServer(opts))
}

// rawConnTo is a rawConn to srv.
func rawConnTo(t *testing.T, srv *Server) *rawConn {
	t.Helper()
	srvSide, cli := net.Pipe()
	t.Cleanup(func() { cli.Close() })
	r := &rawConn{t: t, cli: cli, in: bufio.NewReader(cli), exit: make(chan int, 1), out: make(chan string, 16)}
	go func() {
		for s := range r.out {
			_, _ = io.WriteString(cli, s)
		}
	}()
	t.Cleanup(func() { close(r.out) })
	go func() { r.exit <- srv.Serve(context.Background(), srvSide) }()
	return r
}

// write queues bytes to send as they are, without framing, in order. (net.Pipe has no
// buffer: a write waits for the server to read it, which may wait for us to read.)
func (r *rawConn) write(s string) {
	r.out <- s
}

func (r *rawConn) send(body string) {
	r.write(fmt.Sprintf("Content-Length: %d\r\n\r\n%s", len(body), body))
}

// messages reads what the server sends until it closes the stream or d passes.
func (r *rawConn) messages(d time.Duration) []map[string]any {
	var out []map[string]any
	r.cli.SetReadDeadline(time.Now().Add(d))
	for {
		n := -1
		for {
			line, err := r.in.ReadString('\n')
			if err != nil {
				return out
			}
			if strings.TrimSpace(line) == "" {
				break
			}
			fmt.Sscanf(line, "Content-Length: %d", &n)
		}
		buf := make([]byte, n)
		if _, err := io.ReadFull(r.in, buf); err != nil {
			return out
		}
		var m map[string]any
		if err := json.Unmarshal(buf, &m); err != nil {
			r.t.Fatalf("server sent a body that is not JSON: %q", buf)
		}
		out = append(out, m)
	}
}

// TestFramingErrors: a frame the server cannot delimit ends the session with exit code
// 1 (so the editor restarts the server) and a showMessage saying why, instead of a
// server and a client each waiting for the other.
func TestFramingErrors(t *testing.T) {
	const initialize = `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}`
	for _, tc := range []struct{ name, frames, why string }{
		// The client waits for the answer to a message the server is still reading.
		{"Content-Length too large", fmt.Sprintf("Content-Length: %d\r\n\r\n%s", len(initialize)+10, initialize), "nothing more arrived"},
		// The rest of the body is read as a header, and the next message after it.
		{"Content-Length too small", fmt.Sprintf("Content-Length: %d\r\n\r\n%s", len(initialize)-5, initialize) +
			fmt.Sprintf("Content-Length: %d\r\n\r\n%s", len(initialize), initialize), "invalid header line"},
		// Two messages under one header: the first body holds the second's header.
		{"body runs into the next message", fmt.Sprintf("Content-Length: %d\r\n\r\n%s", len(initialize)+len(initialize)/2, initialize) +
			fmt.Sprintf("Content-Length: %d\r\n\r\n%s", len(initialize), initialize), "another message's header"},
		{"Content-Length not a number", "Content-Length: abc\r\n\r\n" + initialize, `invalid Content-Length "abc"`},
		{"header line without a colon", "Content-Length 77\r\n\r\n" + initialize, "invalid header line"},
		{"no Content-Length", "Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n" + initialize, "without Content-Length"},
		{"body without a header", initialize, "in a header line"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRawConn(t, Options{FrameStall: 200 * time.Millisecond})
			r.write(tc.frames)
			var said string
			for _, m := range r.messages(5 * time.Second) {
				if m["method"] == protocol.MethodWindowShowMessage {
					said = m["params"].(map[string]any)["message"].(string)
				}
			}
			select {
			case code := <-r.exit:
				if code != 1 {
					t.Errorf("exit code %d, want 1", code)
				}
			case <-time.After(5 * time.Second):
				t.Fatal("the server neither answered nor exited")
			}
			if !strings.Contains(said, tc.why) {
				t.Errorf("showMessage = %q, want it to say %q", said, tc.why)
			}
		})
	}

	// A broken frame after shutdown still exits 1: the session did not end cleanly.
	t.Run("after shutdown", func(t *testing.T) {
		r := newRawConn(t, Options{FrameStall: 200 * time.Millisecond})
		r.send(initialize)
		r.send(`{"jsonrpc":"2.0","id":2,"method":"shutdown"}`)
		r.write("Content-Length: x\r\n\r\n{}")
		r.messages(5 * time.Second)
		if code := <-r.exit; code != 1 {
			t.Errorf("exit code %d, want 1", code)
		}
	})

	// An idle client is not a broken frame: between messages the server waits.
	t.Run("idle between messages", func(t *testing.T) {
		r := newRawConn(t, Options{FrameStall: 50 * time.Millisecond})
		r.send(initialize)
		if got := r.messages(300 * time.Millisecond); len(got) != 1 || got[0]["id"] != 1.0 {
			t.Fatalf("answers to initialize = %v", got)
		}
		select {
		case code := <-r.exit:
			t.Fatalf("an idle server exited with %d", code)
		default:
		}
		r.send(`{"jsonrpc":"2.0","id":2,"method":"shutdown"}`)
		r.send(`{"jsonrpc":"2.0","method":"exit"}`)
		r.messages(5 * time.Second) // read the answer to shutdown until the server closes
		if code := <-r.exit; code != 0 {
			t.Errorf("exit code after shutdown and exit = %d, want 0", code)
		}
	})
}

// TestRejectedEdits: an edit whose range is not in the server's text is refused, all
// of its didChange, with an error logged and shown; the server keeps the last good
// text and version, and later edits apply to it.
func TestRejectedEdits(t *testing.T) {
	const text = "-- é😀\n" + createIdx + "\n"
	for _, tc := range []struct {
		name    string
		changes []contentChange
		why     string
	}{
		{"reversed", []contentChange{{Range: rng(1, 10, 1, 2), Text: "x"}}, "reversed"},
		{"line past the end", []contentChange{{Range: rng(5, 0, 5, 0), Text: "x"}}, "line 5 is past the end (the text has 3 lines)"},
		{"character past the end of its line", []contentChange{{Range: rng(0, 6, 0, 9), Text: "x"}}, "character 9 is past the end of line 0 (6 long)"},
		{"inside a surrogate pair", []contentChange{{Range: rng(0, 5, 0, 5), Text: "x"}}, "inside a character"},
		{"second of two changes", []contentChange{{Range: rng(0, 0, 0, 0), Text: "ok "}, {Range: rng(1, 4, 1, 1), Text: "x"}}, "change 2 of 2: the range 1:4-1:1 is reversed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newClient(t, Options{})
			c.initialize("", "")
			const uri = "file:///tmp/migsafe-reject/0001_x.sql"
			c.open(uri, text)
			c.waitDiags(uri, 1)
			c.notify(protocol.MethodTextDocumentDidChange, didChangeParams{
				TextDocument:   protocol.VersionedTextDocumentIdentifier{TextDocumentIdentifier: protocol.TextDocumentIdentifier{URI: uri}, Version: 2},
				ContentChanges: tc.changes,
			})
			select {
			case m := <-c.messages:
				if m.Type != protocol.MessageTypeError || !strings.Contains(m.Message, tc.why) || !strings.Contains(m.Message, "0001_x.sql") {
					t.Errorf("showMessage = %v %q, want an error naming the file and %q", m.Type, m.Message, tc.why)
				}
			case <-time.After(5 * time.Second):
				t.Fatal("no showMessage for a rejected edit")
			}
			if got := c.text(uri); got != text {
				t.Errorf("text after a rejected edit = %q, want the last good text", got)
			}
			// The version was not taken: version 2 can still come, and applies.
			c.change(uri, 2, rng(2, 0, 2, 0), "SELECT 1;\n")
			c.barrier()
			if got := c.text(uri); got != text+"SELECT 1;\n" {
				t.Errorf("text after a good edit = %q", got)
			}
		})
	}
}

// TestInvalidParams: params of the wrong shape are answered with -32602, whichever
// decoder reads them, and a notification with bad params leaves the server running.
func TestInvalidParams(t *testing.T) {
	c := newClient(t, Options{})
	c.initialize(`{"textDocument": {"diagnostic": {}}}`, "")
	const uri = "file:///tmp/migsafe-params/0001_x.sql"
	c.open(uri, createIdx)
	bad := []struct {
		method string
		params json.RawMessage
	}{
		{protocol.MethodTextDocumentHover, json.RawMessage(`{"textDocument": "not an object", "position": {"line": 0, "character": 0}}`)},
		{protocol.MethodTextDocumentDocumentSymbol, json.RawMessage(`[1, 2]`)},
		{protocol.MethodTextDocumentCodeLens, json.RawMessage(`"a string"`)},
		{protocol.MethodTextDocumentCodeAction, json.RawMessage(`{"textDocument": {"uri": 5}}`)},
		{methodDiagnostic, json.RawMessage(`{"textDocument": {"uri": ["x"]}}`)},
	}
	for _, b := range bad {
		err := c.call(b.method, b.params, nil)
		var rpcErr *jsonrpc2.Error
		if !errors.As(err, &rpcErr) || rpcErr.Code != jsonrpc2.InvalidParams {
			t.Errorf("%s with %s: %v, want code -32602", b.method, b.params, err)
		}
	}
	c.notify(protocol.MethodTextDocumentDidChange, json.RawMessage(`{"textDocument": 7}`))
	var full fullReport
	if err := c.call(methodDiagnostic, map[string]any{"textDocument": map[string]string{"uri": uri}}, &full); err != nil || find(full.Items, indexRule) == nil {
		t.Errorf("after a bad notification: %v %v", err, codes(full.Items))
	}
}

// TestPullDuringDebounce: a pull for diagnostics while an edit waits out the debounce
// (one the user chose: by default a pulling client's edits do not wait, see
// TestPullClientEditsAnalysedAtOnce) analyses the edit at once. With an hour's
// debounce, only that can answer with the new version's findings (a request otherwise
// gives up waiting after staleWait and answers from the version before).
func TestPullDuringDebounce(t *testing.T) {
	c := newClient(t, Options{Debounce: time.Hour, DebouncePulls: true})
	c.initialize(`{"textDocument": {"diagnostic": {}}}`, "")
	const uri = "file:///tmp/migsafe-pull-debounce/0001_x.sql"
	c.open(uri, "SELECT 1;\n")
	params := map[string]any{"textDocument": map[string]string{"uri": uri}}
	var first fullReport
	if err := c.call(methodDiagnostic, params, &first); err != nil || len(first.Items) != 0 {
		t.Fatalf("first pull: %v %v", err, codes(first.Items))
	}
	c.change(uri, 2, nil, createIdx+"\n")
	start := time.Now()
	var full fullReport
	if err := c.call(methodDiagnostic, map[string]any{"textDocument": map[string]string{"uri": uri}, "previousResultId": first.ResultID}, &full); err != nil {
		t.Fatal(err)
	}
	if full.Kind != "full" || find(full.Items, indexRule) == nil {
		t.Errorf("pull during the debounce answered %s %v, want version 2's findings", full.Kind, codes(full.Items))
	}
	if took := time.Since(start); took >= staleWait {
		t.Errorf("the pull waited %v: it answered from the stale fallback, not an analysis started at once", took)
	}
	// The cancelled timer does not analyse the version a second time.
	c.srv.mu.Lock()
	d := c.srv.docs[uri]
	c.srv.mu.Unlock()
	d.mu.Lock()
	gen := d.gen
	d.mu.Unlock()
	var again fullReport
	if err := c.call(methodDiagnostic, map[string]any{"textDocument": map[string]string{"uri": uri}, "previousResultId": full.ResultID}, &again); err != nil || again.Kind != "unchanged" {
		t.Errorf("second pull: %v %s, want unchanged", err, again.Kind)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.gen != gen {
		t.Errorf("a second pull scheduled another analysis (gen %d -> %d)", gen, d.gen)
	}
}

// TestPullClientEditsAnalysedAtOnce: with the push debounce at an hour but not chosen
// for pulls, a pulling client's edit is analysed without any request asking for it,
// and a push client's edit is not (it waits out the debounce).
func TestPullClientEditsAnalysedAtOnce(t *testing.T) {
	for _, tc := range []struct {
		name, caps string
		want       bool
	}{{"pull", `{"textDocument": {"diagnostic": {}}}`, true}, {"push", `{}`, false}} {
		t.Run(tc.name, func(t *testing.T) {
			c := newClient(t, Options{Debounce: time.Hour})
			c.initialize(tc.caps, "")
			uri := "file:///tmp/migsafe-pull-at-once-" + tc.name + "/0001_x.sql"
			c.open(uri, "SELECT 1;\n")
			analysedAt := func(v int32) bool {
				c.srv.mu.Lock()
				d := c.srv.docs[protocol.DocumentURI(uri)]
				c.srv.mu.Unlock()
				if d == nil {
					return false
				}
				d.mu.Lock()
				defer d.mu.Unlock()
				return d.snap != nil && d.snap.version == v
			}
			for deadline := time.Now().Add(5 * time.Second); !analysedAt(1) && time.Now().Before(deadline); {
				time.Sleep(time.Millisecond)
			}
			c.change(uri, 2, nil, createIdx+"\n")
			analysed := func() bool { return analysedAt(2) }
			wait := 5 * time.Second
			if !tc.want {
				wait = 300 * time.Millisecond // long enough for an analysis started at once
			}
			for deadline := time.Now().Add(wait); !analysed() && time.Now().Before(deadline); {
				time.Sleep(time.Millisecond)
			}
			if got := analysed(); got != tc.want {
				t.Errorf("version 2 analysed without a request: %v, want %v", got, tc.want)
			}
		})
	}
}

// TestPullLogsItsLatency: a pull of the current version logs how long ago its edit
// arrived (scripts/bench-lsp.sh reads it as the server's span of a pull), at least the
// analysis it waited for.
func TestPullLogsItsLatency(t *testing.T) {
	core, logs := observer.New(zap.DebugLevel)
	slow := func(path, text string, cfg *config.Config, opts engine.Options) *engine.Result {
		time.Sleep(20 * time.Millisecond)
		return engine.Analyze(path, text, cfg, opts)
	}
	c := newClient(t, Options{Logger: zap.New(core), Analyze: slow})
	c.initialize(`{"textDocument": {"diagnostic": {}}}`, "")
	const uri = "file:///tmp/migsafe-pull-latency/0001_x.sql"
	c.open(uri, "SELECT 1;\n")
	c.change(uri, 2, nil, createIdx+"\n")
	var r fullReport
	if err := c.call(methodDiagnostic, map[string]any{"textDocument": map[string]string{"uri": uri}}, &r); err != nil {
		t.Fatal(err)
	}
	// The entry is written after the answer.
	for deadline := time.Now().Add(5 * time.Second); logs.FilterMessage("pulled").Len() == 0 && time.Now().Before(deadline); {
		time.Sleep(time.Millisecond)
	}
	var found bool
	for _, e := range logs.FilterMessage("pulled").All() {
		m := e.ContextMap()
		if m["version"] == int32(2) {
			found = true
			if since := m["sinceEdit"].(time.Duration); since < 20*time.Millisecond {
				t.Errorf("sinceEdit %v, less than the analysis it waited for", since)
			}
		}
	}
	if !found {
		t.Errorf("no \"pulled\" entry for version 2 in %d entries", logs.Len())
	}
}

// TestWorkspaceConfiguration: a client that answers workspace/configuration is asked
// for the "migsafe" section after initialized and again on didChangeConfiguration,
// and its answer is what the analysis uses.
func TestWorkspaceConfiguration(t *testing.T) {
	c := newClient(t, Options{})
	c.configuration = json.RawMessage(`{"tables": {"users": "50M"}}`)
	c.initialize(`{"workspace": {"configuration": true}}`, `{"migsafe": {"tables": {"users": 5}}}`)
	select {
	case p := <-c.configAsked:
		if !strings.Contains(string(p), `"section":"migsafe"`) {
			t.Errorf("workspace/configuration params = %s", p)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the server did not ask for workspace/configuration")
	}
	const uri = "file:///tmp/migsafe-config-pull/0001_x.sql"
	c.open(uri, createIdx)
	hover := func() string {
		var h protocol.Hover
		deadline := time.Now().Add(5 * time.Second)
		for time.Now().Before(deadline) {
			h = protocol.Hover{}
			if err := c.call(protocol.MethodTextDocumentHover, protocol.HoverParams{TextDocumentPositionParams: protocol.TextDocumentPositionParams{
				TextDocument: protocol.TextDocumentIdentifier{URI: uri}, Position: protocol.Position{Character: 2}}}, &h); err != nil {
				t.Fatal(err)
			}
			if strings.Contains(h.Contents.Value, "at ~50M rows") {
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
		return h.Contents.Value
	}
	if v := hover(); !strings.Contains(v, "at ~50M rows") {
		t.Errorf("hover does not use the pulled settings (users: 50M): %s", v)
	}
	c.notify(protocol.MethodWorkspaceDidChangeConfiguration, map[string]any{"settings": nil})
	select {
	case <-c.configAsked:
	case <-time.After(5 * time.Second):
		t.Fatal("didChangeConfiguration did not make the server ask again")
	}
}

// TestPullUnchangedAfterEdit: the result id names the diagnostics, not the version, so
// after an edit that changes no diagnostic (a comment typed below the statement) a
// client sending the id it holds, as VS Code does, is answered "unchanged"; an edit
// that changes one is answered in full under a new id, and going back to the first
// text is "unchanged" against the first id again.
func TestPullUnchangedAfterEdit(t *testing.T) {
	c := newClient(t, Options{})
	c.initialize(`{"textDocument": {"diagnostic": {}}}`, "")
	const uri = "file:///tmp/migsafe-pull-unchanged/0001_x.sql"
	text := createIdx + "\n"
	c.open(uri, text)
	pull := func(prev string) fullReport {
		t.Helper()
		var r fullReport
		if err := c.call(methodDiagnostic, map[string]any{"textDocument": map[string]string{"uri": uri}, "previousResultId": prev}, &r); err != nil {
			t.Fatal(err)
		}
		return r
	}
	first := pull("")
	if first.Kind != "full" || find(first.Items, indexRule) == nil || first.ResultID == "" {
		t.Fatalf("first pull: %s %q %v", first.Kind, first.ResultID, codes(first.Items))
	}
	c.change(uri, 2, rng(1, 0, 1, 0), "-- reviewed\n")
	if r := pull(first.ResultID); r.Kind != "unchanged" || r.ResultID != first.ResultID {
		t.Errorf("after a comment: %s %q, want unchanged %q", r.Kind, r.ResultID, first.ResultID)
	}
	c.change(uri, 3, rng(0, 0, 0, 0), createIdx+"\n")
	second := pull(first.ResultID)
	if second.Kind != "full" || second.ResultID == first.ResultID || len(second.Items) <= len(first.Items) {
		t.Errorf("after a second index: %s %q (first %q), %d items (first %d)", second.Kind, second.ResultID, first.ResultID, len(second.Items), len(first.Items))
	}
	c.change(uri, 4, nil, text)
	if r := pull(first.ResultID); r.Kind != "unchanged" {
		t.Errorf("back to the first text: %s, want unchanged", r.Kind)
	}
	// A client holding no id, or another document's, is answered in full.
	if r := pull(""); r.Kind != "full" || r.ResultID != first.ResultID {
		t.Errorf("no previous id: %s %q", r.Kind, r.ResultID)
	}
}

// TestSettingsErrorsShownOnce: a client that sends its settings as
// initializationOptions and answers workspace/configuration with the same ones (as the
// Neovim plugin and VS Code do) sees each bad value once, not twice; a new mistake
// after didChangeConfiguration is shown.
func TestSettingsErrorsShownOnce(t *testing.T) {
	c := newClient(t, Options{})
	// The same mistake both ways; the sizes differ only to tell when the answer is applied.
	c.configuration = json.RawMessage(`{"pgVersion": "fifteen", "tables": {"users": "60M"}}`)
	c.initialize(`{"workspace": {"configuration": true}}`, `{"migsafe": {"pgVersion": "fifteen", "tables": {"users": "50M"}}}`)
	const uri = "file:///tmp/migsafe-settings-once/0001_x.sql"
	c.open(uri, createIdx)
	// The hover uses the size once the answer to workspace/configuration is applied,
	// which is after its errors are shown: they are in c.messages by then.
	hoverHas := func(want string) {
		t.Helper()
		deadline := time.Now().Add(5 * time.Second)
		for {
			var h protocol.Hover
			if err := c.call(protocol.MethodTextDocumentHover, protocol.HoverParams{TextDocumentPositionParams: protocol.TextDocumentPositionParams{
				TextDocument: protocol.TextDocumentIdentifier{URI: uri}, Position: protocol.Position{Character: 2}}}, &h); err != nil {
				t.Fatal(err)
			}
			if strings.Contains(h.Contents.Value, want) {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("hover never said %q: %s", want, h.Contents.Value)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	<-c.configAsked
	hoverHas("at ~60M rows")
	drain := func() (msgs []string) {
		for {
			select {
			case m := <-c.messages:
				msgs = append(msgs, m.Message)
			default:
				return msgs
			}
		}
	}
	if got := drain(); len(got) != 1 || !strings.Contains(got[0], "pgVersion") {
		t.Errorf("messages after initialize and workspace/configuration = %q, want the pgVersion error once", got)
	}
	c.configuration = json.RawMessage(`{"pgVersion": "fifteen", "tables": {"users": "70M"}, "runner": "flyaway"}`)
	c.notify(protocol.MethodWorkspaceDidChangeConfiguration, map[string]any{"settings": nil})
	<-c.configAsked
	hoverHas("at ~70M rows")
	if got := drain(); len(got) != 2 || !strings.Contains(got[1], "runner") {
		t.Errorf("messages after a new mistake = %q, want both errors again", got)
	}
}

// TestCancelledRequestIsAnswered: a request the client cancels ($/cancelRequest, as
// VS Code does for a pull it no longer needs) is answered with RequestCancelled, as
// the specification requires. The answer was written with the cancelled request's
// context, so it was never sent: a client that waits for it (vscode-jsonrpc does,
// and Neovim's buf_request_sync) waited for ever.
func TestCancelledRequestIsAnswered(t *testing.T) {
	srv := NewServer(Options{Logger: testLogger(t)})
	// The pull starts once its cancel has been read, as on a busy server.
	srv.hook = func(method string) {
		if method == methodDiagnostic {
			time.Sleep(200 * time.Millisecond)
		}
	}
	r := rawConnTo(t, srv)
	r.send(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{"textDocument":{"diagnostic":{}}}}}`)
	r.send(`{"jsonrpc":"2.0","method":"initialized","params":{}}`)
	r.send(`{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"file:///tmp/migsafe-cancel/0001_x.sql","languageId":"sql","version":1,"text":"SELECT 1;\n"}}}`)
	r.send(`{"jsonrpc":"2.0","id":2,"method":"textDocument/diagnostic","params":{"textDocument":{"uri":"file:///tmp/migsafe-cancel/0001_x.sql"}}}`)
	r.send(`{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":2}}`)
	r.send(`{"jsonrpc":"2.0","id":3,"method":"textDocument/diagnostic","params":{"textDocument":{"uri":"file:///tmp/migsafe-cancel/0001_x.sql"}}}`)
	answered := map[float64]map[string]any{}
	deadline := time.Now().Add(5 * time.Second)
	for len(answered) < 3 && time.Now().Before(deadline) {
		for _, m := range r.messages(500 * time.Millisecond) {
			if id, ok := m["id"].(float64); ok {
				answered[id] = m
			}
		}
	}
	e, _ := answered[2]["error"].(map[string]any)
	if answered[2] == nil || answered[2]["result"] == nil && (e == nil || e["code"] != float64(protocol.CodeRequestCancelled)) {
		t.Errorf("cancelled pull answered %v, want an error with code %d (or its result)", answered[2], protocol.CodeRequestCancelled)
	}
	if answered[3] == nil || answered[3]["result"] == nil {
		t.Errorf("the pull after it answered %v", answered[3])
	}
}

// TestDebounceSettingRemoved: settings that no longer set debounceMs (the user
// removed migsafe.debounceMs) bring back the server's own debounce, for pushes and
// pulls; the last debounceMs stayed for the rest of the session.
func TestDebounceSettingRemoved(t *testing.T) {
	c := newClient(t, Options{Debounce: DefaultDebounce})
	c.initialize(`{"textDocument": {"diagnostic": {}}}`, `{"migsafe": {"debounceMs": 900}}`)
	state := func() (time.Duration, bool) {
		c.srv.mu.Lock()
		defer c.srv.mu.Unlock()
		return c.srv.debounce, c.srv.debouncePulls
	}
	if d, pulls := state(); d != 900*time.Millisecond || !pulls {
		t.Fatalf("with debounceMs 900: %v (pulls %v)", d, pulls)
	}
	c.notify(protocol.MethodWorkspaceDidChangeConfiguration, map[string]any{"settings": map[string]any{"migsafe": map[string]any{"pgVersion": 14}}})
	c.barrier()
	if d, pulls := state(); d != DefaultDebounce || pulls {
		t.Errorf("debounceMs removed: %v (pulls %v), want the default %v for pushes only", d, pulls, DefaultDebounce)
	}
}

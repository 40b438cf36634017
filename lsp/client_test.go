package lsp

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/migsafe/migsafe/engine"
	"github.com/migsafe/migsafe/engine/migration"
)

// publishParams is PublishDiagnosticsParams with the version a pointer: protocol
// v0.12.0 omits version 0, which the server sends for a freshly opened buffer.
type publishParams struct {
	URI         protocol.DocumentURI  `json:"uri"`
	Version     *int32                `json:"version,omitempty"`
	Diagnostics []protocol.Diagnostic `json:"diagnostics"`
}

// testClient is an LSP client speaking to an in-process Server over net.Pipe.
type testClient struct {
	t        testing.TB
	srv      *Server
	conn     jsonrpc2.Conn
	raw      io.ReadWriteCloser
	diags    chan publishParams
	messages chan protocol.ShowMessageParams
	regs     chan protocol.RegistrationParams
	refresh  chan struct{}
	exit     chan int
	// configuration answers workspace/configuration; configAsked records the requests.
	configuration json.RawMessage
	configAsked   chan json.RawMessage
	enc           migration.Encoding
}

// newClient starts a server; opts.Logger defaults to the test log.
func newClient(t testing.TB, opts Options) *testClient {
	t.Helper()
	if opts.Logger == nil {
		opts.Logger = testLogger(t)
	}
	srvSide, cliSide := net.Pipe()
	c := connect(t, cliSide)
	c.srv = NewServer(opts)
	go func() { c.exit <- c.srv.Serve(context.Background(), srvSide) }()
	return c
}

// connect is a client speaking over raw to a server elsewhere (in process, or a child
// process: see child_test.go); whoever starts the server reports its exit code on exit.
func connect(t testing.TB, raw io.ReadWriteCloser) *testClient {
	t.Helper()
	c := &testClient{t: t, raw: raw,
		diags: make(chan publishParams, 100), messages: make(chan protocol.ShowMessageParams, 100),
		regs: make(chan protocol.RegistrationParams, 10), refresh: make(chan struct{}, 10), exit: make(chan int, 1), enc: migration.UTF16,
		configAsked: make(chan json.RawMessage, 10)}
	c.conn = jsonrpc2.NewConn(jsonrpc2.NewStream(raw))
	c.conn.Go(context.Background(), func(ctx context.Context, reply jsonrpc2.Replier, req jsonrpc2.Request) error {
		switch req.Method() {
		case protocol.MethodTextDocumentPublishDiagnostics:
			var p publishParams
			if err := json.Unmarshal(req.Params(), &p); err != nil {
				t.Errorf("bad publishDiagnostics: %v", err)
			}
			c.diags <- p
		case protocol.MethodWindowShowMessage:
			var p protocol.ShowMessageParams
			_ = json.Unmarshal(req.Params(), &p)
			c.messages <- p
		case protocol.MethodClientRegisterCapability:
			var p protocol.RegistrationParams
			_ = json.Unmarshal(req.Params(), &p)
			c.regs <- p
		case methodDiagnosticRefresh:
			select {
			case c.refresh <- struct{}{}:
			default: // a test that does not read them must not stall the connection
			}
		case methodConfiguration:
			c.configAsked <- req.Params()
			return reply(ctx, []json.RawMessage{c.configuration}, nil)
		}
		return reply(ctx, nil, nil)
	})
	t.Cleanup(func() { raw.Close() })
	return c
}

// initialize sends initialize and initialized; caps and opts are raw JSON objects.
func (c *testClient) initialize(caps, initOpts string) map[string]any {
	c.t.Helper()
	if caps == "" {
		caps = "{}"
	}
	if initOpts == "" {
		initOpts = "null"
	}
	var res map[string]any
	params := json.RawMessage(`{"processId": 1, "rootUri": null, "capabilities": ` + caps + `, "initializationOptions": ` + initOpts + `}`)
	if err := c.call(protocol.MethodInitialize, params, &res); err != nil {
		c.t.Fatalf("initialize: %v", err)
	}
	if strings.Contains(caps, `"utf-8"`) {
		c.enc = migration.UTF8
	}
	c.notify(protocol.MethodInitialized, struct{}{})
	return res
}

func (c *testClient) call(method string, params, result any) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := c.conn.Call(ctx, method, params, result)
	return err
}

func (c *testClient) notify(method string, params any) {
	c.t.Helper()
	if err := c.conn.Notify(context.Background(), method, params); err != nil {
		c.t.Fatalf("%s: %v", method, err)
	}
}

func (c *testClient) open(uri, text string) {
	c.t.Helper()
	c.notify(protocol.MethodTextDocumentDidOpen, protocol.DidOpenTextDocumentParams{TextDocument: protocol.TextDocumentItem{
		URI: protocol.DocumentURI(uri), LanguageID: "sql", Version: 1, Text: text}})
}

// change sends one didChange; r nil replaces the whole text.
func (c *testClient) change(uri string, version int32, r *protocol.Range, text string) {
	c.t.Helper()
	c.notify(protocol.MethodTextDocumentDidChange, didChangeParams{
		TextDocument:   protocol.VersionedTextDocumentIdentifier{TextDocumentIdentifier: protocol.TextDocumentIdentifier{URI: protocol.DocumentURI(uri)}, Version: version},
		ContentChanges: []contentChange{{Range: r, Text: text}},
	})
}

// waitDiags waits for the diagnostics of a version, failing on timeout. The timeout
// only guards against a hang: a 10 MB document takes 5-6 s alone and several times
// that on two cores shared with the rest of the suite, so it is generous.
// pull asks for the diagnostics of uri (textDocument/diagnostic, no result id) and
// returns the full report's items.
func (c *testClient) pull(uri string) []protocol.Diagnostic {
	c.t.Helper()
	var full fullReport
	if err := c.call(methodDiagnostic, map[string]any{"textDocument": map[string]string{"uri": uri}}, &full); err != nil {
		c.t.Fatal(err)
	}
	return full.Items
}

func (c *testClient) waitDiags(uri string, version int32) publishParams {
	c.t.Helper()
	timeout := time.After(90 * time.Second)
	for {
		select {
		case p := <-c.diags:
			if string(p.URI) == uri && p.Version != nil && *p.Version == version {
				return p
			}
		case <-timeout:
			c.t.Fatalf("no diagnostics for %s version %d", uri, version)
		}
	}
}

// barrier returns once the server has read every notification sent before it: they
// are applied in order, before the next request is read.
func (c *testClient) barrier() {
	_ = c.call("migsafe/barrier", nil, nil) // MethodNotFound is the expected answer
}

// result returns the analysis of a document's latest snapshot.
func (c *testClient) result(uri string) *engine.Result { return c.snap(uri).res }

// snap returns a document's latest snapshot.
func (c *testClient) snap(uri string) *snapshot {
	c.srv.mu.Lock()
	d := c.srv.docs[protocol.DocumentURI(uri)]
	c.srv.mu.Unlock()
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.snap
}

// text returns the server's current text of a document.
func (c *testClient) text(uri string) string {
	c.srv.mu.Lock()
	d := c.srv.docs[protocol.DocumentURI(uri)]
	c.srv.mu.Unlock()
	if d == nil {
		return "<not open>"
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.text
}

func (c *testClient) shutdown() int {
	c.t.Helper()
	if err := c.call(protocol.MethodShutdown, nil, nil); err != nil {
		c.t.Fatalf("shutdown: %v", err)
	}
	c.notify(protocol.MethodExit, nil)
	select {
	case code := <-c.exit:
		return code
	case <-time.After(5 * time.Second):
		c.t.Fatal("server did not exit")
	}
	return -1
}

func codes(diags []protocol.Diagnostic) []string {
	var out []string
	for _, d := range diags {
		out = append(out, d.Code.(string))
	}
	return out
}

func find(diags []protocol.Diagnostic, code string) *protocol.Diagnostic {
	for i := range diags {
		if diags[i].Code == code {
			return &diags[i]
		}
	}
	return nil
}

// applyEdits applies text edits (non-overlapping, any order) in the client's encoding.
func applyEdits(text string, edits []protocol.TextEdit, enc migration.Encoding) string {
	type span struct {
		start, end int
		text       string
	}
	src := migration.NewSource(text)
	spans := make([]span, len(edits))
	for i, e := range edits {
		spans[i] = span{
			start: src.Offset(migration.Position{Line: int(e.Range.Start.Line), Column: int(e.Range.Start.Character)}, enc),
			end:   src.Offset(migration.Position{Line: int(e.Range.End.Line), Column: int(e.Range.End.Character)}, enc),
			text:  e.NewText,
		}
	}
	for len(spans) > 0 { // apply from the back so earlier offsets stay valid
		k := 0
		for j := range spans {
			if spans[j].start > spans[k].start {
				k = j
			}
		}
		text = text[:spans[k].start] + spans[k].text + text[spans[k].end:]
		spans = append(spans[:k], spans[k+1:]...)
	}
	return text
}

// testLogger logs to t until the test ends, and drops what analyses still running
// after it log (testing panics on a Log after the end).
func testLogger(t testing.TB) *zap.Logger {
	w := &testWriter{t: t}
	t.Cleanup(func() {
		w.mu.Lock()
		w.done = true
		w.mu.Unlock()
	})
	enc := zapcore.NewConsoleEncoder(zap.NewDevelopmentEncoderConfig())
	return zap.New(zapcore.NewCore(enc, zapcore.AddSync(w), zapcore.DebugLevel))
}

type testWriter struct {
	t    testing.TB
	mu   sync.Mutex
	done bool
}

func (w *testWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.done {
		w.t.Log(strings.TrimRight(string(p), "\n"))
	}
	return len(p), nil
}

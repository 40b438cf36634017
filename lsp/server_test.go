package lsp

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"

	"github.com/migsafe/migsafe/engine"
	"github.com/migsafe/migsafe/engine/config"
)

const (
	indexRule  = "require-concurrent-index-creation"
	columnRule = "adding-required-column"
	createIdx  = "CREATE INDEX users_email_idx ON users (email);"
)

func rng(l1, c1, l2, c2 uint32) *protocol.Range {
	return &protocol.Range{Start: protocol.Position{Line: l1, Character: c1}, End: protocol.Position{Line: l2, Character: c2}}
}

func TestSync(t *testing.T) {
	// "note" follows é (1 UTF-16 unit, 2 bytes) and 😀 (2 units, 4 bytes).
	const text = "-- é😀 note\n" + createIdx + "\n"
	for _, tc := range []struct {
		name, caps string
		noteCol    uint32 // column of "note" on line 0
		diagCol    uint32 // column of CREATE after "/* é😀 */ "
	}{
		{"utf-16", `{}`, 7, 10},
		{"utf-8", `{"general": {"positionEncodings": ["utf-8", "utf-16"]}}`, 10, 13},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newClient(t, Options{})
			res := c.initialize(tc.caps, "")
			if got := res["capabilities"].(map[string]any)["positionEncoding"]; got != tc.name {
				t.Errorf("positionEncoding = %v, want %s", got, tc.name)
			}
			const uri = "file:///tmp/migsafe-sync/0001_x.sql"
			c.open(uri, text)
			c.waitDiags(uri, 1)

			c.change(uri, 2, rng(0, tc.noteCol, 0, tc.noteCol+4), "NOTE")
			c.barrier()
			if got, want := c.text(uri), "-- é😀 NOTE\n"+createIdx+"\n"; got != want {
				t.Fatalf("incremental edit after é😀: got %q, want %q", got, want)
			}
			// A range past the end is rejected (TestRejectedEdits); the empty last line is
			// there to append at; a stale version and an unopened file change nothing.
			c.change(uri, 3, rng(99, 0, 99, 5), "-- end\n")
			c.change(uri, 3, rng(2, 0, 2, 0), "-- end\n")
			c.change(uri, 3, rng(0, 0, 0, 0), "STALE")
			c.change("file:///tmp/migsafe-sync/other.sql", 9, rng(0, 0, 0, 0), "X")
			c.barrier()
			if got, want := c.text(uri), "-- é😀 NOTE\n"+createIdx+"\n-- end\n"; got != want {
				t.Fatalf("after end/stale/unopened edits: got %q, want %q", got, want)
			}
			// Full replacement, then a diagnostic located after é😀 on its line.
			c.change(uri, 4, nil, "/* é😀 */ "+createIdx+"\n")
			d := find(c.waitDiags(uri, 4).Diagnostics, indexRule)
			if d == nil {
				t.Fatalf("no %s diagnostic after full replacement", indexRule)
			}
			if d.Range.Start.Line != 0 || d.Range.Start.Character != tc.diagCol {
				t.Errorf("diagnostic starts at %d:%d, want 0:%d", d.Range.Start.Line, d.Range.Start.Character, tc.diagCol)
			}
			if code := c.shutdown(); code != 0 {
				t.Errorf("exit code after shutdown = %d, want 0", code)
			}
		})
	}
}

func TestPushDiagnostics(t *testing.T) {
	c := newClient(t, Options{Debounce: 100 * time.Millisecond})
	c.initialize("", "")
	const uri = "file:///tmp/migsafe-push/0001_x.sql"
	c.open(uri, "SELECT 1;\n")
	if p := c.waitDiags(uri, 1); len(p.Diagnostics) != 0 {
		t.Errorf("SELECT 1 has diagnostics: %v", codes(p.Diagnostics))
	}
	// A burst of edits inside the debounce window is analysed once, for the last version.
	for v := int32(2); v <= 5; v++ {
		c.change(uri, v, nil, fmt.Sprintf("%s\n-- edit %d\nALTER TABLE users ADD COLUMN phone text NOT NULL;\n", createIdx, v))
	}
	p := c.waitDiags(uri, 5)
	got := codes(p.Diagnostics)
	// require-lock-timeout reports once per file, on the first blocking statement.
	if strings.Join(got, " ") != indexRule+" require-lock-timeout "+columnRule+" verdict" {
		t.Errorf("codes = %v", got)
	}
	for _, d := range p.Diagnostics {
		if d.Source != "migsafe" {
			t.Errorf("source = %q", d.Source)
		}
		switch d.Code {
		case indexRule, columnRule:
			if d.Severity != protocol.DiagnosticSeverityError || !strings.Contains(d.Message, "ACCESS EXCLUSIVE") && !strings.Contains(d.Message, "SHARE") {
				t.Errorf("%s: severity %v, message %q (want Error with the lock)", d.Code, d.Severity, d.Message)
			}
		case "verdict":
			if d.Message != "migsafe: BLOCK — 2 BLOCK, 1 FLAG" || d.Range.Start.Line != 0 {
				t.Errorf("verdict diagnostic = %q at line %d", d.Message, d.Range.Start.Line)
			}
		}
	}
	// The index finding's range is the clause "CREATE INDEX".
	if d := find(p.Diagnostics, indexRule); d.Range != *rng(0, 0, 0, 12) {
		t.Errorf("index finding range = %v", d.Range)
	}
	select {
	case extra := <-c.diags:
		t.Errorf("debounced edits published version %v too", *extra.Version)
	case <-time.After(300 * time.Millisecond):
	}
}

func TestStaleAnalysisDropped(t *testing.T) {
	slow := make(chan struct{})
	c := newClient(t, Options{Analyze: func(path, text string, cfg *config.Config, opts engine.Options) *engine.Result {
		if strings.Contains(text, "slow") {
			<-slow
		}
		return engine.Analyze(path, text, cfg, opts)
	}})
	c.initialize("", "")
	const uri = "file:///tmp/migsafe-stale/0001_x.sql"
	c.open(uri, "-- slow\n"+createIdx)
	time.Sleep(50 * time.Millisecond) // let version 1's analysis start
	c.change(uri, 2, nil, "SELECT 1;")
	if p := c.waitDiags(uri, 2); len(p.Diagnostics) != 0 {
		t.Errorf("version 2 diagnostics = %v", codes(p.Diagnostics))
	}
	// Requests answer from version 2 while version 1 is still being analysed.
	var syms []protocol.SymbolInformation
	if err := c.call(protocol.MethodTextDocumentDocumentSymbol, protocol.DocumentSymbolParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri}}, &syms); err != nil {
		t.Fatal(err)
	}
	if len(syms) != 1 || syms[0].Name != "SELECT" {
		t.Errorf("symbols = %+v, want one SELECT", syms)
	}
	close(slow)
	select {
	case p := <-c.diags:
		t.Errorf("superseded version %d was published: %v", *p.Version, codes(p.Diagnostics))
	case <-time.After(300 * time.Millisecond):
	}
}

func TestPullDiagnostics(t *testing.T) {
	c := newClient(t, Options{})
	c.initialize(`{"textDocument": {"diagnostic": {"dynamicRegistration": false}}, "workspace": {"diagnostics": {"refreshSupport": true}}}`, "")
	const uri = "file:///tmp/migsafe-pull/0001_x.sql"
	c.open(uri, createIdx)
	var full fullReport
	params := map[string]any{"textDocument": map[string]string{"uri": uri}}
	if err := c.call(methodDiagnostic, params, &full); err != nil {
		t.Fatal(err)
	}
	if full.Kind != "full" || strings.Join(codes(full.Items), " ") != indexRule+" require-lock-timeout verdict" {
		t.Fatalf("pull = %+v", full)
	}
	var again fullReport
	params["previousResultId"] = full.ResultID
	if err := c.call(methodDiagnostic, params, &again); err != nil || again.Kind != "unchanged" {
		t.Errorf("second pull = %+v, %v; want unchanged", again, err)
	}
	c.change(uri, 2, nil, "SELECT 1;")
	var after fullReport
	if err := c.call(methodDiagnostic, params, &after); err != nil || after.Kind != "full" || len(after.Items) != 0 {
		t.Errorf("pull after edit = %+v, %v; want full and empty", after, err)
	}
	select {
	case p := <-c.diags:
		t.Errorf("pull client got pushed diagnostics for version %d", *p.Version)
	case <-time.After(100 * time.Millisecond):
	}
	// New settings change the findings: the client is asked to pull again.
	c.notify(protocol.MethodWorkspaceDidChangeConfiguration, map[string]any{"settings": map[string]any{"pgVersion": 12}})
	select {
	case <-c.refresh:
	case <-time.After(5 * time.Second):
		t.Error("no workspace/diagnostic/refresh after a configuration change")
	}
}

func TestHover(t *testing.T) {
	const uri = "file:///tmp/migsafe-hover/0001_x.sql"
	hover := func(caps string) string {
		c := newClient(t, Options{})
		c.initialize(caps, `{"migsafe": {"tables": {"users": "50M"}}}`)
		c.open(uri, "SELECT 1;\n"+createIdx+"\n")
		var h protocol.Hover
		if err := c.call(protocol.MethodTextDocumentHover, protocol.HoverParams{TextDocumentPositionParams: protocol.TextDocumentPositionParams{
			TextDocument: protocol.TextDocumentIdentifier{URI: uri}, Position: protocol.Position{Line: 1, Character: 5}}}, &h); err != nil {
			t.Fatal(err)
		}
		if h.Range == nil || h.Range.Start.Line != 1 {
			t.Errorf("hover range = %v, want the statement on line 1", h.Range)
		}
		return string(h.Contents.Kind) + "\n" + h.Contents.Value
	}
	md := hover(`{"textDocument": {"hover": {"contentFormat": ["markdown", "plaintext"]}}}`)
	for _, want := range []string{
		"markdown\n",
		"**CREATE INDEX users_email_idx ON users**",
		"`SHARE` on table `users`: blocks writes (reads continue)",
		"rewrite: no · scan: yes",
		"estimated index build of `users` at ~50M rows: about",
		"BLOCK `" + indexRule + "`",
		"**Safe pattern.**",                      // the rule's Doc
		"File: migsafe: BLOCK — 1 BLOCK, 1 FLAG", // with require-lock-timeout
	} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown hover lacks %q:\n%s", want, md)
		}
	}
	txt := hover(`{}`)
	if !strings.HasPrefix(txt, "plaintext\n") || strings.Contains(txt, "**") || !strings.Contains(txt, "SHARE on table users") {
		t.Errorf("plaintext hover:\n%s", txt)
	}
}

// codeActions asks for the actions on line 'line' and returns them by title.
func (c *testClient) codeActions(uri string, line uint32) map[string]codeActionResult {
	c.t.Helper()
	var actions []codeActionResult
	if err := c.call(protocol.MethodTextDocumentCodeAction, protocol.CodeActionParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: protocol.DocumentURI(uri)},
		Range:        *rng(line, 0, line, 0),
	}, &actions); err != nil {
		c.t.Fatal(err)
	}
	byTitle := map[string]codeActionResult{}
	for _, a := range actions {
		byTitle[a.Title] = a
	}
	return byTitle
}

type codeActionResult struct {
	Title       string `json:"title"`
	Kind        string `json:"kind"`
	IsPreferred bool   `json:"isPreferred"`
	Edit        struct {
		Changes map[string][]protocol.TextEdit `json:"changes"`
	} `json:"edit"`
}

func TestCodeActionsIgnore(t *testing.T) {
	c := newClient(t, Options{})
	c.initialize("", "")
	const uri = "file:///tmp/migsafe-actions/00001_x.sql"
	text := "-- +goose Up\n-- +goose NO TRANSACTION\nSELECT 1;\n  " + createIdx + "\n"
	c.open(uri, text)
	c.waitDiags(uri, 1)
	actions := c.codeActions(uri, 3)

	stmt, ok := actions["Ignore "+indexRule+" for this statement"]
	if !ok {
		t.Fatalf("no ignore-for-statement action; have %v", actions)
	}
	got := applyEdits(text, stmt.Edit.Changes[uri], c.enc)
	want := "-- +goose Up\n-- +goose NO TRANSACTION\nSELECT 1;\n  -- migsafe:ignore " + indexRule + " -- <reason>\n  " + createIdx + "\n"
	if got != want {
		t.Errorf("ignore for statement:\ngot  %q\nwant %q", got, want)
	}
	file, ok := actions["Ignore "+indexRule+" for this file"]
	if !ok {
		t.Fatalf("no ignore-for-file action; have %v", actions)
	}
	gotFile := applyEdits(text, file.Edit.Changes[uri], c.enc)
	wantFile := "-- +goose Up\n-- +goose NO TRANSACTION\n-- migsafe:ignore-file " + indexRule + " -- <reason>\nSELECT 1;\n  " + createIdx + "\n"
	if gotFile != wantFile {
		t.Errorf("ignore for file:\ngot  %q\nwant %q", gotFile, wantFile)
	}
	// With the placeholder the ignore is reported and silences nothing; once the user
	// writes a reason, both edits silence the finding.
	c.change(uri, 2, nil, got)
	if p := c.waitDiags(uri, 2); find(p.Diagnostics, indexRule) == nil || find(p.Diagnostics, "invalid-ignore") == nil {
		t.Errorf("placeholder reason: want the finding and an ignore problem, got %v", codes(p.Diagnostics))
	}
	for i, edited := range []string{got, gotFile} {
		v := int32(i + 3)
		c.change(uri, v, nil, strings.Replace(edited, "<reason>", "maintenance window", 1))
		if p := c.waitDiags(uri, v); find(p.Diagnostics, indexRule) != nil || find(p.Diagnostics, "invalid-ignore") != nil {
			t.Errorf("version %d still reports %s: %v", v, indexRule, codes(p.Diagnostics))
		}
	}
	if none := c.codeActions(uri, 2); len(none) != 0 {
		t.Errorf("actions on SELECT 1 = %v, want none", none)
	}
}

func TestConfigReload(t *testing.T) {
	dir := t.TempDir()
	toml := filepath.Join(dir, "migsafe.toml")
	write := func(s string) {
		if err := os.WriteFile(toml, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("[tables]\nusers = 40\n")
	c := newClient(t, Options{})
	// The client says users is huge; the file, which wins, says 40 rows.
	c.initialize(`{"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}}`, `{"migsafe": {"tables": {"users": "50M"}}}`)
	select {
	case r := <-c.regs:
		if len(r.Registrations) != 1 || r.Registrations[0].Method != protocol.MethodWorkspaceDidChangeWatchedFiles {
			t.Errorf("registration = %+v", r)
		}
	case <-time.After(5 * time.Second):
		t.Error("no watcher registration")
	}
	uri := pathURI(filepath.Join(dir, "0001_idx.sql"))
	c.open(uri, createIdx)
	if p := c.waitDiags(uri, 1); find(p.Diagnostics, indexRule) != nil {
		t.Fatalf("small table per migsafe.toml, got %v", codes(p.Diagnostics))
	}

	write("[tables]\nusers = \"50M\"\n")
	c.notify(protocol.MethodWorkspaceDidChangeWatchedFiles, protocol.DidChangeWatchedFilesParams{Changes: []*protocol.FileEvent{{URI: protocol.DocumentURI(pathURI(toml)), Type: protocol.FileChangeTypeChanged}}})
	if p := c.waitDiags(uri, 1); find(p.Diagnostics, indexRule) == nil {
		t.Fatalf("after the toml changed: %v", codes(p.Diagnostics))
	}

	write("# production\npg_version = 99\n")
	c.notify(protocol.MethodTextDocumentDidSave, protocol.DidSaveTextDocumentParams{TextDocument: protocol.TextDocumentIdentifier{URI: protocol.DocumentURI(pathURI(toml))}})
	p := c.waitDiags(uri, 1)
	d := find(p.Diagnostics, "config")
	if d == nil || !strings.Contains(d.Message, toml+":2:14: pg_version:") {
		t.Fatalf("bad config diagnostic = %+v (all: %v)", d, codes(p.Diagnostics))
	}
	select {
	case m := <-c.messages:
		if m.Type != protocol.MessageTypeError || !strings.Contains(m.Message, "pg_version") {
			t.Errorf("showMessage = %+v", m)
		}
	case <-time.After(5 * time.Second):
		t.Error("no showMessage for the bad config")
	}
	// Client settings apply where the file is silent.
	write("")
	c.notify(protocol.MethodWorkspaceDidChangeConfiguration, map[string]any{"settings": map[string]any{"migsafe": map[string]any{"tables": map[string]any{"users": 10}}}})
	if p := c.waitDiags(uri, 1); find(p.Diagnostics, indexRule) != nil {
		t.Errorf("settings say users has 10 rows, got %v", codes(p.Diagnostics))
	}
}

func TestPanicRecovery(t *testing.T) {
	c := newClient(t, Options{Analyze: func(path, text string, cfg *config.Config, opts engine.Options) *engine.Result {
		if strings.Contains(text, "PANIC") {
			panic("analysis bug")
		}
		return engine.Analyze(path, text, cfg, opts)
	}})
	panicked := false
	c.srv.hook = func(method string) {
		if method == protocol.MethodTextDocumentHover && !panicked {
			panicked = true
			panic("handler bug")
		}
	}
	c.initialize("", "")
	const uri = "file:///tmp/migsafe-panic/0001_x.sql"
	c.open(uri, "-- PANIC\n"+createIdx)
	if d := c.waitDiags(uri, 1).Diagnostics; len(d) != 1 || !strings.Contains(d[0].Message, "analysis bug") {
		t.Errorf("analysis panic diagnostic = %+v", d)
	}
	params := protocol.HoverParams{TextDocumentPositionParams: protocol.TextDocumentPositionParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri}}}
	err := c.call(protocol.MethodTextDocumentHover, params, nil)
	var rpcErr *jsonrpc2.Error
	if !errors.As(err, &rpcErr) || rpcErr.Code != jsonrpc2.InternalError {
		t.Errorf("panicking hover: err = %v, want InternalError", err)
	}
	c.change(uri, 2, nil, createIdx)
	if p := c.waitDiags(uri, 2); find(p.Diagnostics, indexRule) == nil {
		t.Errorf("server stopped analysing after panics: %v", codes(p.Diagnostics))
	}
	if err := c.call(protocol.MethodTextDocumentHover, params, &protocol.Hover{}); err != nil {
		t.Errorf("hover after the panic: %v", err)
	}
}

func TestLifecycle(t *testing.T) {
	c := newClient(t, Options{})
	var rpcErr *jsonrpc2.Error
	err := c.call(protocol.MethodTextDocumentHover, map[string]any{}, nil)
	if !errors.As(err, &rpcErr) || rpcErr.Code != jsonrpc2.ServerNotInitialized {
		t.Errorf("hover before initialize: %v, want -32002", err)
	}
	c.initialize("", "")
	err = c.call("migsafe/unknown", map[string]any{}, nil)
	if !errors.As(err, &rpcErr) || rpcErr.Code != jsonrpc2.MethodNotFound {
		t.Errorf("unknown method: %v, want MethodNotFound", err)
	}
	if err := c.call(protocol.MethodShutdown, nil, nil); err != nil {
		t.Fatal(err)
	}
	err = c.call(protocol.MethodTextDocumentHover, map[string]any{}, nil)
	if !errors.As(err, &rpcErr) || rpcErr.Code != jsonrpc2.InvalidRequest {
		t.Errorf("hover after shutdown: %v, want InvalidRequest", err)
	}

	noShutdown := newClient(t, Options{})
	noShutdown.initialize("", "")
	noShutdown.notify(protocol.MethodExit, nil)
	select {
	case code := <-noShutdown.exit:
		if code != 1 {
			t.Errorf("exit without shutdown: code %d, want 1", code)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no exit")
	}
}

func TestMalformedMessage(t *testing.T) {
	// A raw connection: jsonrpc2's own client drops the connection on a response with a
	// null id, which is exactly what the server must send here.
	srvSide, cli := net.Pipe()
	defer cli.Close()
	exit := make(chan int, 1)
	go func() { exit <- NewServer(Options{Logger: testLogger(t)}).Serve(context.Background(), srvSide) }()
	in := bufio.NewReader(cli)
	send := func(body string) {
		go fmt.Fprintf(cli, "Content-Length: %d\r\n\r\n%s", len(body), body)
	}
	recv := func() map[string]any {
		t.Helper()
		cli.SetReadDeadline(time.Now().Add(5 * time.Second))
		var n int
		for {
			line, err := in.ReadString('\n')
			if err != nil {
				t.Fatal(err)
			}
			if strings.TrimSpace(line) == "" {
				break
			}
			fmt.Sscanf(line, "Content-Length: %d", &n)
		}
		buf := make([]byte, n)
		if _, err := io.ReadFull(in, buf); err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(buf, &m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	send(`{"jsonrpc": "2.0", "id": 7, "method": `)
	m := recv()
	if e, _ := m["error"].(map[string]any); e == nil || e["code"] != float64(jsonrpc2.ParseError) || m["id"] != nil {
		t.Errorf("reply to a truncated body = %v, want a -32700 error with a null id", m)
	}
	send(`{"jsonrpc": "2.0"}`)
	m = recv()
	if e, _ := m["error"].(map[string]any); e == nil || e["code"] != float64(jsonrpc2.InvalidRequest) {
		t.Errorf("reply to a message with neither method nor id = %v, want -32600", m)
	}
	send(`{"jsonrpc": "2.0", "id": 8, "method": "initialize", "params": {"capabilities": {}}}`)
	m = recv()
	if m["id"] != float64(8) || m["result"] == nil {
		t.Errorf("initialize after malformed messages = %v", m)
	}
	// Some clients send "params": null with shutdown and exit.
	send(`{"jsonrpc": "2.0", "id": 9, "method": "shutdown", "params": null}`)
	if m = recv(); m["id"] != float64(9) || m["error"] != nil {
		t.Errorf("shutdown with null params = %v", m)
	}
	send(`{"jsonrpc": "2.0", "method": "exit", "params": null}`)
	select {
	case code := <-exit:
		if code != 0 {
			t.Errorf("exit code = %d, want 0", code)
		}
	case <-time.After(5 * time.Second):
		t.Error("no exit after shutdown and exit with null params")
	}
}

func TestLargeDocumentDoesNotBlock(t *testing.T) {
	c := newClient(t, Options{})
	c.initialize("", "")
	var b strings.Builder
	for i := 0; b.Len() < 10<<20; i++ {
		fmt.Fprintf(&b, "ALTER TABLE t%d ADD COLUMN c text; -- padding padding padding padding padding padding\n", i)
	}
	const big = "file:///tmp/migsafe-large/big.sql"
	c.open(big, b.String())
	const small = "file:///tmp/migsafe-large/small.sql"
	c.open(small, createIdx)
	start := time.Now()
	// Diagnostics arrive in completion order: the small document's come first.
	first := <-c.diags
	if string(first.URI) != small || find(first.Diagnostics, indexRule) == nil {
		t.Errorf("first diagnostics: %s %v, want the small document's", first.URI, codes(first.Diagnostics))
	}
	var h protocol.Hover
	if err := c.call(protocol.MethodTextDocumentHover, protocol.HoverParams{TextDocumentPositionParams: protocol.TextDocumentPositionParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: small}}}, &h); err != nil || !strings.Contains(h.Contents.Value, "SHARE") {
		t.Errorf("hover on the small document: %v %q", err, h.Contents.Value)
	}
	answered := time.Since(start)
	c.waitDiags(big, 1)
	analysed := time.Since(start)
	t.Logf("small document answered after %v; the 10 MB one analysed after %v", answered, analysed)
	if answered > analysed/2 {
		t.Errorf("small document answered after %v, not well before the 10 MB one (%v)", answered, analysed)
	}
}

func TestProblemDiagnostics(t *testing.T) {
	c := newClient(t, Options{})
	c.initialize("", "")
	const uri = "file:///tmp/migsafe-problems/0001_x.sql"
	c.open(uri, "-- migsafe:ignore no-such-rule -- because\nSELECT 1;\nCREATE INDX users_email_idx ON users (email);\n")
	p := c.waitDiags(uri, 1)
	// The codes are the rule IDs check prints and `migsafe explain` takes.
	syntax, ignore := find(p.Diagnostics, "syntax-error"), find(p.Diagnostics, "invalid-ignore")
	if syntax == nil || syntax.Severity != protocol.DiagnosticSeverityError || syntax.Range != *rng(2, 7, 2, 11) {
		t.Errorf("syntax diagnostic = %+v, want Error on INDX (2:7-2:11)", syntax)
	}
	if ignore == nil || ignore.Severity != protocol.DiagnosticSeverityWarning || ignore.Range.Start.Line != 0 || !strings.Contains(ignore.Message, "no-such-rule") {
		t.Errorf("ignore diagnostic = %+v, want a Warning on line 0 naming the rule", ignore)
	}
	if v := find(p.Diagnostics, "verdict"); v == nil || v.Message != "migsafe: BLOCK — 1 BLOCK, 1 FLAG" {
		t.Errorf("verdict = %+v", v)
	}
}

package lsp

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"
)

// fuzzSession is a server on one end of a pipe and the fuzz target on the other: what
// the server writes is read as frames (each must be JSON), its requests answered with
// null, its messages kept.
type fuzzSession struct {
	t    *testing.T
	cli  net.Conn
	out  chan string
	msgs chan map[string]any
	exit chan int
	logs *observer.ObservedLogs
}

func newFuzzSession(t *testing.T) *fuzzSession {
	core, logs := observer.New(zapcore.WarnLevel)
	srvSide, cli := net.Pipe()
	s := &fuzzSession{t: t, cli: cli, out: make(chan string, 16), msgs: make(chan map[string]any, 4096), exit: make(chan int, 1), logs: logs}
	go func() {
		for m := range s.out {
			if _, err := io.WriteString(cli, m); err != nil {
				for range s.out { // the server is gone: drop the rest
				}
				return
			}
		}
	}()
	go func() {
		s.exit <- NewServer(Options{Logger: zap.New(core), FrameStall: 100 * time.Millisecond}).Serve(context.Background(), srvSide)
	}()
	go s.read()
	t.Cleanup(func() { close(s.out); cli.Close() })
	return s
}

// read parses the server's frames; the channel closes when the server closes the pipe.
func (s *fuzzSession) read() {
	defer close(s.msgs)
	in := bufio.NewReader(s.cli)
	for {
		n := -1
		for {
			line, err := in.ReadString('\n')
			if err != nil {
				return
			}
			if strings.TrimSpace(line) == "" {
				break
			}
			fmt.Sscanf(line, "Content-Length: %d", &n)
		}
		if n < 0 {
			s.t.Errorf("server sent a frame without Content-Length")
			return
		}
		buf := make([]byte, n)
		if _, err := io.ReadFull(in, buf); err != nil {
			return
		}
		var m map[string]any
		if err := json.Unmarshal(buf, &m); err != nil {
			s.t.Errorf("server sent a body that is not a JSON object: %q", buf)
			return
		}
		if _, isReq := m["method"]; isReq && m["id"] != nil {
			id, _ := json.Marshal(m["id"])
			s.send(fmt.Sprintf(`{"jsonrpc":"2.0","id":%s,"result":null}`, id))
		}
		s.msgs <- m
	}
}

func (s *fuzzSession) send(body string) {
	s.out <- fmt.Sprintf("Content-Length: %d\r\n\r\n%s", len(body), body)
}

// await reads messages until the answer to id, or the server exits; false when neither
// happens within d (a hang).
func (s *fuzzSession) await(id float64, d time.Duration) (answered, ok bool) {
	deadline := time.After(d)
	for {
		select {
		case m, open := <-s.msgs:
			if !open {
				return false, true
			}
			if m["id"] == id && m["method"] == nil {
				return true, true
			}
		case <-deadline:
			return false, false
		}
	}
}

// exited waits for Serve to return; -1 when it does not within d.
func (s *fuzzSession) exited(d time.Duration) int {
	select {
	case code := <-s.exit:
		return code
	case <-time.After(d):
		return -1
	}
}

// checkLogs fails on a handler that panicked: the server recovers and answers, but a
// panic is a bug the user sees as a failed request.
func (s *fuzzSession) checkLogs() {
	for _, e := range s.logs.All() {
		if strings.Contains(e.Message, "panic") {
			s.t.Fatalf("%s: %v", e.Message, e.ContextMap())
		}
	}
}

// FuzzFraming sends arbitrary bytes as the client's stream, then an exit notification:
// the server must end the session (exit, or a framing error once the stall passes)
// rather than hang, must not panic, and everything it writes must be framed JSON.
func FuzzFraming(f *testing.F) {
	const initialize = `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}`
	frame := func(body string) string { return fmt.Sprintf("Content-Length: %d\r\n\r\n%s", len(body), body) }
	for _, s := range []string{
		frame(initialize),
		frame(initialize) + frame(`{"jsonrpc":"2.0","id":2,"method":"shutdown"}`),
		fmt.Sprintf("Content-Length: %d\r\n\r\n%s", len(initialize)+10, initialize),
		fmt.Sprintf("Content-Length: %d\r\n\r\n%s", len(initialize)-5, initialize),
		"Content-Length: abc\r\n\r\n" + initialize,
		"Content-Length 77\r\n\r\n" + initialize,
		"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n" + initialize,
		"Content-Length: 99999999999999999999\r\n\r\n",
		"Content-Length: 1073741824\r\n\r\n{}",
		"content-length: 2\r\nContent-Length: 3\r\n\r\n{}",
		frame("{"), frame(`[]`), frame(`{"jsonrpc":"2.0"}`), frame(`{"jsonrpc":"2.0","id":{},"method":"x"}`),
		frame(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":null}`),
		"\r\n\r\n\n\n" + frame(initialize),
		strings.Repeat("X-A: b\r\n", 40) + "\r\n",
		strings.Repeat("x", 5000),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, stream string) {
		s := newFuzzSession(t)
		s.out <- stream
		s.out <- "\r\n" // ends a header line left open, so the next frame is one
		s.send(`{"jsonrpc":"2.0","method":"exit"}`)
		go func() {
			for range s.msgs {
			}
		}()
		if code := s.exited(10 * time.Second); code < 0 {
			t.Fatalf("the server neither exited nor failed the stream after %q", stream)
		}
		s.checkLogs()
	})
}

// fuzzMethods are the methods the server handles; the fuzzer picks one and its params.
var fuzzMethods = []struct {
	name   string
	notify bool
}{
	{"textDocument/didOpen", true}, {"textDocument/didChange", true}, {"textDocument/didSave", true},
	{"textDocument/didClose", true}, {"workspace/didChangeConfiguration", true},
	{"workspace/didChangeWatchedFiles", true}, {"$/cancelRequest", true}, {"initialized", true},
	{"textDocument/codeAction", false}, {"textDocument/diagnostic", false}, {"textDocument/hover", false},
	{"textDocument/documentSymbol", false}, {"textDocument/codeLens", false},
	{"workspace/executeCommand", false}, {"initialize", false}, {"textDocument/completion", false},
}

// FuzzServer drives a whole session: initialize (with fuzzed initializationOptions),
// open a migration with fuzzed text, one message of a method the server handles with
// fuzzed params, then shutdown and exit. Every request is answered, nothing hangs
// (shutdown is answered and exit ends the session with 0), no handler panics.
func FuzzServer(f *testing.F) {
	const uri = "file:///nonexistent-migsafe-fuzz/migrations/0001_x.up.sql"
	const text = "CREATE INDEX i ON t (c);\nALTER TABLE t ADD COLUMN x int NOT NULL DEFAULT random()::int;\n"
	pos := `"textDocument":{"uri":"` + uri + `"},"position":{"line":0,"character":3}`
	rng := `"range":{"start":{"line":0,"character":0},"end":{"line":1,"character":5}}`
	seeds := map[string][]string{
		"textDocument/didOpen":             {`{"textDocument":{"uri":"` + uri + `","languageId":"sql","version":2,"text":"SELECT 1;"}}`, `{"textDocument":{"uri":"file:///%zz","text":"x"}}`},
		"textDocument/didChange":           {`{"textDocument":{"uri":"` + uri + `","version":2},"contentChanges":[{` + rng + `,"text":"DROP TABLE t;"}]}`, `{"textDocument":{"uri":"` + uri + `","version":2},"contentChanges":[{"range":{"start":{"line":9,"character":99},"end":{"line":0,"character":0}},"text":""}]}`, `{"textDocument":{"uri":"` + uri + `","version":2},"contentChanges":[{"text":"SELECT 2;"}]}`},
		"textDocument/didSave":             {`{"textDocument":{"uri":"` + uri + `"}}`},
		"textDocument/didClose":            {`{"textDocument":{"uri":"` + uri + `"}}`},
		"workspace/didChangeConfiguration": {`{"settings":{"migsafe":{"pgVersion":12,"tables":{"t":"1e30"}}}}`, `{"settings":null}`},
		"workspace/didChangeWatchedFiles":  {`{"changes":[{"uri":"file:///nonexistent-migsafe-fuzz/migsafe.toml","type":2}]}`},
		"$/cancelRequest":                  {`{"id":2}`, `{"id":"x"}`},
		"textDocument/codeAction":          {`{"textDocument":{"uri":"` + uri + `"},` + rng + `,"context":{"diagnostics":[]}}`, `{"textDocument":{"uri":"` + uri + `"},"range":{"start":{"line":-1,"character":-1},"end":{"line":99999,"character":0}},"context":{"diagnostics":[{"code":"require-lock-timeout",` + rng + `,"message":"x"}]}}`},
		"textDocument/diagnostic":          {`{"textDocument":{"uri":"` + uri + `"}}`, `{"textDocument":{"uri":"` + uri + `"},"previousResultId":"zz"}`},
		"textDocument/hover":               {`{` + pos + `}`, `{"textDocument":{"uri":"` + uri + `"},"position":{"line":1,"character":4294967295}}`},
		"textDocument/documentSymbol":      {`{"textDocument":{"uri":"` + uri + `"}}`},
		"textDocument/codeLens":            {`{"textDocument":{"uri":"` + uri + `"}}`},
		"workspace/executeCommand":         {`{"command":"migsafe.runbook","arguments":["` + uri + `"]}`, `{"command":"migsafe.runbook","arguments":[1,{}]}`, `{"command":"nope"}`},
		"initialize":                       {`{"capabilities":{}}`},
		"initialized":                      {`{}`},
		"textDocument/completion":          {`{` + pos + `}`},
	}
	for i, m := range fuzzMethods {
		for _, p := range seeds[m.name] {
			f.Add(uint8(i), p, text, `{}`)
		}
		f.Add(uint8(i), `null`, "", `{"migsafe":{"pgVersion":"x"}}`)
		f.Add(uint8(i), `[]`, "SELECT '\xff';", `null`)
	}
	f.Fuzz(func(t *testing.T, which uint8, params, text, initOpts string) {
		if !json.Valid([]byte(params)) || !json.Valid([]byte(initOpts)) {
			return // FuzzFraming covers bodies that are not JSON
		}
		m := fuzzMethods[int(which)%len(fuzzMethods)]
		s := newFuzzSession(t)
		s.send(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{"general":{"positionEncodings":["utf-8","utf-16"]}},"initializationOptions":` + initOpts + `}}`)
		if answered, ok := s.await(1, 20*time.Second); !ok || !answered {
			t.Fatalf("initialize with options %s: answered %v, in time %v", initOpts, answered, ok)
		}
		s.send(`{"jsonrpc":"2.0","method":"initialized","params":{}}`)
		doc, _ := json.Marshal(text)
		s.send(`{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"` + uri + `","languageId":"sql","version":1,"text":` + string(doc) + `}}}`)
		if m.notify {
			s.send(`{"jsonrpc":"2.0","method":"` + m.name + `","params":` + params + `}`)
		} else {
			s.send(`{"jsonrpc":"2.0","id":2,"method":"` + m.name + `","params":` + params + `}`)
			if answered, ok := s.await(2, 20*time.Second); !ok || !answered {
				t.Fatalf("%s %s: answered %v, in time %v", m.name, params, answered, ok)
			}
		}
		s.send(`{"jsonrpc":"2.0","id":3,"method":"shutdown"}`)
		if answered, ok := s.await(3, 20*time.Second); !ok || !answered {
			t.Fatalf("shutdown after %s %s: answered %v, in time %v", m.name, params, answered, ok)
		}
		s.send(`{"jsonrpc":"2.0","method":"exit"}`)
		go func() {
			for range s.msgs {
			}
		}()
		if code := s.exited(10 * time.Second); code != 0 {
			t.Fatalf("exit after %s %s: code %d", m.name, params, code)
		}
		s.checkLogs()
	})
}

package lsp

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.lsp.dev/protocol"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/migsafe/migsafe/engine"
	"github.com/migsafe/migsafe/engine/config"
)

// analysisGate holds analyses back while it is on: each signals started, then waits
// for release.
type analysisGate struct {
	on      atomic.Bool
	started chan struct{}
	release chan struct{}
}

func newAnalysisGate() *analysisGate {
	return &analysisGate{started: make(chan struct{}, 1), release: make(chan struct{})}
}

func (g *analysisGate) analyze(path, text string, cfg *config.Config, opts engine.Options) *engine.Result {
	if g.on.Load() {
		g.started <- struct{}{}
		<-g.release
	}
	return engine.Analyze(path, text, cfg, opts)
}

func (g *analysisGate) waitStarted(t *testing.T) {
	t.Helper()
	select {
	case <-g.started:
	case <-time.After(10 * time.Second):
		t.Fatal("the edit's analysis never started")
	}
}

// waitPulls waits until n pulls wait for the analysis of uri's current version.
func waitPulls(t *testing.T, srv *Server, uri string, n int) {
	t.Helper()
	srv.mu.Lock()
	d := srv.docs[protocol.DocumentURI(uri)]
	srv.mu.Unlock()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(time.Millisecond) {
		d.mu.Lock()
		have := len(d.pulls)
		d.mu.Unlock()
		if have == n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d pulls waiting, want %d", have, n)
		}
	}
}

// hookCore calls onWrite with every entry it writes.
type hookCore struct {
	zapcore.Core
	onWrite func(zapcore.Entry)
}

func (h hookCore) Check(e zapcore.Entry, ce *zapcore.CheckedEntry) *zapcore.CheckedEntry {
	if h.Enabled(e.Level) {
		return ce.AddCore(e, h)
	}
	return ce
}

func (h hookCore) Write(e zapcore.Entry, f []zapcore.Field) error {
	h.onWrite(e)
	return h.Core.Write(e, f)
}

func (h hookCore) With(f []zapcore.Field) zapcore.Core {
	return hookCore{h.Core.With(f), h.onWrite}
}

// answerCounter counts the pull answers the server writes (one frame per write).
type answerCounter struct {
	io.ReadWriteCloser
	answers atomic.Int64
}

func (a *answerCounter) Write(b []byte) (int, error) {
	n, err := a.ReadWriteCloser.Write(b)
	if bytes.Contains(b, []byte(`"kind":"`)) {
		a.answers.Add(1)
	}
	return n, err
}

// answersAtLog records, at each log entry of one message, how many pull answers the
// server had written.
type answersAtLog struct {
	mu   sync.Mutex
	seen []int64
}

func (a *answersAtLog) counts() []int64 {
	a.mu.Lock()
	defer a.mu.Unlock()
	return slices.Clone(a.seen)
}

// serveAnswersAtLog starts a server with opts on a pipe, logging to the test, and
// records the answers written at each entry logged with message.
func serveAnswersAtLog(t *testing.T, message string, opts Options) (*testClient, *answersAtLog) {
	atLog := &answersAtLog{}
	srvSide, cliSide := net.Pipe()
	counted := &answerCounter{ReadWriteCloser: srvSide}
	opts.Logger = zap.New(hookCore{testLogger(t).Core(), func(e zapcore.Entry) {
		if e.Message == message {
			atLog.mu.Lock()
			atLog.seen = append(atLog.seen, counted.answers.Load())
			atLog.mu.Unlock()
		}
	}})
	c := connect(t, cliSide)
	c.srv = NewServer(opts)
	go func() { c.exit <- c.srv.Serve(context.Background(), counted) }()
	return c, atLog
}

// TestPullDuringAnalysisAnsweredByIt: a pull that arrives while its version is being
// analysed is answered by that analysis as it ends, before the server does anything
// else after it (its "analysed" log entry comes later): the answer no longer waits
// for the pull's own goroutine to be woken and scheduled.
func TestPullDuringAnalysisAnsweredByIt(t *testing.T) {
	gate := newAnalysisGate()
	// pull answers written when each "analysed" entry was logged
	c, atLog := serveAnswersAtLog(t, "analysed", Options{Analyze: gate.analyze})
	c.initialize(`{"textDocument": {"diagnostic": {}}}`, "")
	const uri = "file:///tmp/migsafe-pull-during/0001_x.sql"
	c.open(uri, createIdx+"\n")
	pull := func() <-chan error {
		done := make(chan error, 1)
		go func() {
			var r fullReport
			done <- c.call(methodDiagnostic, map[string]any{"textDocument": map[string]string{"uri": uri}}, &r)
		}()
		return done
	}
	if err := <-pull(); err != nil {
		t.Fatal(err)
	}
	gate.on.Store(true)
	const rounds = 10
	for i := 1; i <= rounds; i++ {
		c.change(uri, int32(i+1), rng(1, 0, 1, 0), fmt.Sprintf("-- edit %d\n", i))
		gate.waitStarted(t)
		answered := pull()
		waitPulls(t, c.srv, uri, 1)
		gate.release <- struct{}{}
		select {
		case err := <-answered:
			if err != nil {
				t.Fatal(err)
			}
		case <-time.After(staleWait / 2):
			t.Fatalf("round %d: the pull was not answered when its analysis ended", i)
		}
		var got int64
		for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(time.Millisecond) {
			counts := atLog.counts()
			logged := len(counts) // the open's analysis, then one a round
			if logged == 1+i {
				got = counts[i]
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("round %d: %d analyses logged, want %d", i, logged, 1+i)
			}
		}
		if want := int64(1 + i); got != want {
			t.Errorf("round %d: %d pull answers written when the analysis was logged, want %d (this round's before it)", i, got, want)
		}
	}
	gate.on.Store(false)
}

// TestPullCancelledWhileItsAnalysisRuns: a pull waiting for its version's analysis
// that the client cancels is answered RequestCancelled at once, without waiting for
// the analysis, and leaves no waiter behind; the analysis answers the later pull.
func TestPullCancelledWhileItsAnalysisRuns(t *testing.T) {
	gate := newAnalysisGate()
	srv := NewServer(Options{Logger: testLogger(t), Analyze: gate.analyze})
	r := rawConnTo(t, srv)
	const uri = "file:///tmp/migsafe-pull-cancel-waiting/0001_x.sql"
	r.send(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{"textDocument":{"diagnostic":{}}}}}`)
	r.send(`{"jsonrpc":"2.0","method":"initialized","params":{}}`)
	r.send(`{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"` + uri + `","languageId":"sql","version":1,"text":"SELECT 1;\n"}}}`)
	answers := map[float64]map[string]any{}
	read := func(id float64, d time.Duration) map[string]any {
		t.Helper()
		for deadline := time.Now().Add(d); answers[id] == nil && time.Now().Before(deadline); {
			for _, m := range r.messages(100 * time.Millisecond) {
				if got, ok := m["id"].(float64); ok {
					if answers[got] != nil {
						t.Errorf("request %v answered twice: %v and %v", got, answers[got], m)
					}
					answers[got] = m
				}
			}
		}
		return answers[id]
	}
	if read(1, 5*time.Second) == nil {
		t.Fatal("initialize not answered")
	}
	// The open's analysis is done once a pull is answered.
	r.send(`{"jsonrpc":"2.0","id":10,"method":"textDocument/diagnostic","params":{"textDocument":{"uri":"` + uri + `"}}}`)
	if read(10, 5*time.Second) == nil {
		t.Fatal("the first pull was not answered")
	}
	gate.on.Store(true)
	r.send(`{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":"` + uri + `","version":2},"contentChanges":[{"text":"` + createIdx + `\n"}]}}`)
	gate.waitStarted(t)
	r.send(`{"jsonrpc":"2.0","id":2,"method":"textDocument/diagnostic","params":{"textDocument":{"uri":"` + uri + `"}}}`)
	waitPulls(t, srv, uri, 1)
	r.send(`{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":2}}`)
	m := read(2, staleWait/2)
	e, _ := m["error"].(map[string]any)
	if e == nil || e["code"] != float64(protocol.CodeRequestCancelled) {
		t.Errorf("cancelled pull answered %v, want code %d while its analysis runs", m, protocol.CodeRequestCancelled)
	}
	waitPulls(t, srv, uri, 0) // the waiter is gone
	r.send(`{"jsonrpc":"2.0","id":3,"method":"textDocument/diagnostic","params":{"textDocument":{"uri":"` + uri + `"}}}`)
	waitPulls(t, srv, uri, 1)
	gate.on.Store(false)
	gate.release <- struct{}{}
	m = read(3, 5*time.Second)
	res, _ := m["result"].(map[string]any)
	if items, _ := res["items"].([]any); res["kind"] != "full" || len(items) == 0 {
		t.Errorf("the pull after it answered %v, want version 2's findings", m)
	}
	read(-1, 300*time.Millisecond) // nothing more: no second answer to the cancelled pull
	waitPulls(t, srv, uri, 0)
}

// TestPullLoggedAfterItsAnswer: the "pulled" entry of a pull (its span, with -v) is
// written after the answer, so the log's write is no part of the pull's latency; the
// span it logs still ends when the answer was made.
func TestPullLoggedAfterItsAnswer(t *testing.T) {
	// pull answers written when each "pulled" entry was logged
	c, atLog := serveAnswersAtLog(t, "pulled", Options{})
	c.initialize(`{"textDocument": {"diagnostic": {}}}`, "")
	const uri = "file:///tmp/migsafe-pull-logged/0001_x.sql"
	c.open(uri, createIdx+"\n")
	const pulls = 5
	for i := 1; i <= pulls; i++ {
		c.change(uri, int32(i+1), rng(1, 0, 1, 0), fmt.Sprintf("-- edit %d\n", i))
		var r fullReport
		if err := c.call(methodDiagnostic, map[string]any{"textDocument": map[string]string{"uri": uri}}, &r); err != nil {
			t.Fatal(err)
		}
	}
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(time.Millisecond) {
		n := len(atLog.counts())
		if n == pulls {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d pulls logged, want %d", n, pulls)
		}
	}
	for i, answered := range atLog.counts() {
		if answered != int64(i+1) {
			t.Errorf("pull %d logged when %d answers were written, want %d (its own before it)", i+1, answered, i+1)
		}
	}
}

// Package lsp is migsafe's language server. Handlers are thin: they find the document's
// snapshot (one engine.Analyze per document version, shared by every feature), convert
// positions, and answer from it. One file per family of methods, as in gopls' server
// package.
package lsp

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.uber.org/zap"

	"github.com/migsafe/migsafe/engine"
	"github.com/migsafe/migsafe/engine/coderefs"
	"github.com/migsafe/migsafe/engine/config"
	"github.com/migsafe/migsafe/engine/migration"
)

// DefaultDebounce is how long the server waits after an edit before analysing, so a
// burst of keystrokes costs one analysis.
const DefaultDebounce = 150 * time.Millisecond

// Options configure a Server.
type Options struct {
	Logger *zap.Logger
	// Debounce is the wait after an edit before analysing when the server pushes
	// diagnostics (`migsafe lsp` defaults it to DefaultDebounce);
	// initializationOptions.debounceMs overrides it.
	Debounce time.Duration
	// DebouncePulls makes edits of a client that pulls diagnostics wait out Debounce
	// too; without it they are analysed at once (see editDelay). `migsafe lsp` sets it
	// when --debounce is given, and a debounceMs setting implies it.
	DebouncePulls bool
	// Analyze replaces engine.Analyze; tests use it to make analyses slow or panic.
	Analyze func(path, text string, cfg *config.Config, opts engine.Options) *engine.Result
	// FrameStall bounds the wait for the rest of a message (DefaultFrameStall when 0).
	FrameStall time.Duration
}

type lifecycle int

const (
	uninitialized lifecycle = iota
	running
	shuttingDown // shutdown received, waiting for exit
)

// Server is one language server session over one connection.
type Server struct {
	log     *zap.Logger
	analyze func(path, text string, cfg *config.Config, opts engine.Options) *engine.Result
	conn    jsonrpc2.Conn
	stream  *stream
	stall   time.Duration
	// slots bounds concurrent analyses to the number of CPUs.
	slots chan struct{}
	// release returns the memory of past analyses once the server is idle.
	release *releaser
	// seq orders documents' texts and the histories read from them (document.textSeq
	// and histSeq): an analysis whose history was read after an earlier document's
	// text arrived was judged against that text.
	seq atomic.Uint64

	mu       sync.Mutex
	state    lifecycle
	enc      migration.Encoding
	caps     clientCaps
	settings settings
	debounce time.Duration
	// debouncePulls: see Options.DebouncePulls.
	debouncePulls bool
	// flagDebounce and flagPulls are Options' Debounce and DebouncePulls, which apply
	// again when the client's settings no longer set debounceMs.
	flagDebounce time.Duration
	flagPulls    bool
	root         string
	docs         map[protocol.DocumentURI]*document
	code         *coderefs.Workspace // see workspace()
	codeReady    chan struct{}       // closed once code's index is built
	codeMissed   bool                // an analysis ran without code's index (codeFor)
	// warm builds the code index (coderefs.Workspace.Warm; tests hold it back).
	warm      func(*coderefs.Workspace) error
	shownErrs map[string]bool // config errors already shown with showMessage
	// shownSettings are the client settings' errors last shown (reportSettingsErrors).
	shownSettings string
	refreshing    bool // a workspace/diagnostic/refresh waits to be sent (refreshPulls)
	// hist caches the catalog before each migration of the sets the documents are in.
	hist histories

	exitOnce sync.Once
	exitCode int
	exited   chan struct{}

	// hook runs before every handler; tests use it to make a handler panic.
	hook func(method string)
}

// NewServer makes a server; Serve runs it.
func NewServer(opts Options) *Server {
	log := opts.Logger
	if log == nil {
		log = zap.NewNop()
	}
	an := opts.Analyze
	if an == nil {
		an = engine.Analyze
	}
	stall := opts.FrameStall
	if stall == 0 {
		stall = DefaultFrameStall
	}
	return &Server{
		log:           log,
		analyze:       an,
		slots:         make(chan struct{}, runtime.NumCPU()),
		release:       newReleaser(IdleRelease),
		enc:           migration.UTF16,
		debounce:      opts.Debounce,
		debouncePulls: opts.DebouncePulls,
		flagDebounce:  opts.Debounce,
		flagPulls:     opts.DebouncePulls,
		docs:          map[protocol.DocumentURI]*document{},
		shownErrs:     map[string]bool{},
		exitCode:      1,
		exited:        make(chan struct{}),
		stall:         stall,
	}
}

// Serve speaks LSP over rwc until the client sends exit or closes the stream. It returns
// the process exit code the specification asks for: 0 after shutdown then exit, 1 when
// exit (or the end of the stream) comes without shutdown, and 1 when the stream breaks
// (a malformed frame), so the editor restarts the server.
func (s *Server) Serve(ctx context.Context, rwc io.ReadWriteCloser) int {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	s.stream = newStream(rwc, s.log, s.stall)
	s.conn = jsonrpc2.NewConn(s.stream)
	handler, canceller := jsonrpc2.CancelHandler(s.handler())
	s.conn.Go(ctx, s.withCancel(handler, canceller))
	select {
	case <-s.exited:
	case <-s.conn.Done():
		s.log.Info("client closed the connection", zap.Error(s.conn.Err()))
	case <-ctx.Done():
	}
	s.conn.Close()
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, d := range s.docs {
		d.stop()
	}
	if s.stream.framingErr() != nil {
		return 1
	}
	return s.exitCode
}

// rawHandlers are methods decoded here rather than by protocol.ServerHandler, because
// go.lsp.dev/protocol v0.12.0's types lose what they carry: initialize needs
// general.positionEncodings and must answer positionEncoding and diagnosticProvider;
// didChange must tell a full replacement (no range) from an edit at 0:0; code actions
// need CreateFile entries in documentChanges; shutdown and exit are refused by
// protocol.ServerHandler when a client sends "params": null. The pull for
// diagnostics, which protocol v0.12.0 does not know (it would be decoded into maps and
// re-encoded to be read), is decoded here too, by handle, as it may be answered by
// the analysis it waits for rather than by its own goroutine.
var rawHandlers = map[string]func(s *Server, ctx context.Context, req jsonrpc2.Request) (any, error){
	protocol.MethodInitialize:             (*Server).initialize,
	protocol.MethodTextDocumentDidChange:  (*Server).didChange,
	protocol.MethodTextDocumentCodeAction: (*Server).codeAction,
	protocol.MethodShutdown: func(s *Server, ctx context.Context, _ jsonrpc2.Request) (any, error) {
		return nil, s.Shutdown(ctx)
	},
	protocol.MethodExit: func(s *Server, ctx context.Context, _ jsonrpc2.Request) (any, error) {
		return nil, s.Exit(ctx)
	},
}

// handler orders the work: notifications (document edits) are applied in arrival
// order on the connection's goroutine, and cheaply; requests run on goroutines of their
// own, so a slow answer never delays the next edit.
func (s *Server) handler() jsonrpc2.Handler {
	std := protocol.ServerHandler(s, nil)
	return func(ctx context.Context, reply jsonrpc2.Replier, req jsonrpc2.Request) error {
		reply = replyOnce(reply)
		_, isCall := req.(*jsonrpc2.Call)
		switch {
		case !isCall, req.Method() == protocol.MethodInitialize, req.Method() == protocol.MethodShutdown:
			s.handle(ctx, std, reply, req)
		default:
			go s.handle(ctx, std, reply, req)
		}
		return nil
	}
}

// withCancel routes $/cancelRequest to the canceller of jsonrpc2.CancelHandler.
func (s *Server) withCancel(h jsonrpc2.Handler, cancel func(jsonrpc2.ID)) jsonrpc2.Handler {
	return func(ctx context.Context, reply jsonrpc2.Replier, req jsonrpc2.Request) error {
		if req.Method() == protocol.MethodCancelRequest {
			var p struct {
				ID jsonrpc2.ID `json:"id"`
			}
			if err := unmarshal(req.Params(), &p); err == nil {
				cancel(p.ID)
			}
			return nil
		}
		return h(ctx, reply, req)
	}
}

// handle runs one message, recovering from panics so one bad handler never takes the
// server down.
func (s *Server) handle(ctx context.Context, std jsonrpc2.Handler, reply jsonrpc2.Replier, req jsonrpc2.Request) {
	start := time.Now()
	defer func() {
		if v := recover(); v != nil {
			s.log.Error("handler panicked", zap.String("method", req.Method()), zap.Any("panic", v),
				zap.ByteString("stack", debug.Stack()))
			_ = reply(ctx, nil, jsonrpc2.Errorf(jsonrpc2.InternalError, "migsafe: %s failed: %v", req.Method(), v))
		}
		s.log.Debug("handled", zap.String("method", req.Method()), zap.Duration("took", time.Since(start)))
	}()
	if s.hook != nil {
		s.hook(req.Method())
	}
	if err := s.admit(req); err != nil {
		if err != errDrop {
			_ = reply(ctx, nil, err)
		}
		return
	}
	reply = s.withErrorCodes(req, reply)
	if req.Method() == methodDiagnostic {
		s.pullDiagnostics(ctx, reply, req) // it may be answered by another goroutine
		return
	}
	if h, ok := rawHandlers[req.Method()]; ok {
		res, err := h(s, ctx, req)
		_ = reply(ctx, res, err)
		return
	}
	if err := std(ctx, reply, req); err != nil {
		s.log.Warn("reply failed", zap.String("method", req.Method()), zap.Error(err))
	}
}

var errDrop = fmt.Errorf("drop")

// admit enforces the lifecycle: nothing but initialize (and exit) before initialize,
// nothing but exit after shutdown. Notifications that arrive too early are dropped, as
// the specification asks.
func (s *Server) admit(req jsonrpc2.Request) error {
	_, isCall := req.(*jsonrpc2.Call)
	m := req.Method()
	s.mu.Lock()
	st := s.state
	s.mu.Unlock()
	switch {
	case m == protocol.MethodExit:
		return nil
	case st == uninitialized && m != protocol.MethodInitialize:
		if !isCall {
			return errDrop
		}
		return jsonrpc2.Errorf(jsonrpc2.ServerNotInitialized, "migsafe: %s before initialize", m)
	case st != uninitialized && m == protocol.MethodInitialize:
		return jsonrpc2.Errorf(jsonrpc2.InvalidRequest, "migsafe: initialize sent twice")
	case st == shuttingDown:
		if !isCall {
			return errDrop
		}
		return jsonrpc2.Errorf(jsonrpc2.InvalidRequest, "migsafe: %s after shutdown", m)
	}
	return nil
}

// withErrorCodes gives every error answer a JSON-RPC code: protocol.ServerHandler
// answers params it cannot decode with a plain error, which goes out with code 0;
// the specification's code for them is Invalid params (-32602). A cancelled request is
// RequestCancelled (-32800); any other plain error is an InternalError. A notification
// cannot be answered, so its error is logged. Every call is answered, a cancelled one
// too, as the specification asks.
func (s *Server) withErrorCodes(req jsonrpc2.Request, r jsonrpc2.Replier) jsonrpc2.Replier {
	_, isCall := req.(*jsonrpc2.Call)
	return func(ctx context.Context, result any, err error) error {
		if err != nil && !isCall && !errors.Is(err, jsonrpc2.ErrMethodNotFound) {
			s.log.Warn("notification failed", zap.String("method", req.Method()), zap.Error(err))
		}
		var rpcErr *jsonrpc2.Error
		switch {
		case err == nil || errors.As(err, &rpcErr):
		case strings.HasPrefix(err.Error(), jsonrpc2.ErrParse.Error()+":"):
			// protocol.ServerHandler's "JSON-RPC parse error: <decode error>" of params.
			err = jsonrpc2.Errorf(jsonrpc2.InvalidParams, "invalid params: %s",
				strings.TrimPrefix(err.Error(), jsonrpc2.ErrParse.Error()+": "))
		case errors.Is(err, context.Canceled):
			err = jsonrpc2.Errorf(protocol.CodeRequestCancelled, "request cancelled")
		default:
			err = jsonrpc2.Errorf(jsonrpc2.InternalError, "%v", err)
		}
		// Written under a context that outlives a cancel: the stream writes nothing
		// under a cancelled one, and a cancelled request must still be answered.
		return r(context.WithoutCancel(ctx), result, err)
	}
}

func replyOnce(r jsonrpc2.Replier) jsonrpc2.Replier {
	var once sync.Once
	return func(ctx context.Context, result any, err error) error {
		var rerr error
		once.Do(func() { rerr = r(ctx, result, err) })
		return rerr
	}
}

// notify sends a notification; failures are logged, never fatal.
func (s *Server) notify(ctx context.Context, method string, params any) {
	if err := s.conn.Notify(ctx, method, params); err != nil {
		s.log.Warn("notify failed", zap.String("method", method), zap.Error(err))
	}
}

func (s *Server) showMessage(ctx context.Context, typ protocol.MessageType, msg string) {
	s.notify(ctx, protocol.MethodWindowShowMessage, &protocol.ShowMessageParams{Type: typ, Message: msg})
}

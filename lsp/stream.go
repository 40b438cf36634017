package lsp

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.uber.org/zap"
)

// DefaultFrameStall is how long the server waits for the rest of a message it has
// started reading. A client sends a message in one go; a frame that stops arriving
// half-way has a wrong Content-Length (the client is waiting for an answer to a message
// the server is still reading), and waiting on would wedge both ends.
const DefaultFrameStall = 5 * time.Second

// Limits on a header block: a header line this long, or this many header lines, means
// the server is reading a body as headers.
const (
	maxHeaderLine  = 4096
	maxHeaderLines = 32
	maxBody        = 1 << 30
)

// stream frames JSON-RPC messages with Content-Length headers, like jsonrpc2.NewStream,
// with two differences. A body that is not a valid message gets the Parse error
// (-32700) or Invalid Request (-32600) response with a null id that the specification
// asks for, and the server goes on. A frame that is broken (a bad or missing
// Content-Length, a malformed header line, a body that runs into the next message or
// stops arriving) cannot be resynchronised: the stream logs it, tells the client, and
// fails, so the server exits non-zero and the editor restarts it instead of both
// waiting for each other for good.
type stream struct {
	conn  io.ReadWriteCloser
	log   *zap.Logger
	stall time.Duration

	// chunks carries what a goroutine reads from conn, so a read in the middle of a
	// frame can give up after stall; readErr is set before chunks is closed.
	chunks  chan []byte
	readErr error
	buf     []byte // read but not yet consumed

	mu      sync.Mutex // serialises writes
	splices splices

	fmu     sync.Mutex
	framing error // the first framing error, for Serve
}

// framingError is a broken frame: the connection cannot go on.
type framingError struct{ msg string }

func (e *framingError) Error() string { return "framing error: " + e.msg }

func newStream(conn io.ReadWriteCloser, log *zap.Logger, stall time.Duration) *stream {
	s := &stream{conn: conn, log: log, stall: stall, chunks: make(chan []byte, 4)}
	go s.pump()
	return s
}

// pump reads conn into chunks. What one read brings is most often one message of a
// few hundred bytes (an edit, a pull): it is copied out of the read buffer, which is
// read into again; a buffer of its own for every read was 64 KB to allocate and zero
// for each edit and each pull, on their way to the analysis. A large read is handed
// on as it is.
func (s *stream) pump() {
	b := make([]byte, readSize)
	for {
		n, err := s.conn.Read(b)
		switch {
		case n > 0 && n <= readSize/4:
			s.chunks <- append([]byte(nil), b[:n]...)
		case n > 0:
			s.chunks <- b[:n]
			b = make([]byte, readSize)
		}
		if err != nil {
			s.readErr = err
			close(s.chunks)
			return
		}
	}
}

// readSize is the size of the stream's reads.
const readSize = 64 << 10

// keptBody is the largest body whose buffer the stream goes on filling.
const keptBody = 1 << 20

// fill appends the next chunk to buf. midFrame bounds the wait by the stall timeout.
func (s *stream) fill(ctx context.Context, midFrame bool, what func() string) error {
	var timeout <-chan time.Time
	if midFrame && s.stall > 0 {
		t := time.NewTimer(s.stall)
		defer t.Stop()
		timeout = t.C
	}
	select {
	case b, ok := <-s.chunks:
		if !ok {
			if midFrame {
				return fmt.Errorf("the stream ended %s: %w", what(), s.readErr)
			}
			return s.readErr
		}
		if len(s.buf) == 0 {
			s.buf = b // nothing to join it to: no copy
		} else {
			s.buf = append(s.buf, b...)
		}
		return nil
	case <-timeout:
		return &framingError{fmt.Sprintf("nothing more arrived for %v %s (wrong Content-Length?)", s.stall, what())}
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (s *stream) Read(ctx context.Context) (jsonrpc2.Message, int64, error) {
	for {
		data, n, err := s.readFrame(ctx)
		if err != nil {
			return nil, n, s.fail(err)
		}
		if bytes.Contains(data, []byte("Content-Length:")) && !json.Valid(data) {
			// The body ran into the next message's header: its Content-Length was too
			// large. (jsonrpc2 would decode the first message and ignore the rest.)
			return nil, n, s.fail(&framingError{fmt.Sprintf("a %d-byte body holds another message's header (Content-Length too large)", len(data))})
		}
		msg, err := decodeMessage(data)
		if err == nil {
			return msg, n, nil
		}
		code, text := jsonrpc2.ParseError, "parse error: "+err.Error()
		if errors.Is(err, jsonrpc2.ErrInvalidRequest) {
			code, text = jsonrpc2.InvalidRequest, "invalid request: a message needs a method or an id"
		}
		s.log.Warn("malformed message", zap.Error(err), zap.Int("bytes", len(data)))
		if werr := s.writeRaw(errorResponse{JSONRPC: "2.0", Error: &jsonrpc2.Error{Code: code, Message: text}}); werr != nil {
			return nil, n, werr
		}
	}
}

// fail records a framing error, logs it and tells the client before the connection
// ends; other errors (the client closed the stream) pass through.
func (s *stream) fail(err error) error {
	var fe *framingError
	if !errors.As(err, &fe) {
		return err
	}
	s.fmu.Lock()
	if s.framing == nil {
		s.framing = fe
	}
	s.fmu.Unlock()
	s.log.Error("cannot read the client's messages; exiting so the editor restarts the server", zap.Error(fe))
	_ = s.writeRaw(map[string]any{"jsonrpc": "2.0", "method": "window/showMessage", "params": map[string]any{
		"type": 1, "message": "migsafe: " + fe.Error() + "; the language server exits and should be restarted"}})
	return fe
}

// framingErr is the framing error that ended the stream, if one did.
func (s *stream) framingErr() error {
	s.fmu.Lock()
	defer s.fmu.Unlock()
	return s.framing
}

// readFrame reads one header block and its body.
func (s *stream) readFrame(ctx context.Context) ([]byte, int64, error) {
	var total int64
	length := int64(-1)
	lines := 0
	for {
		line, err := s.readLine(ctx, lines > 0)
		total += int64(len(line))
		if err != nil {
			return nil, total, err
		}
		line = strings.TrimRight(line, "\r\n")
		if line == "" {
			if lines == 0 {
				continue // tolerate stray blank lines between messages
			}
			if length < 0 {
				return nil, total, &framingError{"a header block without Content-Length"}
			}
			break
		}
		if lines++; lines > maxHeaderLines {
			return nil, total, &framingError{fmt.Sprintf("more than %d header lines", maxHeaderLines)}
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok || !isToken(name) {
			return nil, total, &framingError{fmt.Sprintf("invalid header line %q", clip(line))}
		}
		if strings.EqualFold(name, "Content-Length") {
			length, err = strconv.ParseInt(strings.TrimSpace(value), 10, 64)
			if err != nil || length <= 0 || length > maxBody {
				return nil, total, &framingError{fmt.Sprintf("invalid Content-Length %q", clip(strings.TrimSpace(value)))}
			}
		}
	}
	for int64(len(s.buf)) < length {
		have := len(s.buf)
		if err := s.fill(ctx, true, func() string { return fmt.Sprintf("after %d of a %d-byte body", have, length) }); err != nil {
			return nil, total, err
		}
	}
	data := s.buf[:length:length]
	s.buf = s.buf[length:]
	if length > keptBody {
		// What follows a large body goes to a buffer of its own: the rest of this
		// one would keep the whole array live for the connection's life (a 5 MB
		// didOpen: 6 MB), though the frames after it are small.
		s.buf = append([]byte(nil), s.buf...)
	}
	return data, total + length, nil
}

// readLine reads up to and including the next \n; midFrame says a header block has
// started, so a stall is a broken frame rather than an idle client.
func (s *stream) readLine(ctx context.Context, midFrame bool) (string, error) {
	for {
		if i := bytes.IndexByte(s.buf, '\n'); i >= 0 {
			line := string(s.buf[:i+1])
			s.buf = s.buf[i+1:]
			return line, nil
		}
		if len(s.buf) > maxHeaderLine {
			return "", &framingError{fmt.Sprintf("a header line longer than %d bytes: %q", maxHeaderLine, clip(string(s.buf)))}
		}
		if err := s.fill(ctx, midFrame || len(s.buf) > 0, func() string { return fmt.Sprintf("in a header line %q", clip(string(s.buf))) }); err != nil {
			return "", err
		}
	}
}

// isToken reports whether s is an HTTP header field name (RFC 7230 token).
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range []byte(s) {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0) {
			return false
		}
	}
	return true
}

// clip shortens what a log line quotes from the stream.
func clip(s string) string {
	if len(s) > 60 {
		return s[:60] + "…"
	}
	return s
}

type errorResponse struct {
	JSONRPC string          `json:"jsonrpc"`
	ID      *struct{}       `json:"id"` // always null: the id could not be read
	Error   *jsonrpc2.Error `json:"error"`
}

func (s *stream) Write(ctx context.Context, msg jsonrpc2.Message) (int64, error) {
	return 0, s.write(ctx, msg)
}

// writeRaw frames and writes a message the stream makes itself (an error response,
// a message about a broken frame).
func (s *stream) writeRaw(v any) error { return s.write(context.Background(), v) }

// write frames and writes one message in a single write. A response or notification
// is written around its result or params as jsonrpc2 marshalled them already: its own
// MarshalJSON would validate and compact those bytes again, which for a pull answer
// of hundreds of diagnostics is a measurable part of its latency. Other messages
// marshal themselves, called directly to skip encoding/json's pass over what a
// Marshaler returns. The frame is built in one buffer, its header in room left before
// the body, and the buffer is reused: a pull answer of 125 KB was copied three times
// into new buffers on its way out.
func (s *stream) write(ctx context.Context, v any) error {
	bp := frames.Get().(*[]byte)
	defer func() {
		if cap(*bp) <= maxPooledFrame {
			frames.Put(bp)
		}
	}()
	b, err := s.appendWire(append((*bp)[:0], make([]byte, headerRoom)...), v) // first: a message not sent must not keep its splice
	*bp = b
	if err != nil {
		return fmt.Errorf("marshaling message: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	var h [headerRoom]byte
	header := strconv.AppendInt(append(h[:0], "Content-Length: "...), int64(len(b)-headerRoom), 10)
	header = append(header, "\r\n\r\n"...)
	frame := b[headerRoom-len(header):]
	copy(frame, header)
	s.mu.Lock()
	defer s.mu.Unlock()
	_, err = s.conn.Write(frame)
	return err
}

// headerRoom is the longest header a frame has: "Content-Length: " and 20 digits.
const headerRoom = len("Content-Length: \r\n\r\n") + 20

// frames are the buffers frames are built in; one larger than maxPooledFrame (the
// push of a 5 MB document) is not kept.
var frames = sync.Pool{New: func() any { return new([]byte) }}

const maxPooledFrame = 1 << 20

// appendWire appends the JSON of one message, with its splice in place of a placeholder.
func (s *stream) appendWire(b []byte, v any) ([]byte, error) {
	switch m := v.(type) {
	case *jsonrpc2.Response:
		if m.Err() != nil || len(m.Result()) == 0 {
			break
		}
		rid := m.ID()
		id, err := rid.MarshalJSON()
		if err != nil {
			return nil, err
		}
		b = append(b, `{"jsonrpc":"2.0","result":`...)
		b = s.appendUnspliced(b, m.Result())
		b = append(b, `,"id":`...)
		b = append(b, id...)
		return append(b, '}'), nil
	case *jsonrpc2.Notification:
		if len(m.Params()) == 0 {
			break
		}
		b = append(b, `{"jsonrpc":"2.0","method":`...)
		b = appendString(b, m.Method())
		b = append(b, `,"params":`...)
		b = s.appendUnspliced(b, m.Params())
		return append(b, '}'), nil
	}
	var data []byte
	var err error
	if m, ok := v.(json.Marshaler); ok {
		data, err = m.MarshalJSON()
	} else {
		data, err = json.Marshal(v)
	}
	return append(b, data...), err
}

func (s *stream) Close() error { return s.conn.Close() }

// unmarshal decodes params, treating absent params as empty; params of the wrong shape
// are Invalid params (-32602).
func unmarshal(data json.RawMessage, v any) error {
	if len(data) == 0 || string(data) == "null" {
		return nil
	}
	if err := json.Unmarshal(data, v); err != nil {
		return jsonrpc2.Errorf(jsonrpc2.InvalidParams, "invalid params: %v", err)
	}
	return nil
}

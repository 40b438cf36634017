package lsp

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"

	"go.lsp.dev/jsonrpc2"
	"go.uber.org/zap"
)

// stream frames JSON-RPC messages with Content-Length headers, like jsonrpc2.NewStream,
// but survives a body that is not a valid message: jsonrpc2's stream returns an error
// that ends the connection, where the specification asks for a Parse error (-32700) or
// Invalid Request (-32600) response with a null id and for the server to go on.
type stream struct {
	conn io.ReadWriteCloser
	in   *bufio.Reader
	log  *zap.Logger
	mu   sync.Mutex // serialises writes
}

func newStream(conn io.ReadWriteCloser, log *zap.Logger) *stream {
	return &stream{conn: conn, in: bufio.NewReaderSize(conn, 64<<10), log: log}
}

func (s *stream) Read(ctx context.Context) (jsonrpc2.Message, int64, error) {
	for {
		if err := ctx.Err(); err != nil {
			return nil, 0, err
		}
		data, n, err := s.readFrame()
		if err != nil {
			return nil, n, err
		}
		msg, err := jsonrpc2.DecodeMessage(data)
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

// readFrame reads one header block and its body.
func (s *stream) readFrame() ([]byte, int64, error) {
	var total, length int64
	for {
		line, err := s.in.ReadString('\n')
		total += int64(len(line))
		if err != nil {
			return nil, total, fmt.Errorf("reading header: %w", err)
		}
		line = strings.TrimSpace(line)
		if line == "" {
			if length > 0 {
				break
			}
			continue // tolerate stray blank lines between messages
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			return nil, total, fmt.Errorf("invalid header line %q", line)
		}
		if strings.EqualFold(strings.TrimSpace(name), "Content-Length") {
			length, err = strconv.ParseInt(strings.TrimSpace(value), 10, 64)
			if err != nil || length <= 0 || length > 1<<30 {
				return nil, total, fmt.Errorf("invalid Content-Length %q", value)
			}
		}
	}
	data := make([]byte, length)
	if _, err := io.ReadFull(s.in, data); err != nil {
		return nil, total, fmt.Errorf("reading body: %w", err)
	}
	return data, total + length, nil
}

type errorResponse struct {
	JSONRPC string          `json:"jsonrpc"`
	ID      *struct{}       `json:"id"` // always null: the id could not be read
	Error   *jsonrpc2.Error `json:"error"`
}

func (s *stream) Write(ctx context.Context, msg jsonrpc2.Message) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	return 0, s.writeRaw(msg)
}

func (s *stream) writeRaw(v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("marshaling message: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := fmt.Fprintf(s.conn, "Content-Length: %d\r\n\r\n", len(data)); err != nil {
		return err
	}
	_, err = s.conn.Write(data)
	return err
}

func (s *stream) Close() error { return s.conn.Close() }

// unmarshal decodes params, treating absent params as empty.
func unmarshal(data json.RawMessage, v any) error {
	if len(data) == 0 || string(data) == "null" {
		return nil
	}
	if err := json.Unmarshal(data, v); err != nil {
		return jsonrpc2.Errorf(jsonrpc2.InvalidParams, "invalid params: %v", err)
	}
	return nil
}

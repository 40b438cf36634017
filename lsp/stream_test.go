package lsp

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"runtime"
	"testing"
	"time"
	"unsafe"

	"go.lsp.dev/jsonrpc2"
	"go.uber.org/zap"
)

// After a large body the stream reads on in a buffer of its own: the frames after it
// come whole, and the large one's array is not kept for them.
func TestStreamLargeBodyNotKept(t *testing.T) {
	large := bytes.Repeat([]byte("x"), 2*keptBody)
	small := []byte(`{"jsonrpc":"2.0","method":"exit"}`)
	var in []byte
	in = fmt.Appendf(in, "Content-Length: %d\r\n\r\n%s", len(large), large)
	in = fmt.Appendf(in, "Content-Length: %d\r\n\r\n%s", len(small), small)
	s := &stream{chunks: make(chan []byte, 1)}
	s.chunks <- in
	close(s.chunks)
	ctx := context.Background()
	data, _, err := s.readFrame(ctx)
	if err != nil || !bytes.Equal(data, large) {
		t.Fatalf("first frame: %d bytes, %v; want the %d-byte body", len(data), err, len(large))
	}
	if tail := uintptr(unsafe.Pointer(unsafe.SliceData(data))) + uintptr(len(data)); cap(s.buf) > 0 && uintptr(unsafe.Pointer(unsafe.SliceData(s.buf))) == tail {
		t.Error("what follows the large body is still read in its array")
	}
	if data, _, err = s.readFrame(ctx); err != nil || !bytes.Equal(data, small) {
		t.Errorf("second frame: %q, %v; want %q", data, err, small)
	}
}

// piecesConn gives out its input in pieces of the given sizes, cycling through them.
type piecesConn struct {
	in     []byte
	pieces []int
	i      int
}

func (c *piecesConn) Read(b []byte) (int, error) {
	if len(c.in) == 0 {
		return 0, io.EOF
	}
	n := min(len(b), len(c.in), c.pieces[c.i%len(c.pieces)])
	c.i++
	copy(b, c.in[:n])
	c.in = c.in[n:]
	return n, nil
}

func (c *piecesConn) Write(b []byte) (int, error) { return len(b), nil }
func (c *piecesConn) Close() error                { return nil }

// editFrames are n edits as the bench sends them, each framed.
func editFrames(n int) (in []byte, bodies []string) {
	for i := range n {
		body := fmt.Sprintf(`{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":"file:///tmp/bench/0001_big.sql","version":%d},"contentChanges":[{"range":{"start":{"line":%d,"character":0},"end":{"line":%d,"character":50}},"text":"ALTER TABLE users ADD COLUMN c_7 text NOT NULL ;"}]}}`, i+2, i, i)
		bodies = append(bodies, body)
		in = fmt.Appendf(in, "Content-Length: %d\r\n\r\n%s", len(body), body)
	}
	return in, bodies
}

// TestStreamReadAllocations: reading an edit that arrives in a read of its own
// allocates about its size, not a 64 KB buffer for every read.
func TestStreamReadAllocations(t *testing.T) {
	const n = 200
	in, _ := editFrames(n)
	size := len(in) / n
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	s := newStream(&piecesConn{in: in, pieces: []int{size}}, zap.NewNop(), time.Second)
	for range n {
		if _, _, err := s.Read(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	runtime.ReadMemStats(&after)
	per := (after.TotalAlloc - before.TotalAlloc) / n
	t.Logf("%d bytes allocated for each %d-byte edit read", per, size)
	if per > 2<<10 {
		t.Errorf("%d bytes allocated for each %d-byte edit read, want at most 2 KB", per, size)
	}
}

// TestStreamReadsSplitFrames: frames that arrive in pieces of any size, small reads
// copied out of the read buffer and large ones handed on, are read whole and in order.
func TestStreamReadsSplitFrames(t *testing.T) {
	in, bodies := editFrames(300)
	for _, pieces := range [][]int{{1}, {7, 300, 2}, {readSize/4 - 1, readSize/4 + 1, 5}, {readSize}, {len(in)}} {
		s := newStream(&piecesConn{in: bytes.Clone(in), pieces: pieces}, zap.NewNop(), time.Second)
		for i, want := range bodies {
			msg, _, err := s.Read(context.Background())
			if err != nil {
				t.Fatalf("pieces %v: message %d: %v", pieces, i, err)
			}
			if got := viewOf(t, msg); got.Method != "textDocument/didChange" || fmt.Sprint(got.Params) != fmt.Sprint(viewOf(t, mustDecode(t, want)).Params) {
				t.Fatalf("pieces %v: message %d is %+v, want %s", pieces, i, got, want)
			}
		}
	}
}

func mustDecode(t *testing.T, body string) jsonrpc2.Message {
	t.Helper()
	m, err := decodeMessage([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

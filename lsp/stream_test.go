package lsp

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"unsafe"
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

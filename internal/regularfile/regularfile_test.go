//go:build unix

package regularfile

import (
	"bytes"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestReadIsReadFile reads what os.ReadFile reads, and leaves to it what it is not
// given to read: directories, missing files, files over the limit.
func TestReadIsReadFile(t *testing.T) {
	dir := t.TempDir()
	files := map[string][]byte{
		"empty.sql": nil,
		"small.sql": []byte("CREATE TABLE t (id int);\n"),
		"large.sql": bytes.Repeat([]byte("INSERT INTO t VALUES (1);\n"), 100_000),
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for name, data := range files {
		p := filepath.Join(dir, name)
		got, ok := Read(p, -1)
		if want, err := os.ReadFile(p); !ok || err != nil || !bytes.Equal(got, want) || !bytes.Equal(got, data) {
			t.Errorf("%s: Read gives %d bytes (ok %v), os.ReadFile %d (%v)", name, len(got), ok, len(want), err)
		}
		if got, ok := ReadString(p, -1); !ok || got != string(data) {
			t.Errorf("%s: ReadString gives %d bytes (ok %v), want %d", name, len(got), ok, len(data))
		}
		if got, ok := Read(p, int64(len(data))); !ok || !bytes.Equal(got, data) {
			t.Errorf("%s: Read at its own size as the limit: ok %v, %d bytes", name, ok, len(got))
		}
	}
	if _, ok := Read(filepath.Join(dir, "small.sql"), 10); ok {
		t.Error("a file over the limit was read")
	}
	if _, ok := Read(dir, -1); ok {
		t.Error("a directory was read")
	}
	if _, ok := Read(filepath.Join(dir, "missing.sql"), -1); ok {
		t.Error("a missing file was read")
	}
	// A named pipe is refused at once: opened to be read, it blocked until a writer
	// came, for ever when none does.
	fifo := filepath.Join(dir, "fifo.go")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	done := make(chan bool, 1)
	go func() { _, ok := Read(fifo, -1); done <- ok }()
	select {
	case ok := <-done:
		if ok {
			t.Error("a FIFO was read")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("reading a FIFO with no writer blocked")
	}
}

package project

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"syscall"
	"testing"
	"time"
)

// countingFS is the disk, counting what it is asked.
type countingFS struct{ reads, lists int }

func (c *countingFS) ReadFile(path string) ([]byte, error) { c.reads++; return OS.ReadFile(path) }

func (c *countingFS) ReadDir(dir string) ([]DirEntry, error) { c.lists++; return OS.ReadDir(dir) }

// Listed lists a directory once and answers for the files its listing lacks without
// asking the disk, with the error os.ReadFile gives; files it has, and files of
// directories never listed, are read.
func TestListedAnswersMissingFilesFromTheListing(t *testing.T) {
	dir := t.TempDir()
	up := filepath.Join(dir, "V1__init.sql")
	if err := os.WriteFile(up, []byte("SELECT 1;"), 0o644); err != nil {
		t.Fatal(err)
	}
	base := &countingFS{}
	l := Listed(base)
	if _, err := l.ReadFile(up + ".conf"); !errors.Is(err, fs.ErrNotExist) || base.reads != 1 {
		t.Fatalf("before any listing: %v after %d reads, want not-exist from the disk", err, base.reads)
	}
	first, err := l.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := l.ReadDir(dir + "/")
	if base.lists != 1 || !reflect.DeepEqual(first, again) {
		t.Errorf("listed %d times: %v, then %v", base.lists, first, again)
	}
	_, want := os.ReadFile(up + ".conf")
	if _, err := l.ReadFile(up + ".conf"); err == nil || err.Error() != want.Error() || !errors.Is(err, fs.ErrNotExist) || base.reads != 1 {
		t.Errorf("missing from the listing: %v after %d reads, want %v without a read", err, base.reads, want)
	}
	if data, err := l.ReadFile(up); err != nil || string(data) != "SELECT 1;" || base.reads != 2 {
		t.Errorf("listed file: %q, %v after %d reads", data, err, base.reads)
	}
}

// OS reads only regular files: a named pipe among the migrations is refused at once
// (read like a file, it blocked the replay of every migration after it, for ever when
// no process writes to it); links to files read as before.
func TestOSRefusesAPipeWithoutWaiting(t *testing.T) {
	dir := t.TempDir()
	up := filepath.Join(dir, "0002_b.sql")
	if err := os.WriteFile(up, []byte("SELECT 1;"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "0003_c.sql")
	if err := os.Symlink(up, link); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "0001_a.sql")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	for _, p := range []string{up, link} {
		if data, err := OS.ReadFile(p); err != nil || string(data) != "SELECT 1;" {
			t.Errorf("%s: %q, %v", p, data, err)
		}
	}
	done := make(chan error, 1)
	go func() { _, err := OS.ReadFile(fifo); done <- err }()
	select {
	case err := <-done:
		if want := "read " + fifo + ": a named pipe (FIFO), not a regular file: migsafe reads only regular files here"; err == nil || err.Error() != want {
			t.Errorf("FIFO: %v, want %q", err, want)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("reading a FIFO with no writer blocked")
	}
}

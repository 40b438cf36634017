// Package project knows a migration's place among the others: the ordered migration
// set a file belongs to (per runner), its up/down pairs, how the runner names the next
// migration, which migrations are pending (not yet deployed), and the schema catalog
// the earlier migrations establish, replayed statically from their syntax trees.
package project

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"syscall"

	"github.com/migsafe/migsafe/internal/regularfile"
)

// FS is how the package reads directories and files. The command line reads the
// disk; the language server lays its unsaved buffers over it, so a migration being
// written counts with the text the editor shows. Implementations cache nothing on
// migsafe's behalf: a listing is read when it is asked for (but see Listed, for a run
// that reads the disk once).
type FS interface {
	ReadFile(path string) ([]byte, error)
	// ReadDir lists a directory's entries, in any order.
	ReadDir(dir string) ([]DirEntry, error)
}

// DirEntry is one entry of a directory listing.
type DirEntry struct {
	Name string
	Dir  bool
}

// OS is the disk.
var OS FS = osFS{}

type osFS struct{}

func (osFS) ReadFile(path string) ([]byte, error) { return ReadRegular(path) }

// ReadRegular reads a file the way a migration set's members are read: only a regular
// file (a symbolic link to one included). A named pipe, socket or device among the
// migrations is refused without waiting: os.ReadFile of a FIFO no process writes to
// blocks in open(2) for ever, which hung `check` of any migration after one and the
// language server with it. regularfile.Read opens without blocking; when it declines,
// the file is opened the same way again only to say why.
func ReadRegular(path string) ([]byte, error) {
	if data, ok := regularfile.Read(path, -1); ok {
		return data, nil
	}
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, &fs.PathError{Op: "read", Path: path, Err: NotRegularError{st.Mode()}}
	}
	return io.ReadAll(f)
}

// NotRegularError says what a file that is not a regular file is.
type NotRegularError struct{ Mode fs.FileMode }

func (e NotRegularError) Error() string {
	kind := "not a regular file"
	switch t := e.Mode.Type(); {
	case t&fs.ModeNamedPipe != 0:
		kind = "a named pipe (FIFO)"
	case t&fs.ModeSocket != 0:
		kind = "a socket"
	case t&fs.ModeDevice != 0:
		kind = "a device"
	case t&fs.ModeDir != 0:
		kind = "a directory"
	}
	return fmt.Sprintf("%s, not a regular file: migsafe reads only regular files here", kind)
}

func (osFS) ReadDir(dir string) ([]DirEntry, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	out := make([]DirEntry, len(entries))
	for i, e := range entries {
		out[i] = DirEntry{Name: e.Name(), Dir: e.IsDir()}
	}
	return out, nil
}

// Overlay is a file system whose files are the given texts where it has them and
// base's elsewhere: the language server's open documents, or the command line's
// inputs (standard input under a name), over the disk.
type Overlay struct {
	base  FS
	files map[string]string   // cleaned path -> text
	dirs  map[string][]string // cleaned directory -> names of its overlaid files
}

// NewOverlay lays files (path -> text) over base.
func NewOverlay(base FS, files map[string]string) *Overlay {
	o := &Overlay{base: base, files: map[string]string{}, dirs: map[string][]string{}}
	for p, text := range files {
		p = filepath.Clean(p)
		o.files[p] = text
		o.dirs[filepath.Dir(p)] = append(o.dirs[filepath.Dir(p)], filepath.Base(p))
	}
	return o
}

func (o *Overlay) ReadFile(path string) ([]byte, error) {
	if text, ok := o.files[filepath.Clean(path)]; ok {
		return []byte(text), nil
	}
	return o.base.ReadFile(path)
}

func (o *Overlay) ReadDir(dir string) ([]DirEntry, error) {
	entries, err := o.base.ReadDir(dir)
	extra := o.dirs[filepath.Clean(dir)]
	if err != nil && len(extra) == 0 {
		return nil, err
	}
	seen := make(map[string]bool, len(entries))
	for _, e := range entries {
		seen[e.Name] = true
	}
	for _, name := range extra {
		if !seen[name] {
			entries = append(entries, DirEntry{Name: name})
		}
	}
	return entries, nil
}

// Listed is base for one run over files that do not change meanwhile (a check): each
// directory is listed once, and a file of a listed directory that the listing lacks
// is missing without asking base. A run probes for many files that mostly do not
// exist (a Flyway script's .conf, its undo script): on the corpus, 460 failed opens
// of 1,100 files.
func Listed(base FS) FS { return &listed{base: base, dirs: map[string]map[string]bool{}} }

type listed struct {
	base FS
	mu   sync.Mutex
	dirs map[string]map[string]bool // cleaned directory -> the names it holds
	// entries are the listings as base gave them, handed out as copies.
	entries map[string][]DirEntry
}

func (l *listed) ReadFile(path string) ([]byte, error) {
	clean := filepath.Clean(path)
	l.mu.Lock()
	names, ok := l.dirs[filepath.Dir(clean)]
	l.mu.Unlock()
	if ok && !names[filepath.Base(clean)] {
		// What os.ReadFile returns for a missing file.
		return nil, &fs.PathError{Op: "open", Path: path, Err: syscall.ENOENT}
	}
	return l.base.ReadFile(path)
}

func (l *listed) ReadDir(dir string) ([]DirEntry, error) {
	clean := filepath.Clean(dir)
	l.mu.Lock()
	es, ok := l.entries[clean]
	l.mu.Unlock()
	if ok {
		return append([]DirEntry(nil), es...), nil
	}
	es, err := l.base.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	names := make(map[string]bool, len(es))
	for _, e := range es {
		names[e.Name] = true
	}
	l.mu.Lock()
	if l.entries == nil {
		l.entries = map[string][]DirEntry{}
	}
	l.entries[clean], l.dirs[clean] = es, names
	l.mu.Unlock()
	return append([]DirEntry(nil), es...), nil
}

// Package project knows a migration's place among the others: the ordered migration
// set a file belongs to (per runner), its up/down pairs, how the runner names the next
// migration, which migrations are pending (not yet deployed), and the schema catalog
// the earlier migrations establish, replayed statically from their syntax trees.
package project

import (
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

// ReadFile reads only regular files: a named pipe among the migrations hung `check`
// of any migration after it, and the language server (see regularfile.ReadFile).
func (osFS) ReadFile(path string) ([]byte, error) { return regularfile.ReadFile(path) }

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

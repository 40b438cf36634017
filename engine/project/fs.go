// Package project knows a migration's place among the others: the ordered migration
// set a file belongs to (per runner), its up/down pairs, how the runner names the next
// migration, which migrations are pending (not yet deployed), and the schema catalog
// the earlier migrations establish, replayed statically from their syntax trees.
package project

import (
	"os"
	"path/filepath"
)

// FS is how the package reads directories and files. The command line reads the
// disk; the language server lays its unsaved buffers over it, so a migration being
// written counts with the text the editor shows. Implementations cache nothing on
// migsafe's behalf: a listing is read when it is asked for.
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

func (osFS) ReadFile(path string) ([]byte, error) { return os.ReadFile(path) }

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

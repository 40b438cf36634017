package codeactions

import (
	"errors"
	"io/fs"
	"path/filepath"
	"sort"
	"strings"

	"github.com/migsafe/migsafe/engine/project"
)

// Overlay is a file system whose files (by clean path) cover those of Base: an
// editor's unsaved buffers, or the files a plan will write, so that the next plan names
// its migrations after them.
type Overlay struct {
	Base  FS
	Files map[string]string
	// Removed hides files of Base (a pending phase once promoted).
	Removed map[string]bool
}

// NewOverlay is an empty overlay of base (nil: the disk).
func NewOverlay(base FS) *Overlay {
	if base == nil {
		base = project.OS
	}
	return &Overlay{Base: base, Files: map[string]string{}, Removed: map[string]bool{}}
}

// Add puts a plan's results into the overlay.
func (o *Overlay) Add(p *Plan) {
	for _, c := range p.Changes {
		o.Files[filepath.Clean(c.Path)] = c.New
	}
	for _, r := range p.Removes {
		o.Removed[filepath.Clean(r)] = true
		delete(o.Files, filepath.Clean(r))
	}
}

func (o *Overlay) ReadFile(path string) ([]byte, error) {
	c := filepath.Clean(path)
	if s, ok := o.Files[c]; ok {
		return []byte(s), nil
	}
	if o.Removed[c] {
		return nil, fs.ErrNotExist
	}
	return o.Base.ReadFile(path)
}

func (o *Overlay) ReadDir(dir string) ([]project.DirEntry, error) {
	base, err := o.Base.ReadDir(dir)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	seen := map[string]bool{}
	var out []project.DirEntry
	for _, e := range base {
		if !o.Removed[filepath.Join(filepath.Clean(dir), e.Name)] {
			out = append(out, e)
			seen[e.Name] = true
		}
	}
	// Paths are kept Clean, so a file of the current directory is "x.sql", not
	// "./x.sql": "." lists the relative paths that do not leave it.
	prefix := filepath.Clean(dir) + string(filepath.Separator)
	if prefix == "."+string(filepath.Separator) {
		prefix = ""
	}
	for p := range o.Files {
		rest, ok := strings.CutPrefix(p, prefix)
		if !ok || prefix == "" && (filepath.IsAbs(p) || p == ".." || strings.HasPrefix(p, ".."+string(filepath.Separator))) {
			continue
		}
		name, _, isDir := strings.Cut(rest, string(filepath.Separator))
		if !seen[name] {
			seen[name] = true
			out = append(out, project.DirEntry{Name: name, Dir: isDir})
		}
	}
	if len(out) == 0 && err != nil {
		return nil, err
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// Merge joins plans into one, to write all of them or nothing; a file two plans
// change keeps the first's old text and the last's new one.
func Merge(plans ...*Plan) *Plan {
	out := &Plan{}
	at := map[string]int{}
	for _, p := range plans {
		for _, c := range p.Changes {
			k := filepath.Clean(c.Path)
			if i, ok := at[k]; ok {
				out.Changes[i].New = c.New
				continue
			}
			at[k] = len(out.Changes)
			out.Changes = append(out.Changes, c)
		}
		out.Removes = append(out.Removes, p.Removes...)
	}
	// New files first, the files of the command line last, as Plan.Write expects.
	sort.SliceStable(out.Changes, func(i, j int) bool { return out.Changes[i].Create && !out.Changes[j].Create })
	return out
}

package codeactions

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Plan is every change one `migsafe fix` makes: files created, files rewritten (the
// migration last), files removed.
type Plan struct {
	Changes []Change
	Removes []string
}

// Change is one file of a plan.
type Change struct {
	Path   string
	Create bool   // a new file: Path must not exist
	Old    string // the text the change was planned against (existing files)
	New    string
}

// Empty reports a plan that changes nothing.
func (p *Plan) Empty() bool { return len(p.Changes) == 0 && len(p.Removes) == 0 }

// Write applies the plan all or nothing. First every new file and every new text is
// written to a temporary file in its final directory (creating the directories that
// are missing), after checking that no new file's name is taken and that no existing
// file changed since it was planned; any failure there removes what was made and leaves
// every file as it was. Then the temporary files are moved into place, new files first
// (without ever replacing a file that appeared meanwhile) and the migration last; a
// failure there restores what was already moved. The error names the file and why.
func (p *Plan) Write() error {
	w := &writer{}
	if err := w.stage(p); err != nil {
		w.discard()
		return err
	}
	if err := w.commit(p); err != nil {
		w.undo()
		w.discard()
		return err
	}
	w.discard()
	return nil
}

type writer struct {
	temps   map[string]string // final path -> temporary file
	dirs    []string          // directories created, outermost first
	linked  []string          // new files moved into place
	renamed []Change          // existing files replaced
	removed map[string][]byte // files removed, with their content
}

func (w *writer) stage(p *Plan) error {
	w.temps = map[string]string{}
	w.removed = map[string][]byte{}
	for _, c := range p.Changes {
		mode := fs.FileMode(0o644)
		if c.Create {
			if err := w.mkdirs(filepath.Dir(c.Path)); err != nil {
				return err
			}
			if _, err := os.Lstat(c.Path); err == nil {
				return fmt.Errorf("%s: already exists; nothing was written", c.Path)
			} else if !errors.Is(err, fs.ErrNotExist) {
				return fmt.Errorf("%s: %v; nothing was written", c.Path, unwrap(err))
			}
		} else {
			st, err := os.Stat(c.Path)
			if err != nil {
				return fmt.Errorf("%s: %v; nothing was written", c.Path, unwrap(err))
			}
			mode = st.Mode().Perm()
			cur, err := os.ReadFile(c.Path)
			if err != nil {
				return fmt.Errorf("%s: %v; nothing was written", c.Path, unwrap(err))
			}
			if string(cur) != c.Old {
				return fmt.Errorf("%s: changed since migsafe read it; nothing was written", c.Path)
			}
		}
		tmp, err := writeTemp(target(c.Path), c.New, mode)
		if err != nil {
			return fmt.Errorf("%s: cannot write: %v; nothing was written", c.Path, unwrap(err))
		}
		w.temps[c.Path] = tmp
	}
	for _, r := range p.Removes {
		st, err := os.Lstat(r)
		if err != nil {
			return fmt.Errorf("%s: %v; nothing was written", r, unwrap(err))
		}
		if st.Mode().IsRegular() {
			data, err := os.ReadFile(r)
			if err != nil {
				return fmt.Errorf("%s: %v; nothing was written", r, unwrap(err))
			}
			w.removed[r] = data
		}
	}
	return nil
}

// target is where a file's text goes: through a symbolic link to the file it names.
func target(path string) string {
	if t, err := filepath.EvalSymlinks(path); err == nil {
		return t
	}
	return path
}

// mkdirs creates dir and its missing parents, remembering them for undo.
func (w *writer) mkdirs(dir string) error {
	st, err := os.Stat(dir)
	if err == nil {
		if !st.IsDir() {
			return fmt.Errorf("%s: not a directory; nothing was written", dir)
		}
		return nil
	}
	// A parent that is a file, or unreadable, is the one to name.
	if parent := filepath.Dir(dir); parent != dir {
		if err := w.mkdirs(parent); err != nil {
			return err
		}
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%s: %v; nothing was written", dir, unwrap(err))
	}
	if err := os.Mkdir(dir, 0o755); err != nil {
		return fmt.Errorf("%s: cannot create the directory: %v; nothing was written", dir, unwrap(err))
	}
	w.dirs = append(w.dirs, dir)
	return nil
}

func writeTemp(path, text string, mode fs.FileMode) (string, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".migsafe-*")
	if err != nil {
		return "", err
	}
	_, werr := f.WriteString(text)
	serr := f.Sync()
	cerr := f.Close()
	if err := errors.Join(werr, serr, cerr, os.Chmod(f.Name(), mode)); err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}

func (w *writer) commit(p *Plan) error {
	for _, c := range p.Changes {
		if !c.Create {
			continue
		}
		// A hard link never replaces a file that appeared since the check.
		if err := os.Link(w.temps[c.Path], c.Path); err != nil {
			return fmt.Errorf("%s: cannot create: %v; nothing was written", c.Path, unwrap(err))
		}
		w.linked = append(w.linked, c.Path)
	}
	for _, c := range p.Changes {
		if c.Create {
			continue
		}
		if err := os.Rename(w.temps[c.Path], target(c.Path)); err != nil {
			return fmt.Errorf("%s: cannot replace: %v; nothing was written", c.Path, unwrap(err))
		}
		delete(w.temps, c.Path)
		w.renamed = append(w.renamed, c)
	}
	for _, r := range p.Removes {
		if err := os.Remove(r); err != nil {
			return fmt.Errorf("%s: cannot remove: %v; nothing was written", r, unwrap(err))
		}
	}
	return nil
}

// undo puts back what commit moved.
func (w *writer) undo() {
	for _, c := range w.renamed {
		st, err := os.Stat(c.Path)
		mode := fs.FileMode(0o644)
		if err == nil {
			mode = st.Mode().Perm()
		}
		if tmp, err := writeTemp(target(c.Path), c.Old, mode); err == nil {
			os.Rename(tmp, target(c.Path))
		}
	}
	for _, path := range w.linked {
		os.Remove(path)
	}
	for path, data := range w.removed {
		if _, err := os.Lstat(path); errors.Is(err, fs.ErrNotExist) {
			os.WriteFile(path, data, 0o644)
		}
	}
}

// discard removes the temporary files and the directories made for files that were
// not created.
func (w *writer) discard() {
	for _, tmp := range w.temps {
		os.Remove(tmp)
	}
	for i := len(w.dirs) - 1; i >= 0; i-- {
		os.Remove(w.dirs[i]) // only succeeds while empty
	}
}

// unwrap drops the path a *PathError repeats, since messages name the path first.
func unwrap(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}

package main

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"sync"

	"github.com/migsafe/migsafe/engine/coderefs"
	"github.com/migsafe/migsafe/engine/config"
)

// workspaces opens one code-reference workspace per repository and configuration, so
// every migration of a run shares one index of the code.
type workspaces struct {
	base string // --base REF: the previous release's revision
	mu   sync.Mutex
	open map[string]*coderefs.Workspace
	// roots caches the repository root of each directory: finding it runs git.
	roots map[string]string
}

func newWorkspaces(base string) *workspaces {
	return &workspaces{base: base, open: map[string]*coderefs.Workspace{}, roots: map[string]string{}}
}

func (w *workspaces) root(dir string) string {
	w.mu.Lock()
	r, ok := w.roots[dir]
	w.mu.Unlock()
	if !ok {
		r = coderefs.Root(dir)
		w.mu.Lock()
		w.roots[dir] = r
		w.mu.Unlock()
	}
	return r
}

// forFile is the workspace of the repository holding a migration; nil (no code
// references) for w nil.
func (w *workspaces) forFile(path string, cfg *config.Config) *coderefs.Workspace {
	if w == nil {
		return nil
	}
	root := w.root(filepath.Dir(path))
	opts := coderefs.Options{BaseRef: w.base, Exclude: cfg.CodeExclude}
	// code_paths are relative to the config file; the index wants them relative to
	// the repository root.
	cfgDir := root
	if cfg.Path != "" {
		if abs, err := filepath.Abs(filepath.Dir(cfg.Path)); err == nil {
			cfgDir = abs
		}
	}
	for _, p := range cfg.CodePaths {
		if rel, err := filepath.Rel(root, filepath.Join(cfgDir, p)); err == nil {
			opts.Paths = append(opts.Paths, rel)
		}
	}
	key := root + "\x00" + strings.Join(opts.Paths, "\x00") + "\x00" + strings.Join(opts.Exclude, "\x00")
	w.mu.Lock()
	defer w.mu.Unlock()
	if ws, ok := w.open[key]; ok {
		return ws
	}
	ws := coderefs.Open(root, opts)
	w.open[key] = ws
	return ws
}

// codeWorkspaces prepares a command's code references, checking a --base revision
// first so that a typo fails at once (exit 2) instead of in the middle of the run.
func codeWorkspaces(command, base string, stderr io.Writer) (*workspaces, bool) {
	if base != "" {
		if err := coderefs.CheckRef(coderefs.Root("."), base); err != nil {
			fmt.Fprintf(stderr, "migsafe %s: %v\n", command, err)
			return nil, false
		}
	}
	return newWorkspaces(base), true
}

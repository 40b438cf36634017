package main

import (
	"fmt"
	"io"
	"path/filepath"
	"sort"
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
// The revision is looked for in the repository of each input, as the pending
// migrations are: checked in the current directory's, `check --base main
// repo/migrations` run from outside repo failed ("not inside a git repository"), and
// a file outside any repository failed in the middle with git's ls-tree error.
func codeWorkspaces(command, base string, ins []input, stderr io.Writer) (*workspaces, bool) {
	if base != "" {
		dirs := map[string]bool{}
		for _, in := range ins {
			dirs[filepath.Dir(in.path)] = true
		}
		if len(dirs) == 0 {
			dirs["."] = true
		}
		roots := map[string]bool{}
		for dir := range dirs {
			roots[coderefs.Root(dir)] = true
		}
		sorted := make([]string, 0, len(roots))
		for r := range roots {
			sorted = append(sorted, r)
		}
		sort.Strings(sorted)
		for _, root := range sorted {
			if err := coderefs.CheckRef(root, base); err != nil {
				fmt.Fprintf(stderr, "migsafe %s: %v\n", command, err)
				return nil, false
			}
		}
	}
	return newWorkspaces(base), true
}

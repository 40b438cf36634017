package coderefs

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"

	"github.com/migsafe/migsafe/internal/gitdir"
	"github.com/migsafe/migsafe/internal/regularfile"
)

// maxFileSize skips generated bundles, lock files and data dumps: code worth reading
// is smaller.
const maxFileSize = 1 << 20

// vendored are the directories of other people's code: the packages a project
// installs (node_modules, Go's and Bundler's vendor, a Python virtualenv's .venv and
// site-packages), whose SQL is about their own tables. A virtualenv git does not
// ignore (python -m venv before 3.13 writes no .gitignore) made a package's
// "SELECT email FROM users" a BLOCK of the project's drop of users.email.
var vendored = map[string]bool{
	"node_modules": true, "bower_components": true, "vendor": true,
	".venv": true, "site-packages": true, "dist-packages": true, "__pypackages__": true,
}

// codeExtensions are the files the index reads.
var codeExtensions = map[string]bool{
	".sql": true, ".go": true, ".py": true, ".rb": true, ".rake": true,
	".js": true, ".jsx": true, ".mjs": true, ".cjs": true, ".ts": true, ".tsx": true, ".mts": true, ".cts": true,
	".prisma": true,
}

// entry is one file of a tree: its slash path relative to the root and, for a git
// revision, its blob.
type entry struct {
	path string
	blob string
}

// tree is one revision of the workspace: the working tree or a git revision.
type tree interface {
	list() ([]entry, error)
	// read calls fn with each entry's content, from several goroutines; an entry that
	// cannot be read (deleted since it was listed) is skipped.
	read(es []entry, fn func(i int, data []byte)) error
	// readOne reads one entry again (a query reading a candidate file).
	readOne(e entry) ([]byte, error)
}

// worktree is the files on disk: git's tracked and untracked-but-not-ignored files in a
// repository, else a walk that honours .gitignore files.
type worktree struct{ root string }

// gitTopLevel says whether root is a git repository's top level, whose files git
// lists; any other root's files are walked.
func gitTopLevel(root string) bool {
	_, err := os.Stat(filepath.Join(root, ".git"))
	return err == nil
}

func (t worktree) list() ([]entry, error) {
	if !gitTopLevel(t.root) {
		if err := tooWide(t.root); err != nil {
			return nil, err
		}
		return walk(t.root)
	}
	if out, err := git(t.root, "ls-files", "-z", "--cached", "--others", "--exclude-standard"); err == nil {
		var es []entry
		seen := map[string]bool{}
		add := func(out []byte) {
			for _, p := range strings.Split(string(out), "\x00") {
				if p != "" && !seen[p] {
					seen[p] = true
					es = append(es, entry{path: p})
				}
			}
		}
		add(out)
		// A submodule is listed as its directory alone: the code checked out in it
		// (a shared library of queries) is deployed with the project. --others cannot
		// recurse, so its tracked files are asked for apart.
		if _, err := os.Stat(filepath.Join(t.root, ".gitmodules")); err == nil {
			if out, err := git(t.root, "ls-files", "-z", "--cached", "--recurse-submodules"); err == nil {
				add(out)
			}
		}
		return es, nil
	}
	return walk(t.root)
}

func (t worktree) read(es []entry, fn func(int, []byte)) error {
	parallel(len(es), func(i int) {
		if data, err := t.readOne(es[i]); err == nil {
			fn(i, data)
		}
	})
	return nil
}

func (t worktree) readOne(e entry) ([]byte, error) {
	p := filepath.Join(t.root, filepath.FromSlash(e.path))
	if data, ok := regularfile.Read(p, maxFileSize); ok {
		return data, nil
	}
	// Not blocking: open(2) of a named pipe waits for a writer (see regularfile).
	f, err := os.OpenFile(p, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() || st.Size() > maxFileSize {
		return nil, errors.New("not a code file")
	}
	buf := make([]byte, st.Size())
	n, err := io.ReadFull(f, buf)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		return nil, err
	}
	return buf[:n], nil
}

// walk lists the files under root when it is not a git repository, honouring the
// .gitignore files it meets (and always skipping .git, node_modules and vendor).
func walk(root string) ([]entry, error) {
	var es []entry
	var lists []ignoreList
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == root {
				return err
			}
			return nil // unreadable below the root: skip it, as git would
		}
		rel := relSlash(root, p)
		if d.IsDir() {
			if rel == "." {
				rel = ""
			} else if d.Name() == ".git" || vendored[d.Name()] || ignored(lists, rel, true) {
				return filepath.SkipDir
			}
			if data, err := regularfile.ReadFile(filepath.Join(p, ".gitignore")); err == nil { // not blocking on a FIFO
				lists = append(lists, parseIgnore(rel, string(data)))
			}
			return nil
		}
		if d.Type().IsRegular() && !ignored(lists, rel, false) {
			es = append(es, entry{path: rel})
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", root, err)
	}
	return es, nil
}

// tooWide refuses to walk a root that is no repository and holds everything: the
// filesystem root (Neovim's root for a file directly under /, or `migsafe check
// /x.sql`) took in /proc, /sys and every other project, and the home directory every
// project, cache and virtualenv of its user. The finding says the code was not
// searched rather than judging by unrelated files after minutes of reading.
func tooWide(root string) error {
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil
	}
	if filepath.Dir(abs) == abs {
		return fmt.Errorf("%s is the filesystem root and not a git repository, so its files are not searched", abs)
	}
	if home, err := os.UserHomeDir(); err == nil && home != "" && sameDir(abs, home) {
		return fmt.Errorf("%s is the home directory and not a git repository, so its files are not searched", abs)
	}
	return nil
}

// sameDir compares two directories after resolving symbolic links (a home under
// /home -> /usr/home).
func sameDir(a, b string) bool {
	if filepath.Clean(a) == filepath.Clean(b) {
		return true
	}
	ra, errA := filepath.EvalSymlinks(a)
	rb, errB := filepath.EvalSymlinks(b)
	return errA == nil && errB == nil && ra == rb
}

// gitRevision is the files of a git revision, read with git ls-tree and cat-file.
type gitRevision struct{ root, rev string }

func (t gitRevision) list() ([]entry, error) {
	out, err := git(t.root, "ls-tree", "-r", "-z", t.rev)
	if err != nil {
		return nil, fmt.Errorf("--base %s: %w", t.rev, err)
	}
	var es []entry
	for _, rec := range strings.Split(string(out), "\x00") {
		// <mode> SP <type> SP <object> TAB <path>
		tab := strings.IndexByte(rec, '\t')
		if tab < 0 {
			continue
		}
		f := strings.Fields(rec[:tab])
		if len(f) == 3 && f[1] == "blob" {
			es = append(es, entry{path: rec[tab+1:], blob: f[2]})
		}
	}
	return es, nil
}

func (t gitRevision) read(es []entry, fn func(int, []byte)) error {
	// One cat-file process streams every blob; tokenizing runs beside it.
	type item struct {
		i    int
		data []byte
	}
	items := make(chan item, 64)
	var wg sync.WaitGroup
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for it := range items {
				fn(it.i, it.data)
			}
		}()
	}
	err := t.catFile(es, func(i int, data []byte) { items <- item{i, data} })
	close(items)
	wg.Wait()
	return err
}

func (t gitRevision) readOne(e entry) ([]byte, error) {
	var out []byte
	err := t.catFile([]entry{e}, func(_ int, data []byte) { out = data })
	if err == nil && out == nil {
		err = fmt.Errorf("%s:%s: not readable", t.rev, e.path)
	}
	return out, err
}

// catFile streams blobs through `git cat-file --batch`.
func (t gitRevision) catFile(es []entry, fn func(int, []byte)) error {
	cmd := exec.Command("git", "-C", t.root, "cat-file", "--batch")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("git cat-file: %w", err)
	}
	go func() {
		w := bufio.NewWriter(stdin)
		for _, e := range es {
			w.WriteString(e.blob + "\n")
		}
		w.Flush()
		stdin.Close()
	}()
	r := bufio.NewReaderSize(stdout, 1<<16)
	var readErr error
	for i := range es {
		header, err := r.ReadString('\n')
		if err != nil {
			readErr = fmt.Errorf("git cat-file: %v", err)
			break
		}
		f := strings.Fields(header)
		if len(f) != 3 {
			continue // "<oid> missing"
		}
		size, err := strconv.Atoi(f[2])
		if err != nil {
			readErr = fmt.Errorf("git cat-file: bad header %q", header)
			break
		}
		data := make([]byte, size+1) // the content and its trailing LF
		if _, err := io.ReadFull(r, data); err != nil {
			readErr = fmt.Errorf("git cat-file: %v", err)
			break
		}
		if size <= maxFileSize {
			fn(i, data[:size])
		}
	}
	io.Copy(io.Discard, r)
	if err := cmd.Wait(); err != nil && readErr == nil {
		readErr = fmt.Errorf("git cat-file: %v: %s", err, strings.TrimSpace(stderr.String()))
	}
	return readErr
}

// CheckRef verifies that rev names a commit of the repository holding root, so that
// `--base` with a typo fails at once with git's reason.
func CheckRef(root, rev string) error {
	if _, err := git(root, "rev-parse", "--verify", "--quiet", rev+"^{commit}"); err != nil {
		if _, lerr := git(root, "rev-parse", "--show-toplevel"); lerr != nil {
			return fmt.Errorf("--base %s: %s is not inside a git repository", rev, root)
		}
		// A shallow clone (CI's default checkout) lacks the base commit: say how to
		// fetch it rather than only that it is missing.
		if out, _ := git(root, "rev-parse", "--is-shallow-repository"); strings.TrimSpace(string(out)) == "true" {
			return fmt.Errorf("--base %s: not a commit of the repository at %s, a shallow clone: fetch the history (git fetch --unshallow; actions/checkout with fetch-depth: 0)", rev, root)
		}
		return fmt.Errorf("--base %s: not a commit of the repository at %s", rev, root)
	}
	return nil
}

// Root is the workspace root for a directory: the git top level when dir is inside a
// repository (the nearest directory holding .git, found without running git: check
// calls it for every migration directory), else dir itself.
func Root(dir string) string {
	if top, ok := gitdir.Top(dir); ok {
		return top
	}
	if abs, err := filepath.Abs(dir); err == nil {
		return abs
	}
	return dir
}

func git(dir string, args ...string) ([]byte, error) {
	cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		if msg := strings.TrimSpace(stderr.String()); msg != "" {
			return nil, errors.New(msg)
		}
		return nil, err
	}
	return out, nil
}

// filter decides which listed files the index reads.
type filter struct {
	paths   []string // slash prefixes or glob patterns, relative to the root
	exclude ignoreList
}

func newFilter(paths, exclude []string) filter {
	f := filter{exclude: parseIgnore("", strings.Join(exclude, "\n"))}
	for _, p := range paths {
		p = strings.Trim(filepath.ToSlash(filepath.Clean(p)), "/")
		if p == "." {
			p = ""
		}
		f.paths = append(f.paths, p)
	}
	return f
}

func (f filter) keep(p string) bool {
	if !codeExtensions[strings.ToLower(path.Ext(p))] || isMigrationPath(p) || isSchemaDump(p) {
		return false
	}
	for _, seg := range strings.Split(path.Dir(p), "/") {
		if vendored[seg] || seg == ".git" {
			return false
		}
	}
	if len(f.paths) > 0 {
		in := false
		for _, q := range f.paths {
			if q == "" || p == q || strings.HasPrefix(p, q+"/") {
				in = true
				break
			}
			if ok, _ := path.Match(q, p); ok {
				in = true
				break
			}
		}
		if !in {
			return false
		}
	}
	return !ignored([]ignoreList{f.exclude}, p, false) && !underIgnored([]ignoreList{f.exclude}, p)
}

// relSlash is p relative to root, slash-separated; p itself when it is not below root.
func relSlash(root, p string) string {
	if !filepath.IsAbs(p) {
		return filepath.ToSlash(filepath.Clean(p))
	}
	rel, err := filepath.Rel(root, p)
	if err != nil || strings.HasPrefix(rel, "..") {
		return filepath.ToSlash(p)
	}
	return filepath.ToSlash(rel)
}

// parallel runs fn(0..n-1) on GOMAXPROCS goroutines.
func parallel(n int, fn func(i int)) {
	workers := runtime.GOMAXPROCS(0)
	if workers > n {
		workers = n
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				fn(i)
			}
		}()
	}
	wg.Wait()
}

// Package coderefs finds where a workspace's code uses a table or a column: SQL files
// and SQL string literals (Go, Python, Ruby, JavaScript, TypeScript) that parse with
// pg_query, ORM models (Rails, Django, Prisma, TypeORM, Go struct tags) and, with lower
// confidence, plain identifier mentions. Rules that drop, rename or retype an object
// ask it whether the code deployed with the migration (HEAD) or the release still
// running during a rolling deploy (a base revision) still uses the object.
//
// The index is cheap to build and precise to query: building it reads every code file
// once and records which identifiers each one contains; a query parses only the files
// that contain the name asked about, and caches what it parsed.
package coderefs

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
)

// Kind is how a use was found, from most to least certain.
type Kind int

const (
	// Mention is an identifier spelled like the column in a file that also names the
	// table (or its model): it may be a use, or a coincidence.
	Mention Kind = iota
	// Model is an ORM mapping of the column: a model field, a struct tag, a decorator.
	// ORMs that list every mapped column in their SELECTs and INSERTs fail on a column
	// that is gone even where no code reads it.
	Model
	// SQL is a statement that names the object, in a .sql file or a string literal.
	SQL
)

func (k Kind) String() string { return [...]string{"mention", "model", "sql"}[k] }

// MarshalText writes the kind's name in JSON.
func (k Kind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// Certain reports a use that surely breaks when the object is gone (SQL or a model
// mapping), as opposed to a mention.
func (k Kind) Certain() bool { return k >= Model }

// Use is one place where code uses an object.
type Use struct {
	// Path is slash-separated and relative to the workspace root.
	Path string `json:"path"`
	// Line and Column are 1-based; columns count Unicode code points.
	Line   int    `json:"line"`
	Column int    `json:"column"`
	Kind   Kind   `json:"kind"`
	Detail string `json:"detail"` // "SQL", "Rails model User", "struct tag db:\"nickname\""
	// Predicate is set for a column used to filter, join, group or sort: the uses an
	// index on the column serves.
	Predicate bool `json:"predicate,omitempty"`
}

// String is "path:line".
func (u Use) String() string { return fmt.Sprintf("%s:%d", u.Path, u.Line) }

// Object is a table, or a column of a table, as a migration names it.
type Object struct {
	Table  string // may be schema-qualified; compared without schema, case-insensitively
	Column string // "" for the table itself
}

func (o Object) String() string {
	if o.Column == "" {
		return o.Table
	}
	return o.Table + "." + o.Column
}

// Revision is what one tree of code says about an object.
type Revision struct {
	// Ref is "" for the working tree (HEAD), else the base revision as given.
	Ref string
	// Dir is, for a working tree that is no git repository's, the directory whose
	// files were searched: there is no HEAD to name.
	Dir string
	// Files is the number of code files scanned.
	Files int
	Uses  []Use
}

// Certain is the revision's uses that surely break (SQL and model mappings).
func (r *Revision) Certain() []Use {
	var out []Use
	for _, u := range r.Uses {
		if u.Kind.Certain() {
			out = append(out, u)
		}
	}
	return out
}

// Mentions is the revision's lower-confidence uses.
func (r *Revision) Mentions() []Use {
	var out []Use
	for _, u := range r.Uses {
		if !u.Kind.Certain() {
			out = append(out, u)
		}
	}
	return out
}

// Report is where the code uses one object, at HEAD and at the base revision.
type Report struct {
	Object Object
	Head   Revision
	// Base is nil when no base revision was given.
	Base *Revision
	// Err is set when a tree could not be read (git failed); the revisions are empty.
	Err error
}

// Options configure a Workspace.
type Options struct {
	// Paths limits the scan to these paths (directories, files or glob patterns,
	// relative to the root); empty means the whole workspace.
	Paths []string
	// Exclude drops paths matching these gitignore-style patterns.
	Exclude []string
	// BaseRef is a git revision whose code is also checked: the release still running
	// during a rolling deploy. "" checks HEAD only.
	BaseRef string
}

// Workspace answers where the code under Root uses an object, at HEAD and optionally at
// a base revision. It builds its indexes on first use and is safe for concurrent use.
type Workspace struct {
	Root string
	opts Options

	head *Index
	base *Index
	// plain is true when Root is no git repository's top level: its files are walked.
	plain bool
	// cwd is the current directory, for KnownMigration's relative paths.
	cwdOnce sync.Once
	cwd     string
}

// Open prepares a workspace rooted at root (a directory; the git top level when the
// code is a git repository). Nothing is read until the first query.
func Open(root string, opts Options) *Workspace {
	w := &Workspace{Root: root, opts: opts, plain: !gitTopLevel(root)}
	f := newFilter(opts.Paths, opts.Exclude)
	w.head = newIndex(worktree{root: root}, f)
	if opts.BaseRef != "" {
		w.base = newIndex(gitRevision{root: root, rev: opts.BaseRef}, f)
		w.base.running = true
	}
	return w
}

// BaseRef is the base revision given to Open, or "".
func (w *Workspace) BaseRef() string { return w.opts.BaseRef }

// Changed tells the workspace that a file of the working tree changed, appeared or was
// deleted; the next query reads it again. path is absolute or relative to Root.
func (w *Workspace) Changed(path string) { w.head.changed(w.rel(path)) }

func (w *Workspace) rel(path string) string {
	return relSlash(w.Root, path)
}

// KnownMigration tells the workspace that the working tree's file at path (absolute
// or relative to the current directory) is a .sql file whose directives name its
// runner, as the caller found reading it (a check reads every migration it analyses
// and detects its runner from that text): building the index skips it, as it skips
// any migration text (isMigrationText), without reading it again. The file must not
// change before the index is built; an index built already is not changed.
func (w *Workspace) KnownMigration(path string) {
	if !strings.EqualFold(filepath.Ext(path), ".sql") {
		return
	}
	if !filepath.IsAbs(path) {
		w.cwdOnce.Do(func() { w.cwd, _ = os.Getwd() })
		if w.cwd == "" {
			return
		}
		path = filepath.Join(w.cwd, path)
	}
	w.head.knownMigration(w.rel(path))
}

// Uses reports where the code uses obj.
func (w *Workspace) Uses(obj Object) Report {
	rep := Report{Object: obj}
	q := newQuery(obj)
	var err error
	rep.Head, err = w.head.find(q)
	if err != nil {
		rep.Err = err
		return rep
	}
	rep.Head.Ref = ""
	if w.plain {
		rep.Head.Dir = w.Root
	}
	if w.base != nil {
		b, err := w.base.find(q)
		if err != nil {
			rep.Err = err
			return rep
		}
		b.Ref = w.opts.BaseRef
		rep.Base = &b
	}
	return rep
}

// Warm builds the indexes now (the language server does it in the background).
func (w *Workspace) Warm() error {
	if err := w.head.build(); err != nil {
		return err
	}
	if w.base != nil {
		return w.base.build()
	}
	return nil
}

// query is an Object in the forms the extractors compare against.
type query struct {
	obj    Object
	table  string // lower case, without schema
	column string // lower case
	// words are the identifiers of which a file must contain one to be a candidate.
	words []string
}

// word is the name mentions are looked for by.
func (q query) word() string {
	if q.column != "" {
		return q.column
	}
	return q.table
}

func newQuery(obj Object) query {
	t := strings.ToLower(obj.Table)
	if i := strings.LastIndexByte(t, '.'); i >= 0 {
		t = t[i+1:]
	}
	t = strings.Trim(t, `"`)
	q := query{obj: obj, table: t, column: strings.Trim(strings.ToLower(obj.Column), `"`)}
	if q.column != "" {
		q.words = []string{q.column}
		// A foreign key column is named after its association: belongs_to :account,
		// account = models.ForeignKey(...).
		if a, ok := strings.CutSuffix(q.column, "_id"); ok && a != "" {
			q.words = append(q.words, a)
		}
		return q
	}
	// A model names its table by the class name: User for users, Account for
	// profiles_account (Django's <app>_<model>).
	last := t[strings.LastIndexByte(t, '_')+1:]
	for _, w := range []string{t, singular(t), strings.ReplaceAll(singular(t), "_", ""), last, singular(last)} {
		if !slices.Contains(q.words, w) {
			q.words = append(q.words, w)
		}
	}
	return q
}

// sortUses orders uses by path and line, certain kinds first on the same line, and
// drops repeats of a position.
func sortUses(us []Use) []Use {
	sort.SliceStable(us, func(i, j int) bool {
		a, b := us[i], us[j]
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Column != b.Column {
			return a.Column < b.Column
		}
		return a.Kind > b.Kind
	})
	out := us[:0]
	for i, u := range us {
		if i > 0 && u.Path == us[i-1].Path && u.Line == us[i-1].Line && u.Column == us[i-1].Column {
			continue
		}
		out = append(out, u)
	}
	return out
}

// once is sync.Once with an error.
type once struct {
	mu   sync.Mutex
	done atomic.Bool
	err  error
}

func (o *once) do(f func() error) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if !o.done.Load() {
		o.err = f()
		o.done.Store(true)
	}
	return o.err
}

// finished reports a completed build without waiting for one in progress.
func (o *once) finished() bool { return o.done.Load() }

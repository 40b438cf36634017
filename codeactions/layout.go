package codeactions

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/migsafe/migsafe/engine/config"
	"github.com/migsafe/migsafe/engine/migration"
	"github.com/migsafe/migsafe/engine/project"
)

// FS is what a plan reads: the disk, or the disk under an editor's unsaved buffers or
// the files earlier plans will write.
type FS = project.FS

// ErrTaken is the error of a plan that needs a name that is taken: a file, or a change
// in sqitch.plan.
var ErrTaken = project.ErrTaken

// layout writes a fix's phases as the migrations that follow one migration. Their
// names and files are the migration set's business (project.Set.Next, the one place
// that knows each runner's layout); layout adds what the phases need around their
// statements (timeouts, the transaction psql and sqitch do not open) and keeps the
// contract phases in the set's waiting directory.
type layout struct {
	file *migration.File
	cfg  *config.Config
	fs   FS
	now  func() time.Time
	set  *project.Set
	// requires is the sqitch change the first new change requires ("" the file's own).
	requires string
}

// newLayout reads the migration set of f through fsys, so files that earlier plans
// will write count.
func newLayout(f *migration.File, cfg *config.Config, fsys FS, now func() time.Time) (*layout, error) {
	set, err := project.Discover(fsys, f.Path, f.Runner)
	if errors.Is(err, fs.ErrNotExist) {
		// A buffer whose directory is not on disk yet: a set of that file alone.
		set, err = &project.Set{Runner: f.Runner, Dir: filepath.Dir(f.Path)}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("%s: reading its migration set: %w", f.Path, err)
	}
	return &layout{file: f, cfg: cfg, fs: fsys, now: now, set: set}, nil
}

// phases lays out phases in order: new migrations after the file, contract phases in
// files no runner reads. It returns the new files and text appended to existing files.
func (l *layout) phases(phases []Phase) ([]NewFile, map[string]string, error) {
	var steps []project.Step
	var waits []Phase
	var names []string
	rest := strings.TrimSuffix(filepath.Base(l.file.Path), ".sql")
	for _, ph := range phases {
		if ph.Wait != "" {
			waits = append(waits, ph)
			names = append(names, ph.Name)
			continue
		}
		steps = append(steps, project.Step{Suffix: ph.Name, Up: l.body(ph.Up, ph), Down: l.body(ph.Down, Phase{NoTx: ph.NoTx, Brief: true}),
			NoTx: ph.NoTx, Verify: ph.Verify, Note: fmt.Sprintf("migsafe: %s phase of %s", ph.Name, rest)})
	}
	laid, err := l.set.Next(l.file.Path, steps, project.NextOptions{FS: l.fs, Now: l.now(), Requires: l.requires})
	if err != nil {
		return nil, nil, err
	}
	files := make([]NewFile, 0, len(laid.Files)+len(waits))
	for _, nf := range laid.Files {
		files = append(files, NewFile{Path: nf.Path, Text: nf.Text})
	}
	for i, path := range l.set.Waiting(l.file.Path, names) {
		files = append(files, l.pendingFile(path, waits[i]))
	}
	return files, laid.Appends, nil
}

// body is a phase's statements as the runner must see them: in a transaction, after
// SET LOCAL lock_timeout (and statement_timeout for brief phases), so a phase waiting
// for its lock fails fast instead of queueing every query behind it; runners that do
// not wrap migrations (psql, sqitch) get the BEGIN and COMMIT written out. A phase that
// runs outside a transaction is its one statement, as it is.
func (l *layout) body(sql string, ph Phase) string {
	if strings.TrimSpace(sql) == "" || ph.NoTx || project.CountStatements(sql) == 0 {
		return sql
	}
	sets := []string{fmt.Sprintf("SET LOCAL lock_timeout = %s;", Literal(l.cfg.LockTimeout))}
	if ph.Brief && l.cfg.StatementTimeout != "" {
		sets = append(sets, fmt.Sprintf("SET LOCAL statement_timeout = %s;", Literal(l.cfg.StatementTimeout)))
	}
	body := strings.Join(sets, "\n") + "\n" + sql
	switch l.file.Runner {
	case migration.Plain, migration.Sqitch:
		return "BEGIN;\n" + body + "COMMIT;\n"
	}
	return body
}

// Lines joins statements into a migration body.
func Lines(stmts ...string) string {
	return strings.Join(stmts, "\n") + "\n"
}

// sortedKeys of a map, for a stable order of files.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

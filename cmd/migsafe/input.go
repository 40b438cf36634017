package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/migsafe/migsafe/engine"
	"github.com/migsafe/migsafe/engine/config"
	"github.com/migsafe/migsafe/engine/migration"
	"github.com/migsafe/migsafe/engine/rules"
	"github.com/migsafe/migsafe/internal/regularfile"
)

// input is one migration to analyse: a file on disk, or standard input under a name.
type input struct {
	path  string // as shown and as given to the engine
	stdin bool
	// size is the file's size when sized: given by name, it was stat'ed already
	// (tuneGC stats the files found in a walk).
	size  int64
	sized bool
}

// skipDirs are directories never walked: dependencies and tool state, not migrations.
var skipDirs = map[string]bool{"node_modules": true, "vendor": true}

// collectInputs expands the command-line paths: files as given, directories walked for
// *.sql files and ORM migrations (hidden directories, node_modules, vendor and
// down-only scripts skipped), "-" for stdin. ormMigration says whether a Ruby, Python,
// JavaScript or TypeScript file found in a walk is an ORM migration, selected whether
// a *.sql one is among the migrations its config selects (migration_globs).
// With no path and a stdin filename, stdin is read.
func collectInputs(paths []string, stdinName string, ormMigration, selected func(string) bool) ([]input, error) {
	if len(paths) == 0 {
		if stdinName == "" {
			return nil, errors.New("no paths given (pass files or directories, or - with --stdin-filename)")
		}
		paths = []string{"-"}
	}
	if stdinName != "" && !slices.Contains(paths, "-") {
		// Paths and a stdin name without "-": standard input was silently not read,
		// and the run said nothing of the text piped to it.
		return nil, fmt.Errorf("--stdin-filename %s: give - among the paths to read standard input as it, or no path at all", stdinName)
	}
	stats := statAll(paths)
	var out []input
	sawStdin := false
	for k, p := range paths {
		if p == "-" {
			if sawStdin {
				return nil, errors.New("- given twice: standard input can be read once")
			}
			sawStdin = true
			name := stdinName
			if name == "" {
				name = "<stdin>"
			}
			out = append(out, input{path: name, stdin: true})
			continue
		}
		st, err := stats[k].info, stats[k].err
		if err != nil {
			return nil, pathError(p, err)
		}
		if !st.IsDir() {
			out = append(out, input{path: p, size: st.Size(), sized: true})
			continue
		}
		// A directory named through a symbolic link is walked (WalkDir does not follow
		// a link at its root: `check db/migrations`, a link to the shared migrations,
		// found "no migration files"); links to directories below it are not followed.
		root := p
		if lst, err := os.Lstat(p); err == nil && lst.Mode()&fs.ModeSymlink != 0 && !os.IsPathSeparator(p[len(p)-1]) {
			root = p + string(filepath.Separator)
		}
		var found []string
		err = filepath.WalkDir(root, func(q string, d fs.DirEntry, err error) error {
			if err != nil {
				return pathError(q, err)
			}
			if d.IsDir() {
				name := d.Name()
				if q != root && (strings.HasPrefix(name, ".") || skipDirs[name]) {
					return filepath.SkipDir
				}
				return nil
			}
			if mode := fileType(q, d); !mode.IsRegular() {
				// A walk reads regular files only: a named pipe among the migrations
				// hung the check (reading one blocks until a writer comes), so a
				// *.sql one is an error; a link to a directory is not followed.
				if isMigrationFile(q) && !mode.IsDir() {
					return pathError(q, &fs.PathError{Op: "read", Path: q, Err: regularfile.NotRegularError{Mode: mode}})
				}
				return nil
			}
			if isMigrationFile(q) && (selected == nil || selected(q)) || ormMigration != nil && ormMigration(q) {
				found = append(found, q)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		sort.Strings(found)
		for _, q := range found {
			out = append(out, input{path: q})
		}
	}
	out = dedupe(withUps(out))
	if len(out) == 0 {
		// A run that checked nothing must not report SAFE TO SHIP.
		return nil, fmt.Errorf("no migration files in %s (%s)", strings.Join(paths, ", "), migrationFilesAre)
	}
	return out, nil
}

// fileType is the type of what a walk met, through a symbolic link. A dangling link
// is left for the read to report (as a regular file would be).
func fileType(path string, d fs.DirEntry) fs.FileMode {
	if d.Type()&fs.ModeSymlink == 0 {
		return d.Type()
	}
	st, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return st.Mode()
}

// withUps puts in place of a down-only file named without its up migration that up
// migration, which is checked with its down (a down is never a migration of its own):
// a commit or pull request that changed only 1_x.down.sql, its files given as they
// changed (pre-commit, the action), reviewed it alone and found it SAFE TO SHIP,
// though the down no longer undid the up (irreversible-down-migration, reported on
// the up). A down named with its up is left as it was.
func withUps(ins []input) []input {
	given := make(map[string]bool, len(ins))
	for _, in := range ins {
		given[filepath.Clean(in.path)] = true
	}
	for i, in := range ins {
		if in.stdin || !migration.DownOnly(in.path) {
			continue
		}
		up := migration.UpSibling(in.path, migration.Plain)
		if up == "" || given[filepath.Clean(up)] {
			continue
		}
		if st, err := os.Stat(up); err == nil && st.Mode().IsRegular() {
			ins[i] = input{path: up, size: st.Size(), sized: true}
		}
	}
	return ins
}

// dedupe keeps the first of the inputs that name one file: `check db db/0002_x.sql`
// (a directory and a file in it, or ./x.sql and x.sql) checked the file twice, so its
// findings came twice in every report and "2 files checked" counted one.
func dedupe(ins []input) []input {
	seen := make(map[string]bool, len(ins))
	out := ins[:0]
	for _, in := range ins {
		if !in.stdin {
			key := filepath.Clean(in.path)
			if seen[key] {
				continue
			}
			seen[key] = true
		}
		out = append(out, in)
	}
	return out
}

type statResult struct {
	info fs.FileInfo
	err  error
}

// statAll stats the paths ("-" aside) on every core: a run over a thousand files
// named on the command line spent its first milliseconds stating them one by one
// while the other core had nothing to do.
func statAll(paths []string) []statResult {
	out := make([]statResult, len(paths))
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := min(runtime.GOMAXPROCS(0), len(paths)/64+1); w > 0; w-- {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1) - 1); i < len(paths); i = int(next.Add(1) - 1) {
				if paths[i] != "-" {
					out[i].info, out[i].err = os.Stat(paths[i])
				}
			}
		}()
	}
	wg.Wait()
	return out
}

// migrationFilesAre says, for the no-files error, what a directory walk takes.
const migrationFilesAre = "looked for *.sql files other than down-only scripts, which are read with their up migration, and those its migration_globs leave out, and for Rails, Django, Alembic, Knex, TypeORM and Sequelize migrations in migration directories, outside hidden directories, node_modules and vendor, and not through symbolic links to directories below the paths given"

// isMigrationFile decides whether a directory walk takes a SQL file as a migration
// (configs.ormMigration decides for ORM files). Down scripts are read with their up
// migration (named explicitly, they are still checked on their own).
func isMigrationFile(path string) bool {
	return strings.HasSuffix(path, ".sql") && !migration.DownOnly(path)
}

// pathError formats an I/O error as "path: op: reason", the file first.
func pathError(path string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s: %s: %v", path, pe.Op, pe.Err)
	}
	return fmt.Errorf("%s: %v", path, err)
}

// configs finds the configuration of each file: the --config file for all, or the
// migsafe.toml found by walking up from the file, loaded once per directory.
type configs struct {
	fixed *config.Config
	// code, when set, gives the analyses the workspace's code references.
	code  *workspaces
	mu    sync.Mutex
	byDir map[string]configResult
}

type configResult struct {
	cfg *config.Config
	err error
}

func newConfigs(path string) (*configs, error) {
	c := &configs{byDir: map[string]configResult{}}
	if path != "" {
		cfg, err := config.Load(path, rules.Known)
		if err != nil {
			return nil, err
		}
		c.fixed = cfg
	}
	return c, nil
}

func (c *configs) forFile(path string) (*config.Config, error) {
	if c.fixed != nil {
		return c.fixed, nil
	}
	dir := filepath.Dir(path)
	c.mu.Lock()
	defer c.mu.Unlock()
	if r, ok := c.byDir[dir]; ok {
		return r.cfg, r.err
	}
	var r configResult
	if p := config.Find(dir); p != "" {
		r.cfg, r.err = config.Load(relativeToCwd(p), rules.Known)
	} else {
		r.cfg = config.Default()
	}
	c.byDir[dir] = r
	return r.cfg, r.err
}

// analyzed is one input's outcome: a result, or the error that kept it from analysis.
type analyzed struct {
	res *engine.Result
	err error
}

// analyzeAll reads and analyses the inputs, keeping their order, with every finding's
// fixes built.
func analyzeAll(ins []input, cfgs *configs, stdin io.Reader, base string) []analyzed {
	out := make([]analyzed, 0, len(ins))
	analyzeEach(ins, cfgs, stdin, base, buildFixes, false, func(a analyzed) { out = append(out, a) })
	return out
}

// buildFixes builds each finding's fixes (lazy otherwise) on the worker that analysed
// the file, so the reports, which list them, do not build them one file at a time.
func buildFixes(res *engine.Result) {
	for _, fd := range res.Findings {
		fd.Fixes()
	}
}

// buildFixTitles is buildFixes for the reports that show only the fixes' titles and
// kinds: the edits and phases, most of a fix's cost, are not built.
func buildFixTitles(res *engine.Result) {
	for _, fd := range res.Findings {
		fd.FixTitles()
	}
}

// analyzeEach analyses the inputs, each against the catalog of its migration set's
// earlier migrations (replayed once per set) with the set's pending migrations known
// (base is --base), gives each result its fixes with attach, and hands each outcome to
// use in the inputs' order as soon as it and those before it are done. Files are read
// when their turn comes, so memory stays bounded by the files in flight. With
// titlesOnly, neither attach nor use reads a statement's tree or more of a fix than
// its title: the analysis drops each tree once its last reader has run
// (engine.Options.ReleaseTrees).
func analyzeEach(ins []input, cfgs *configs, stdin io.Reader, base string, attach func(*engine.Result), titlesOnly bool, use func(analyzed)) {
	errs := make([]error, len(ins))
	var jobs []engine.Job
	var at []int // input index of each job
	for i, in := range ins {
		j := engine.Job{Path: in.path, Alone: in.stdin && in.path == "<stdin>", OnDisk: !in.stdin}
		if in.stdin {
			data, err := io.ReadAll(stdin)
			if err != nil {
				errs[i] = fmt.Errorf("%s: read: %v", in.path, err)
				continue
			}
			j.Text = string(data)
		}
		cfg, err := cfgs.forFile(in.path)
		if err != nil {
			errs[i] = err
			continue
		}
		j.Config = cfg
		if !j.Alone {
			j.Code = cfgs.code.forFile(in.path, cfg)
		}
		jobs = append(jobs, j)
		at = append(at, i)
	}
	next := 0 // the next input to hand to use
	flush := func(upTo int) {
		for ; next < upTo; next++ {
			if errs[next] != nil {
				use(analyzed{err: errs[next]})
			}
		}
	}
	engine.AnalyzeBatch(jobs, engine.BatchOptions{Base: base, Each: attach, ReleaseTrees: titlesOnly, Use: func(k int, o engine.Outcome) {
		flush(at[k])
		use(analyzed{res: o.Result, err: o.Err})
		next++
	}})
	flush(len(ins))
}

// relativeToCwd shortens a path below the working directory, so messages name the
// config file as the user would type it.
func relativeToCwd(p string) string {
	wd, err := os.Getwd()
	if err != nil {
		return p
	}
	rel, err := filepath.Rel(wd, p)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return p
	}
	return rel
}

// prepare collects a command's inputs and its configuration lookup, printing the
// error (and returning ok false) when either fails.
func prepare(command string, paths []string, stdinName, configPath string, stderr io.Writer) (ins []input, cfgs *configs, ok bool) {
	cfgs, err := newConfigs(configPath)
	if ce := (*config.Error)(nil); errors.As(err, &ce) && ce.Line == 0 && ce.Key == "" {
		// The file could not be read (or is wrong as a whole): name the command and
		// the flag, as other input errors do. An error at a key keeps its
		// file:line:col: form, which editors and CI logs link to.
		fmt.Fprintf(stderr, "migsafe %s: --config %v\n", command, err)
		return nil, nil, false
	}
	if err != nil {
		fmt.Fprintln(stderr, err)
		return nil, nil, false
	}
	if ins, err = collectInputs(paths, stdinName, cfgs.ormMigration, cfgs.selected); err != nil {
		fmt.Fprintf(stderr, "migsafe %s: %v\n", command, err)
		return nil, nil, false
	}
	return ins, cfgs, true
}

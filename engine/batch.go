package engine

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	pg "github.com/pganalyze/pg_query_go/v5"

	"github.com/migsafe/migsafe/engine/coderefs"
	"github.com/migsafe/migsafe/engine/config"
	"github.com/migsafe/migsafe/engine/migration"
	"github.com/migsafe/migsafe/engine/project"
	"github.com/migsafe/migsafe/internal/regularfile"
)

// Job is one file for AnalyzeBatch.
type Job struct {
	Path   string
	Text   string
	Config *config.Config
	// Alone judges the file without its migration set (standard input with no name).
	Alone bool
	// Code is the workspace's code references for the file (Options.Code).
	Code *coderefs.Workspace
	// OnDisk jobs have no Text: it is read from Path when the file's turn comes, so
	// a long run holds only the files in flight.
	OnDisk bool
}

// BatchOptions adjust AnalyzeBatch.
type BatchOptions struct {
	// FS reads migration sets and sibling files; nil reads the disk. The jobs' own
	// texts are laid over it.
	FS project.FS
	// Base is `check --base REF`: migrations absent from REF's tree are pending.
	Base string
	// Workers bounds the parallelism; 0 means GOMAXPROCS.
	Workers int
	// Each runs on every result as soon as it is ready, on the worker that made it
	// (the command line attaches fixes there, in parallel).
	Each func(*Result)
	// Use, when set, receives each outcome in job order as soon as it and those
	// before it are done, and AnalyzeBatch keeps none of them (it returns nil).
	Use func(job int, o Outcome)
	// ReleaseTrees is Options.ReleaseTrees for every job but those whose parse
	// another job's analysis reads too (a down file given beside its up).
	ReleaseTrees bool
}

// Outcome is one job's result, or the error that kept it from analysis.
type Outcome struct {
	Result *Result
	Err    error
}

// AnalyzeBatch analyses files in their places: each file against the catalog its
// migration set's earlier migrations leave, with the set's pending migrations known.
// Each set is replayed once, in order, whatever the number of its files among the
// jobs, and the sets side by side; files are parsed in parallel ahead of their
// replay, a job's one parse serves its replay and its analysis, and a job is analysed
// as soon as the catalog before it is known. Outcomes are in job order.
func AnalyzeBatch(jobs []Job, opts BatchOptions) []Outcome {
	b := &batch{jobs: jobs, opts: opts, workers: opts.Workers, texts: make([]string, len(jobs)),
		out: make([]Outcome, len(jobs)), files: make([]*migration.File, len(jobs)), histories: make([]*project.History, len(jobs)), rest: make([]func(), len(jobs))}
	if b.workers <= 0 {
		b.workers = runtime.GOMAXPROCS(0)
	}
	base := opts.FS
	if base == nil {
		base = project.Listed(project.OS)
	}
	texts := map[string]string{}
	for i, j := range jobs {
		b.texts[i] = j.Text
		if !j.Alone && !j.OnDisk {
			texts[j.Path] = j.Text
		}
	}
	b.fs = project.NewOverlay(base, texts)
	b.parsing = make(chan struct{}, b.workers)
	b.queue = make(chan int, len(jobs))
	b.ahead = make(chan struct{}, 2*b.workers)
	b.admitted = make([]bool, len(jobs))
	b.deletions = make([]bool, len(jobs))
	b.shared = make([]bool, len(jobs))
	b.done = make([]chan struct{}, len(jobs))
	for i := range b.done {
		b.done[i] = make(chan struct{})
	}

	// Which migrations are pending asks git, a process per set: each set's answer is
	// looked for as soon as the set is listed, one set after another, while the jobs
	// are still being placed and the sets before it replayed.
	listed := make(chan *setJobs, len(b.jobs))
	go func() {
		for g := range listed {
			p, err := project.PendingOf(g.set, project.PendingOptions{DeployedThrough: g.cfg.DeployedThrough, Base: b.opts.Base})
			g.pending <- pendingOf{p, err}
		}
	}()
	// A set is replayed as soon as no job still to be placed can join it (see
	// group), while the files after it are still being read: its replay waited for
	// every file of the batch to be read.
	placed := make(chan *setJobs, len(b.jobs))
	go func() {
		// One set after another, in the order of their first file: outcomes come
		// in about the order they are handed on, so few wait.
		for g := range placed {
			<-g.complete
			b.replay(g, <-g.pending)
		}
		close(b.queue)
	}()
	for w := 0; w < b.workers; w++ {
		go func() {
			for i := range b.queue {
				b.analyse(i)
				if b.admitted[i] {
					<-b.ahead
				}
				close(b.done[i])
			}
		}()
	}
	go func() {
		b.group(listed, placed)
		close(listed)
		close(placed)
	}()
	for i := range jobs {
		<-b.done[i]
		if opts.Use != nil {
			opts.Use(i, b.out[i])
			b.out[i] = Outcome{}
		}
	}
	if opts.Use != nil {
		return nil
	}
	return b.out
}

// keepRead is the size up to which a file read to place it in its set is kept for its
// parse rather than read again: migrations are mostly small, data migrations can be
// megabytes.
const keepRead = 256 << 10

// batch is the state of one AnalyzeBatch.
type batch struct {
	jobs      []Job
	opts      BatchOptions
	workers   int
	fs        *project.Overlay
	out       []Outcome
	files     []*migration.File // a job's parse, once its replay made it
	histories []*project.History
	// rest completes the results the set's replay analysed up to their catalog after
	// the file (analyzeStatements), on the workers.
	rest []func()
	// parsing bounds the parses running at once over all the sets' replays.
	parsing chan struct{}
	// queue takes the jobs ready for analysis; done[i] is closed once job i is.
	queue chan int
	done  []chan struct{}
	// ahead bounds the replayed jobs waiting for (or in) analysis, each holding its
	// parse and the catalogs after its statements: without it a fast replay runs
	// through a whole set while the analyses lag, and every parse stays alive at once.
	// admitted[i] says job i took a place in it (the replay queued it).
	ahead    chan struct{}
	admitted []bool
	// texts are the jobs' texts, read when their turn comes for OnDisk jobs.
	texts []string
	// listings[i] is job i's set as the workers listed it ahead of group (nil when
	// they did not).
	listings []*listing
	// listedMu guards listing, the listing running for each directory (the earliest
	// job's), and listedPaths, the listing of the earliest job whose set holds each
	// path, both under a runner.
	listedMu    sync.Mutex
	listing     map[runnerPath]*listing
	listedPaths map[runnerPath]*listing
	// shared[i] says job i's parse is also another job's down file (parseDown).
	shared []bool
	// deletions[i] says job i reports the deployed migrations its set's pending
	// deleted (project.Pending.DeletedSince): the set's first job, so each is
	// reported once.
	deletions []bool
	// warmed are the code workspaces whose index warmCode started.
	warmMu sync.Mutex
	warmed map[*coderefs.Workspace]bool
}

// setJobs are the jobs of one migration set.
type setJobs struct {
	set  *project.Set
	cfg  *config.Config
	jobs []int // job indexes
	// pending receives the set's pending migrations once they are known.
	pending chan pendingOf
	// complete is closed once jobs is: after group has placed lastJob, the last job
	// that could join the set.
	complete chan struct{}
	lastJob  int
}

// group places the jobs in their migration sets, by the runner their names and
// directives say (Parse decides in the end; see replay), and queues the jobs judged
// without a set. Each set is sent to listed and to placed as soon as it is found, and
// its complete is closed once no job after can join it.
func (b *batch) group(listed, placed chan<- *setJobs) {
	runnerAt := b.runners()
	joining := newJoiners(b.jobs)
	var open []*setJobs
	groups := &placedSets{byPath: map[runnerPath]*setJobs{}, byDir: map[runnerPath]*setJobs{}}
	for i := range b.jobs {
		g := b.place(i, runnerAt(i), groups)
		if g == nil {
			b.queue <- i
		} else {
			if g.complete == nil {
				g.complete = make(chan struct{})
				g.lastJob = joining.last(i, g.set)
				groups.add(g)
				open = append(open, g)
				listed <- g
				placed <- g
			}
			g.jobs = append(g.jobs, i)
		}
		open = slices.DeleteFunc(open, func(o *setJobs) bool {
			if o.lastJob <= i {
				close(o.complete)
				return true
			}
			return false
		})
	}
	for _, o := range open {
		close(o.complete)
	}
}

// place finds job i's set among groups or lists it (a new setJobs, its complete nil);
// nil for a job judged alone.
func (b *batch) place(i int, runner migration.Runner, groups *placedSets) *setJobs {
	j := b.jobs[i]
	if j.Alone || b.out[i].Err != nil {
		return nil
	}
	// Files of a set discovered already belong to it: one listing per set.
	if o := groups.byPath[runnerPath{runner, filepath.Clean(j.Path)}]; o != nil {
		return o
	}
	set, err := b.discover(i, runner)
	if err != nil {
		b.out[i].Err = fmt.Errorf("%s: listing its migration set: %v", j.Path, err)
		return nil
	}
	if o := groups.byDir[runnerPath{set.Runner, set.Dir}]; o != nil {
		return o // the same set, listed again for a file it lacked
	}
	return &setJobs{set: set, cfg: j.Config, pending: make(chan pendingOf, 1)}
}

// placedSets are the sets group found, by the paths they list (the first set listing
// each, under its runner) and by their directories (the last set of each): looking
// through every set for each job was quadratic in a batch of many one-file sets.
type placedSets struct {
	byPath, byDir map[runnerPath]*setJobs
}

func (ps *placedSets) add(g *setJobs) {
	for p := range g.set.Paths() {
		if k := (runnerPath{g.set.Runner, p}); ps.byPath[k] == nil {
			ps.byPath[k] = g
		}
	}
	ps.byDir[runnerPath{g.set.Runner, g.set.Dir}] = g
}

// joiners finds the last job that place could put in a set, whatever its runner: one
// the set lists, or one in the set's directory or below (listed again, place finds
// the set by its directory, which Discover takes from the file's directory or one
// above it). It indexes the jobs once: looking through the jobs after each new set
// was quadratic in a batch of many one-file sets.
type joiners struct {
	path  map[string]int // cleaned path -> the last job of it
	under map[string]int // directory -> the last job in it or below, as filepath.Dir climbs
}

func newJoiners(jobs []Job) *joiners {
	x := &joiners{path: map[string]int{}, under: map[string]int{}}
	for k, j := range jobs {
		if j.Alone {
			continue
		}
		p := filepath.Clean(j.Path)
		x.path[p] = k
		for d := filepath.Dir(p); ; {
			x.under[d] = k
			up := filepath.Dir(d)
			if up == d {
				break
			}
			d = up
		}
	}
	return x
}

// last is the last job after first that could join set (first when none can).
func (x *joiners) last(first int, set *project.Set) int {
	last := first
	if k, ok := x.under[set.Dir]; ok && k > last {
		last = k
	}
	for p := range set.Paths() {
		if k, ok := x.path[p]; ok && k > last {
			last = k
		}
	}
	return last
}

// runners reads the jobs' runners, from their texts where the configuration does not
// set one (a read error is the job's outcome), on all the workers, in job order; the
// function it returns waits for job i's. No set is replayed before its jobs are
// placed: one goroutine reading a thousand files kept the other cores idle, and the
// sets are listed while the files after are still being read.
//
// The workers also list the sets, ahead of group (see discover): group runs on a
// goroutine the two reading workers leave no processor to, and listed the corpus's
// sets alone once they were done, 3 ms with the other core idle.
func (b *batch) runners() func(i int) migration.Runner {
	runners := make([]migration.Runner, len(b.jobs))
	ready := make([]chan struct{}, len(b.jobs))
	for i := range ready {
		ready[i] = make(chan struct{})
	}
	b.listings = make([]*listing, len(b.jobs))
	var next atomic.Int64
	for w := 0; w < b.workers; w++ {
		go func() {
			for i := int(next.Add(1) - 1); i < len(b.jobs); i = int(next.Add(1) - 1) {
				runners[i] = b.detectRunner(i)
				if !b.jobs[i].Alone && b.out[i].Err == nil {
					b.listAhead(i, runners[i])
				}
				close(ready[i])
			}
		}()
	}
	return func(i int) migration.Runner {
		<-ready[i]
		return runners[i]
	}
}

// listing is project.Discover's answer for one job's path and runner; done is closed
// once it is known.
type listing struct {
	job  int
	set  *project.Set
	err  error
	done chan struct{}
}

// listAhead lists job i's set, as group would, unless a set listed ahead for an
// earlier job holds it: group then finds it in that set's group (or, rarely, lists it
// itself: discover). The fs does not change during a batch, so the listing is the one
// group would make. A worker that meets the set of its directory being listed for an
// earlier job waits for that listing: at the first files of a set, both workers
// listed it.
func (b *batch) listAhead(i int, runner migration.Runner) {
	path := filepath.Clean(b.jobs[i].Path)
	at := runnerPath{runner, filepath.Dir(path)}
	b.listedMu.Lock()
	for {
		if l := b.listedPaths[runnerPath{runner, path}]; l != nil && l.job < i {
			b.listedMu.Unlock()
			return
		}
		w := b.listing[at]
		if w == nil || w.job > i {
			break
		}
		b.listedMu.Unlock()
		<-w.done
		b.listedMu.Lock()
	}
	mine := &listing{job: i, done: make(chan struct{})}
	if b.listing == nil {
		b.listing, b.listedPaths = map[runnerPath]*listing{}, map[runnerPath]*listing{}
	}
	if w := b.listing[at]; w == nil || w.job > i {
		b.listing[at] = mine
	}
	b.listedMu.Unlock()
	mine.set, mine.err = project.Discover(b.fs, path, runner)
	b.listedMu.Lock()
	if b.listing[at] == mine {
		delete(b.listing, at)
	}
	if mine.err == nil {
		// The paths mine.set.Index knows, each kept by the earliest job's listing.
		for _, m := range mine.set.Migrations {
			for _, p := range [2]string{m.Up, m.Down} {
				if l := b.listedPaths[runnerPath{runner, p}]; p != "" && (l == nil || l.job > i) {
					b.listedPaths[runnerPath{runner, p}] = mine
				}
			}
		}
	}
	b.listedMu.Unlock()
	close(mine.done)
	b.listings[i] = mine
}

// runnerPath is a path (or directory) under a runner.
type runnerPath struct {
	runner migration.Runner
	path   string
}

// discover is project.Discover for job i under runner, listed ahead by the workers
// when they did.
func (b *batch) discover(i int, runner migration.Runner) (*project.Set, error) {
	if l := b.listings[i]; l != nil {
		b.listings[i] = nil
		return l.set, l.err
	}
	return project.Discover(b.fs, b.jobs[i].Path, runner)
}

// detectRunner is a job's runner ("" for a job judged alone, or one that cannot be
// read).
func (b *batch) detectRunner(i int) migration.Runner {
	j := b.jobs[i]
	if j.Alone {
		return ""
	}
	if r := j.Config.Runner; r != "" && !isORMPath(j.Path, j.Config) {
		return r
	}
	text, err := b.text(i)
	if err != nil {
		b.out[i].Err = err
		return ""
	}
	if j.OnDisk && len(text) > keepRead {
		b.texts[i] = "" // read again when parsed: large files stay in memory only in flight
	}
	r := runnerOf(j.Path, text, j.Config)
	if j.Code != nil && j.Config.Runner == "" && !isORMPath(j.Path, j.Config) && r != migration.Plain && migration.DetectText(j.Path, "") == migration.Plain {
		// The text's directives named the runner (its name did not), which is how the
		// code index tells migration text from code: it need not read the file again
		// to skip it.
		j.Code.KnownMigration(j.Path)
	}
	return r
}

// pendingOf is a set's pending migrations, or why they are unknown.
type pendingOf struct {
	pending *project.Pending
	err     error
}

// replay replays a set through its last job, recording each job's history and
// queueing the job for analysis once the catalog before it is known.
func (b *batch) replay(g *setJobs, p pendingOf) {
	pending := p.pending
	if p.err != nil {
		for _, i := range g.jobs {
			b.out[i].Err = fmt.Errorf("%s: %v", b.jobs[i].Path, p.err)
			b.queue <- i
		}
		return
	}
	byIndex := map[int][]int{}
	last := -1
	carrier := false
	for _, i := range g.jobs {
		at := g.set.Index(b.jobs[i].Path)
		if at < 0 {
			b.queue <- i // not in the set after all (an unplanned sqitch change): judged alone
			continue
		}
		if !carrier {
			b.deletions[i], carrier = true, true
		}
		byIndex[at] = append(byIndex[at], i)
		last = max(last, at)
	}
	project.Replay(g.set, last, b.workers, func(at int) *migration.File {
		b.parsing <- struct{}{}
		defer func() { <-b.parsing }()
		m := g.set.Migrations[at]
		var parsed func(string) *migration.File // the down file, when it is a job
		if down := b.parseDown(byIndex[at], m); down != nil {
			parsed = func(path string) *migration.File {
				if path == down.Path {
					return down
				}
				return nil
			}
		}
		for _, i := range byIndex[at] {
			if j := b.jobs[i]; j.Path == m.Up {
				// The job's own parse: the analysis reuses it.
				text, err := b.text(i)
				if err != nil {
					b.out[i].Err = err
					return nil
				}
				b.files[i] = b.parse(j.Path, text, j.Config, parsed)
				b.warmCode(j.Code, b.files[i])
				return b.files[i]
			}
		}
		data, err := b.fs.ReadFile(m.Up)
		if err != nil {
			return nil // listed but unreadable: its effects are unknown
		}
		return b.parse(m.Up, string(data), g.cfg, parsed)
	}, func(at int, h *project.History) *project.Catalog {
		h.Pending = pending
		up := g.set.Migrations[at].Up
		var after *project.Catalog
		for _, i := range byIndex[at] {
			f := b.files[i]
			if f == nil || b.jobs[i].Path != up || f.Runner == g.set.Runner {
				// A job parsed under another runner than its set's (a directive the
				// name did not show) is judged alone.
				b.histories[i] = h
			}
			if at < last && f != nil && b.jobs[i].Path == up && b.histories[i] != nil && replaysAsApplied(f) {
				// The up file of a migration the set goes on after is analysed here,
				// in order: its analysis replays the very parse the set would apply,
				// and the catalog it ends with is the next migration's before, so the
				// set does not replay it again. This costs parallelism (a set's ups
				// are analysed one after another, while the workers parse ahead and
				// build the fix titles, Each, which is left to them) for less CPU:
				// 3-5% over the corpus, which is 4% less wall time on a loaded
				// machine and about as much on two idle cores.
				if b.out[i].Err == nil {
					if res, rest := b.analysis(i); res != nil {
						b.out[i].Result, b.rest[i], after = res, rest, res.After
					}
				}
			}
			b.ahead <- struct{}{}
			b.admitted[i] = true
			b.queue <- i
		}
		return after
	})
}

// warmCode starts building the index of ws's code once a file parsed ahead of its
// replay drops, renames or retypes something, the statements whose rules search the
// code: the first search built it on the set's replay, which analyses the set's ups
// one after another, while the other core was left the rest (1.5% of a corpus check).
// Built early or on the first search, the index is the same: the files do not change
// during a batch.
func (b *batch) warmCode(ws *coderefs.Workspace, f *migration.File) {
	if ws == nil || f == nil || !searchesCode(f) {
		return
	}
	b.warmMu.Lock()
	defer b.warmMu.Unlock()
	if b.warmed == nil {
		b.warmed = map[*coderefs.Workspace]bool{}
	}
	if !b.warmed[ws] {
		b.warmed[ws] = true
		go ws.Warm() // its error is the searches' too, which report it
	}
}

// searchesCode reports an up statement of f (or of a DO body in it) that a rule
// searching the code checks: DROP, a rename, ALTER TABLE ... DROP COLUMN or ALTER
// COLUMN ... TYPE (removing-used-object, dropping-index, renaming-*,
// narrowing-type-change).
func searchesCode(f *migration.File) bool {
	is := func(st *migration.Statement) bool {
		n := st.Node
		if n == nil || st.Section != migration.Up {
			return false
		}
		if n.GetDropStmt() != nil || n.GetRenameStmt() != nil {
			return true
		}
		if at := n.GetAlterTableStmt(); at != nil {
			for _, c := range at.Cmds {
				if t := c.GetAlterTableCmd().GetSubtype(); t == pg.AlterTableType_AT_DropColumn || t == pg.AlterTableType_AT_AlterColumnType {
					return true
				}
			}
		}
		return false
	}
	for _, st := range f.Statements {
		if is(st) {
			return true
		}
		if st.Body != nil {
			for _, in := range st.Body.Statements {
				if is(in) {
					return true
				}
			}
		}
	}
	return false
}

// replaysAsApplied reports whether an analysis of f leaves the catalog
// project.Catalog.ApplyFile would: the analysis applies the up statements that parsed
// and the statements it read of their DO bodies; ApplyFile the up statements with a
// tree (project.InOrder), and a DO body's statements only when all of it was read.
func replaysAsApplied(f *migration.File) bool {
	for _, st := range f.Statements {
		if st.Err != nil && (st.Outline() != nil || st.Body != nil && len(st.Body.Statements) > 0) {
			return false
		}
		if st.Body == nil {
			continue
		}
		if st.Body.Unread != "" && len(st.Body.Statements) > 0 {
			return false
		}
		for _, in := range st.Body.Statements {
			if in.Err != nil && in.Outline() != nil {
				return false
			}
		}
	}
	return true
}

// parseDown parses the first of a migration's jobs that is its down file, for its
// analysis and for the up's parse, which reads the down's statements (a down file
// given beside its up was parsed twice: once as the up's down, once on its own). Nil
// when none of the jobs is the down file, or it cannot be read (its analysis says so).
func (b *batch) parseDown(jobs []int, m project.Migration) *migration.File {
	if m.Down == "" {
		return nil
	}
	for _, i := range jobs {
		if j := b.jobs[i]; j.Path == m.Down && b.files[i] == nil {
			text, err := b.text(i)
			if err != nil {
				return nil
			}
			b.files[i], b.shared[i] = ParseFile(j.Path, text, j.Config, b.fs.ReadFile, nil), true
			return b.files[i]
		}
	}
	return nil
}

// parse is ParseFile of a file of the batch, which reads its siblings through the
// batch's files, and takes those already parsed from parsed.
func (b *batch) parse(path, text string, cfg *config.Config, parsed func(string) *migration.File) *migration.File {
	o := ParseOptions(cfg, b.fs.ReadFile, nil)
	o.Parsed = parsed
	return parseWith(path, text, cfg, o)
}

// analyse analyses one job against its history (unless the set's replay did,
// leaving its result for Each).
func (b *batch) analyse(i int) {
	if b.out[i].Err != nil {
		return
	}
	res, rest := b.out[i].Result, b.rest[i]
	if res == nil {
		res, rest = b.analysis(i)
	}
	b.rest[i] = nil
	if rest != nil {
		rest()
	}
	b.out[i].Result = res
	if res != nil && b.opts.Each != nil {
		b.opts.Each(res)
	}
	b.files[i], b.histories[i], b.texts[i] = nil, nil, ""
}

// analysis is analyzeStatements of one job against its history; nil (with the job's
// error recorded) when its text cannot be read.
func (b *batch) analysis(i int) (*Result, func()) {
	j := b.jobs[i]
	text, err := b.text(i)
	if err != nil {
		b.out[i].Err = err
		return nil, nil
	}
	o := Options{Parsed: b.files[i], History: b.histories[i], NoSiblings: j.Alone, Code: j.Code, ReleaseTrees: b.opts.ReleaseTrees && !b.shared[i]}
	if !j.Alone {
		o.ReadFile = b.fs.ReadFile
	}
	res, rest := analyzeStatements(j.Path, text, j.Config, o)
	o.History.Forget()
	if res != nil && o.History != nil {
		msg := ""
		if base, edited := o.History.Pending.EditedSince(j.Path, text); edited {
			msg = "this migration is already in " + base + ", where it has run, and this version edits it: runners do not run a migration again, so the edit reaches only new databases; put the change in a new migration"
		} else if was, base, renamed := o.History.Pending.RenamedSince(j.Path); renamed {
			msg = "this migration is already in " + base + " as " + was + ", where it has run, and this version renames it: runners record a migration by its version or name, so where it ran it runs again (a new version) or fails validation (Flyway's description); keep its name"
		}
		var ps []Problem
		if msg != "" {
			ps = append(ps, Problem{Kind: EditedDeployed, Message: msg})
		}
		if b.deletions[i] {
			if deleted, base := o.History.Pending.DeletedSince(); len(deleted) > 0 {
				for _, d := range deleted {
					ps = append(ps, Problem{Kind: DeletedDeployed, Message: "the migration " + d + " is in " + base + ", where it has run, and this version deletes it: deleting a migration undoes nothing where it ran, and the runner's history there then records a migration the files no longer have; keep the file, and undo what it did in a new migration"})
				}
			}
		}
		if p, dup := DuplicateVersion(o.History.Set, j.Path); dup {
			ps = append(ps, p)
		}
		if len(ps) > 0 {
			add := func() {
				for _, p := range ps {
					res.AddProblem(p)
				}
			}
			if rest == nil {
				add()
			} else {
				finish := rest
				rest = func() { finish(); add() }
			}
		}
	}
	return res, rest
}

// text is a job's text, read from disk the first time for an OnDisk job.
func (b *batch) text(i int) (string, error) {
	j := b.jobs[i]
	if !j.OnDisk || b.texts[i] != "" || b.files[i] != nil {
		if b.files[i] != nil {
			return b.files[i].Source.Text, nil
		}
		return b.texts[i], nil
	}
	if text, ok := regularfile.ReadString(j.Path, -1); ok {
		b.texts[i] = text
		return text, nil
	}
	data, err := os.ReadFile(j.Path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			return "", fmt.Errorf("%s: %s: %v", j.Path, pe.Op, pe.Err)
		}
		return "", fmt.Errorf("%s: %v", j.Path, err)
	}
	b.texts[i] = string(data)
	return b.texts[i], nil
}

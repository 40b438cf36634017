package lsp

import (
	"context"
	"fmt"
	"hash/maphash"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"go.uber.org/zap"

	"github.com/migsafe/migsafe/engine"
	"github.com/migsafe/migsafe/engine/config"
	"github.com/migsafe/migsafe/engine/migration"
	"github.com/migsafe/migsafe/engine/project"
	"github.com/migsafe/migsafe/internal/regularfile"
)

// revalidateEvery bounds how stale the server's view of migrations on disk may get:
// files edited outside the editor (a checkout, a generator) are noticed within this
// long, by a background check, so no keystroke pays for reading the history.
const revalidateEvery = time.Second

// histories keeps, per migration set, the catalog after each of its migrations,
// keyed by the migration files' content (a hash of an open document's text, else of
// the file on disk). An edit of the last file of a 500-migration directory then
// replays nothing: the history before it is unchanged. An open document earlier in
// the set contributes the catalog its own latest analysis ended with when that
// analysis judged its current text against the same history. Else (its analysis has
// not run yet, or waits out the debounce after its history changed) its text is
// replayed like a file on disk's when that is quick (replayMax); a larger one is a
// placeholder to the documents after it, which are analysed again once its analysis
// is done, so that a small migration never waits for a 10 MB one. Every document
// waiting so made each of 1,000 documents opened after a pending one wait, be
// rescheduled, and wait for the others again: 13,000 analyses, 600 MB resident.
type histories struct {
	mu   sync.Mutex
	sets map[string]*setHistory // by runner and directory of the analysed file
}

// setHistory is one migration set as the server last saw it.
type setHistory struct {
	mu      sync.Mutex
	set     *project.Set
	stamp   time.Time // modification time of set.Dir when listed
	through string    // deployed_through the pending migrations were judged with
	pending *project.Pending
	// disk holds the content of each migration file on disk as of checked.
	disk    map[string]diskFile
	checked time.Time
	busy    bool // a background revalidation is running
	stale   bool // files under set.Dir changed on disk (migrationsChanged): list again
	// steps[i] is the catalog after migration i, for the content keys of 0..i.
	steps []historyStep
	empty *project.Catalog
	// waiting maps an open document's path to the documents whose history it was a
	// placeholder in (its analysis was not done, and its text too large to replay).
	waiting map[string]map[*document]bool
}

// replayMax is the largest open document replayed for the documents after it while
// its own analysis is pending: a replay costs less than an analysis, and bench.mjs's
// 51 KB migration of 1,000 statements analyses in about 5 ms, so a quarter megabyte
// delays the later document by tens of milliseconds at most.
const replayMax = 256 << 10

type historyStep struct {
	key   string
	after *project.Catalog
}

type diskFile struct {
	size  int64
	mtime time.Time
	key   string
}

// history is the document's place in its migration set: the catalog its earlier
// migrations leave (replaying only what changed since the last analysis) and which
// of them are pending. nil when the file is in no set the server can list.
func (s *Server) history(d *document, f *migration.File, cfg *config.Config) *project.History {
	sh := s.setHistory(setKey(f.Runner, d.path))
	sh.mu.Lock()
	defer sh.mu.Unlock()
	fsys := serverFS{s}
	if sh.set == nil || sh.stale || sh.set.Index(d.path) < 0 || dirChanged(sh.set.Dir, sh.stamp) || sh.through != cfg.DeployedThrough {
		if err := sh.relist(fsys, d.path, f.Runner, cfg); err != nil {
			s.log.Debug("no migration set", zap.String("path", d.path), zap.Error(err))
			return nil
		}
	} else if time.Since(sh.checked) > revalidateEvery && !sh.busy {
		sh.busy = true
		go s.revalidate(sh, cfg)
	}
	at := sh.set.Index(d.path)
	before := sh.before(d, s.openDocs(), fsys, at, cfg)
	return &project.History{Set: sh.set, Index: at, Before: before, Pending: sh.pending}
}

// setKey names the migration set of the file at path under runner: its runner and
// directory.
func setKey(runner migration.Runner, path string) string {
	return string(runner) + "\x00" + filepath.Dir(path)
}

func (s *Server) setHistory(k string) *setHistory {
	s.hist.mu.Lock()
	defer s.hist.mu.Unlock()
	if s.hist.sets == nil {
		s.hist.sets = map[string]*setHistory{}
	}
	sh := s.hist.sets[k]
	if sh == nil {
		sh = &setHistory{waiting: map[string]map[*document]bool{}}
		s.hist.sets[k] = sh
	}
	return sh
}

// forgetHistories drops the histories of the migration sets of dir once no open
// document is in it: what they keep (a catalog per migration, the files' keys) is
// only worth keeping for documents being edited, and a session that opens files in
// many directories would otherwise keep every one's. Opening one again replays its
// history once.
func (s *Server) forgetHistories(dir string) {
	for path := range s.openDocs() {
		if filepath.Dir(path) == dir {
			return
		}
	}
	s.hist.mu.Lock()
	defer s.hist.mu.Unlock()
	for k := range s.hist.sets {
		if _, kdir, _ := strings.Cut(k, "\x00"); kdir == dir {
			delete(s.hist.sets, k)
		}
	}
}

// relist lists the set again, with its pending migrations and disk contents.
func (sh *setHistory) relist(fsys project.FS, path string, runner migration.Runner, cfg *config.Config) error {
	set, err := project.Discover(fsys, path, runner)
	if err != nil {
		return err
	}
	pending, err := project.PendingOf(set, project.PendingOptions{DeployedThrough: cfg.DeployedThrough})
	if err != nil {
		// A deployed_through naming no migration is a configuration error the check
		// command reports; here the history is still worth having.
		pending = nil
	}
	sh.stamp = time.Time{} // a directory that does not exist (unsaved buffers only)
	if st, err := os.Stat(set.Dir); err == nil {
		sh.stamp = st.ModTime()
	}
	sh.set, sh.pending, sh.through = set, pending, cfg.DeployedThrough
	sh.disk = diskFiles(set, sh.disk)
	sh.checked, sh.stale = time.Now(), false
	return nil
}

// migrationsChanged takes files created, changed or deleted on disk, as the client
// reports them with didChangeWatchedFiles (a checkout, a file written in a shell): the
// sets they are under are listed and read again, and their open documents analysed
// again now. The change was seen only at the next edit of one of them (or never,
// without a workspace root), so an open migration was judged against a history that
// no longer was.
func (s *Server) migrationsChanged(paths []string) {
	s.hist.mu.Lock()
	sets := make([]*setHistory, 0, len(s.hist.sets))
	for _, sh := range s.hist.sets {
		sets = append(sets, sh)
	}
	s.hist.mu.Unlock()
	dirs := map[string]bool{}
	for _, sh := range sets {
		sh.mu.Lock()
		if sh.set != nil {
			for _, p := range paths {
				if isUnder(p, sh.set.Dir) && mayBeMigration(sh.set, p) {
					sh.stale = true
					dirs[sh.set.Dir] = true
					break
				}
			}
		}
		sh.mu.Unlock()
	}
	for dir := range dirs {
		s.reanalyseDir(dir)
	}
}

// before is the catalog before migration at, replaying from the first migration
// whose content changed since it was last replayed.
func (sh *setHistory) before(d *document, open map[string]*document, fsys project.FS, at int, cfg *config.Config) *project.Catalog {
	if sh.empty == nil {
		sh.empty = &project.Catalog{}
	}
	c := sh.empty // one empty catalog, so analyses before the first migration share it
	cache := true // false after a placeholder: d is analysed again once it is known
	for i := 0; i < at; i++ {
		m := sh.set.Migrations[i]
		doc := open[m.Up]
		key, text := sh.disk[m.Up].key, ""
		if doc != nil {
			text, key = doc.content()
		}
		if cache && i < len(sh.steps) && sh.steps[i].key == key {
			c = sh.steps[i].after
			continue
		}
		if cache {
			sh.steps = sh.steps[:min(i, len(sh.steps))]
		}
		switch {
		case doc != nil:
			// An open document: its own analysis holds the catalog after it, or
			// its text is replayed here, parsed through its own parse cache (its
			// pending analysis then parses nothing again), or it is a placeholder
			// (see histories). After a placeholder nothing is replayed: d is
			// analysed again anyway.
			if after, ok := doc.after(key, c); ok {
				c = after
				break
			}
			if cache && len(text) <= replayMax {
				c = c.ApplyFile(engine.ParseFile(m.Up, text, cfg, fsys.ReadFile, &doc.trees))
				break
			}
			if cache {
				if sh.waiting[m.Up] == nil {
					sh.waiting[m.Up] = map[*document]bool{}
				}
				sh.waiting[m.Up][d] = true
			}
			c, cache = c.Opaque(m.Up), false
		case m.Opaque:
			c = c.Opaque(m.Up)
		default:
			data, err := fsys.ReadFile(m.Up)
			if err != nil {
				c = c.Opaque(m.Up)
				break
			}
			c = c.ApplyFile(engine.ParseFile(m.Up, string(data), cfg, fsys.ReadFile, nil))
		}
		if cache {
			sh.steps = append(sh.steps, historyStep{key: key, after: c})
		}
	}
	return c
}

// analysed is told of each finished analysis: documents it was a placeholder for are
// analysed again, and so are the documents after it in its set when its content
// differs from what they were judged against.
func (s *Server) analysed(d *document, sn *snapshot) {
	if sn.res == nil || sn.res.History == nil || d.path == "" {
		return
	}
	sh := s.setHistory(setKey(sn.res.File.Runner, d.path))
	sh.mu.Lock()
	waiters := sh.waiting[d.path]
	delete(sh.waiting, d.path)
	disk := sh.disk[d.path].key
	set := sh.set
	sh.mu.Unlock()
	d.mu.Lock()
	previous := d.judgedKey
	if previous == "" {
		previous = disk // before it was opened, the others saw the disk
	}
	d.judgedKey = sn.key
	textSeq := d.textSeq
	d.mu.Unlock()
	var later []*document
	if sn.key != previous && set != nil {
		at := set.Index(d.path)
		s.mu.Lock()
		for _, o := range s.docs {
			if o != d && o.path != "" && at >= 0 && set.Index(o.path) > at {
				later = append(later, o)
			}
		}
		s.mu.Unlock()
		later = slices.DeleteFunc(later, func(o *document) bool { return o.readHistorySince(textSeq) })
	}
	for o := range waiters {
		later = append(later, o)
	}
	for _, o := range later {
		s.schedule(o, s.currentDebounce())
	}
	if len(later) > 0 {
		s.refreshPulls()
	}
}

// readHistorySince says whether this document's latest analysis read its history
// after Server.seq passed seq, so it was judged against the texts set by then
// (replayed, or a placeholder, and then it is among the waiters). An analysis answers
// its pulls before it tells the others (analysed), so a later document opened in
// between was judged against its text already; rescheduling it analysed it twice.
func (d *document) readHistorySince(seq uint64) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.histSeq > seq
}

// after is the catalog after this document's up section from its latest analysis,
// when that analysis judged this very text (key) against the catalog before (the same
// snapshot the history holds now).
func (d *document) after(key string, before *project.Catalog) (*project.Catalog, bool) {
	d.mu.Lock()
	sn := d.snap
	d.mu.Unlock()
	if sn == nil || sn.res == nil || sn.key != key || sn.res.History == nil || sn.res.History.Before != before {
		return nil, false
	}
	return sn.res.After, true
}

func (d *document) currentText() string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.text
}

// content is the document's current text and its content key, hashed once per version.
func (d *document) content() (text, key string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.keyOf != d.version || d.key == "" {
		d.key, d.keyOf = textKey(d.text), d.version
	}
	return d.text, d.key
}

// revalidate checks the set's files on disk and its pending migrations in the
// background; when anything changed, the documents of the set are analysed again.
func (s *Server) revalidate(sh *setHistory, cfg *config.Config) {
	sh.mu.Lock()
	set, old := sh.set, sh.disk
	sh.mu.Unlock()
	disk := diskFiles(set, old)
	pending, _ := project.PendingOf(set, project.PendingOptions{DeployedThrough: cfg.DeployedThrough})
	sh.mu.Lock()
	changed := sh.set == set && (!sameFiles(disk, sh.disk) || pending.Count() != sh.pending.Count() || pendingHow(pending) != pendingHow(sh.pending))
	if sh.set == set {
		sh.disk, sh.pending, sh.checked = disk, pending, time.Now()
	}
	sh.busy = false
	sh.mu.Unlock()
	if changed {
		s.reanalyseDir(set.Dir)
	}
}

func pendingHow(p *project.Pending) string {
	if p == nil {
		return ""
	}
	return p.How
}

// diskFiles reads the content key of the set's up files on disk, re-reading only
// files whose size or modification time changed since old.
func diskFiles(set *project.Set, old map[string]diskFile) map[string]diskFile {
	files := make(map[string]diskFile, len(set.Migrations))
	for _, m := range set.Migrations {
		st, err := os.Stat(m.Up)
		if err != nil {
			continue
		}
		if o, ok := old[m.Up]; ok && o.size == st.Size() && o.mtime.Equal(st.ModTime()) {
			files[m.Up] = o
			continue
		}
		data, err := regularfile.ReadFile(m.Up)
		if err != nil {
			continue
		}
		files[m.Up] = diskFile{size: st.Size(), mtime: st.ModTime(), key: textKey(string(data))}
	}
	return files
}

func sameFiles(a, b map[string]diskFile) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k].key != v.key {
			return false
		}
	}
	return true
}

// textKey identifies a migration's content.
func textKey(text string) string {
	return fmt.Sprintf("%x:%d", maphash.String(textSeed, text), len(text))
}

// textSeed seeds textKey: keys are compared within one server process only. maphash
// reads a 5 MB document in well under a millisecond, where FNV byte by byte (over a
// copy of the text) took 7 ms of every edit's analysis.
var textSeed = maphash.MakeSeed()

// dirChanged reports a directory whose listing may differ from when it was stamped
// (a file added, removed or renamed changes its modification time).
func dirChanged(dir string, stamp time.Time) bool {
	st, err := os.Stat(dir)
	if err != nil {
		return !stamp.IsZero()
	}
	return !st.ModTime().Equal(stamp)
}

// openDocs maps the paths of the open documents to them.
func (s *Server) openDocs() map[string]*document {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]*document, len(s.docs))
	for _, d := range s.docs {
		if d.path != "" {
			out[d.path] = d
		}
	}
	return out
}

// openDoc is the open document at path, if any.
func (s *Server) openDoc(path string) *document {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, d := range s.docs {
		if d.path == path {
			return d
		}
	}
	return nil
}

// reanalyseDir schedules the open documents under a directory for analysis: what
// changed there may change their history.
func (s *Server) reanalyseDir(dir string) {
	s.mu.Lock()
	var docs []*document
	for _, d := range s.docs {
		if d.path != "" && isUnder(d.path, dir) {
			docs = append(docs, d)
		}
	}
	s.mu.Unlock()
	for _, d := range docs {
		s.schedule(d, s.currentDebounce())
	}
	if len(docs) > 0 {
		s.refreshPulls()
	}
}

// mayBeMigration says whether a changed file may be one of set's migrations: one it
// has, or one with a migration's extension. A set whose directory holds code (a
// migrations/ at the workspace root) is not listed again for every code file saved.
func mayBeMigration(set *project.Set, path string) bool {
	ext := filepath.Ext(path)
	return set.Index(path) >= 0 || ext == ".sql" || len(set.Migrations) > 0 && ext == filepath.Ext(set.Migrations[0].Up)
}

// refreshPulls asks a client that pulls diagnostics to pull again
// (workspace/diagnostic/refresh) after documents were scheduled for analysis by
// something other than their own edit: an earlier migration edited or closed, a file
// changed on disk. Such a client (VS Code) pulls only the document it edits, so the
// others kept the diagnostics of their old history; its pulls wait for the analyses
// now scheduled. Refreshes asked for while one waits to be sent are that one.
func (s *Server) refreshPulls() {
	s.mu.Lock()
	send := s.caps.pull && s.caps.pullRefresh && !s.refreshing
	if send {
		s.refreshing = true
	}
	s.mu.Unlock()
	if !send {
		return
	}
	// After the analyses' debounce, so a burst of keystrokes is one refresh; on its
	// own goroutine, as the answer comes on the connection that may be calling.
	time.AfterFunc(s.currentDebounce(), func() {
		s.mu.Lock()
		s.refreshing = false
		s.mu.Unlock()
		ctx, cancel := context.WithTimeout(context.Background(), configurationWait)
		defer cancel()
		if _, err := s.conn.Call(ctx, methodDiagnosticRefresh, nil, nil); err != nil {
			s.log.Warn("workspace/diagnostic/refresh failed", zap.Error(err))
		}
	})
}

func isUnder(path, dir string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && !strings.HasPrefix(rel, "..")
}

// serverFS reads the disk with the server's open documents laid over it, so sibling
// lookups and the history see unsaved buffers (and new files not yet saved).
type serverFS struct{ s *Server }

func (fs serverFS) ReadFile(path string) ([]byte, error) {
	if d := fs.s.openDoc(path); d != nil {
		return []byte(d.currentText()), nil
	}
	return regularfile.ReadFile(path)
}

func (fs serverFS) ReadDir(dir string) ([]project.DirEntry, error) {
	entries, err := project.OS.ReadDir(dir)
	seen := map[string]bool{}
	for _, e := range entries {
		seen[e.Name] = true
	}
	fs.s.mu.Lock()
	added := false
	for _, d := range fs.s.docs {
		if d.path != "" && filepath.Dir(d.path) == filepath.Clean(dir) && !seen[filepath.Base(d.path)] {
			entries = append(entries, project.DirEntry{Name: filepath.Base(d.path)})
			seen[filepath.Base(d.path)] = true
			added = true
		}
	}
	fs.s.mu.Unlock()
	if err != nil && !added {
		return nil, err
	}
	return entries, nil
}

package lsp

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"go.lsp.dev/protocol"
	"go.uber.org/zap"

	"github.com/migsafe/migsafe/engine"
	"github.com/migsafe/migsafe/engine/migration"
	"github.com/migsafe/migsafe/engine/project"
)

// document is an open text document. Its text changes with every edit; its snapshot is
// the analysis of one version, replaced (never modified) when a newer one is ready.
type document struct {
	uri        protocol.DocumentURI
	path       string
	languageID string

	mu      sync.Mutex
	version int32
	text    string
	// received is when version's text arrived, for the log of a pull's latency.
	received time.Time
	// textSeq is Server.seq when text was set; histSeq when this document's latest
	// analysis began reading the texts of the migrations before it (see analysed).
	textSeq, histSeq uint64
	// gen counts scheduled analyses; only the newest one's result is kept, so an
	// analysis overtaken by an edit or a config change is dropped.
	gen    uint64
	snap   *snapshot
	ready  chan struct{} // closed and replaced each time snap is replaced
	timer  *time.Timer
	closed bool
	// pulls are the pulls for diagnostics waiting for the analysis of the current
	// version; that analysis answers them as it ends (see pullWaiter).
	pulls   []*pullWaiter
	publish sync.Mutex // orders publishDiagnostics so an older result never lands last
	// trees keeps the statements' syntax trees between versions: an edit re-parses
	// only the statements it touched.
	trees migration.ParseCache
	// judgedKey is the content key (textKey) of the latest analysis published: the
	// other migrations of its set were judged against that text.
	judgedKey string
	// key caches textKey(text) for version keyOf.
	key   string
	keyOf int32
}

func newDocument(uri protocol.DocumentURI, languageID string, version int32, text string) *document {
	return &document{uri: uri, path: uriPath(uri), languageID: languageID, version: version,
		text: text, received: time.Now(), ready: make(chan struct{})}
}

func (d *document) stop() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.closed = true
	if d.timer != nil {
		d.timer.Stop()
	}
}

// snapshot is one version of a document with its analysis, immutable once built:
// diagnostics, hover, code actions, code lenses and symbols all read it.
type snapshot struct {
	gen     uint64
	version int32
	key     string // textKey of the analysed text
	src     *migration.Source
	enc     migration.Encoding
	// res is nil when the document is not a migration (not analysed).
	res    *engine.Result
	cfgErr error
	// diags are what is published: at most maxDiagnostics (see diagnostics).
	diags []protocol.Diagnostic
	// diagsJSON is diags encoded, once, for every push and pull of this snapshot.
	diagsJSON encodedDiagnostics
	// codeRoot is the directory the findings' code uses are relative to.
	codeRoot string
}

func (sn *snapshot) rng(start, end int) protocol.Range {
	return protocol.Range{Start: sn.pos(start), End: sn.pos(end)}
}

func (sn *snapshot) pos(off int) protocol.Position {
	p := sn.src.Position(off, sn.enc)
	return protocol.Position{Line: uint32(p.Line), Character: uint32(p.Column)}
}

func (sn *snapshot) offset(p protocol.Position) int {
	return sn.src.Offset(migration.Position{Line: int(p.Line), Column: int(p.Character)}, sn.enc)
}

// schedule analyses the document's current text after delay; a newer schedule
// supersedes it (the timer is stopped, or the result dropped if it already runs).
func (s *Server) schedule(d *document, delay time.Duration) {
	d.mu.Lock()
	if d.closed {
		d.mu.Unlock()
		return
	}
	d.gen++
	s.release.poke()
	gen, version, text := d.gen, d.version, d.text
	if d.timer != nil {
		d.timer.Stop()
		d.timer = nil
	}
	if delay > 0 {
		d.timer = time.AfterFunc(delay, func() { s.run(d, gen, version, text) })
		d.mu.Unlock()
		return
	}
	// At once: a timer's goroutine starts only when the runtime next checks its
	// timers (tens of µs later on an idle server), and a pull waits for this.
	go s.run(d, gen, version, text)
	d.mu.Unlock()
	// The analysis is the next goroutine of this processor; yielding starts it now
	// rather than after the connection's goroutine has read and dispatched the
	// messages behind this edit (the pull that waits for it), which another processor
	// takes up meanwhile: edit applied -> analysis started p50 32 -> 11 µs in probes.
	runtime.Gosched()
}

// run analyses one version off the connection's goroutine and publishes the result.
func (s *Server) run(d *document, gen uint64, version int32, text string) {
	s.release.busy()
	defer s.release.idle()
	s.slots <- struct{}{}
	defer func() { <-s.slots }()
	if !d.current(gen) {
		return
	}
	start := time.Now()
	sn := s.build(d, gen, version, text)
	took := time.Since(start)

	d.mu.Lock()
	if d.gen != gen || d.closed {
		d.mu.Unlock()
		s.log.Debug("dropped a superseded analysis", zap.String("uri", string(d.uri)), zap.Int32("version", version))
		return
	}
	d.snap = sn
	close(d.ready)
	d.ready = make(chan struct{})
	pulls := d.pulls
	d.pulls = nil
	d.mu.Unlock()
	// The pulls waiting for this version are answered before anything else the
	// server does after an analysis (the histories of other documents, the log).
	for _, w := range pulls {
		w.answer(sn)
	}
	s.analysed(d, sn)
	s.log.Debug("analysed", zap.String("uri", string(d.uri)), zap.Int32("version", version), zap.Duration("took", took), zap.Int("kept", keptOf(sn)))

	s.mu.Lock()
	pull := s.caps.pull
	s.mu.Unlock()
	if !pull {
		d.publish.Lock()
		if d.current(gen) {
			s.publish(context.Background(), d.uri, version, sn.diagsJSON.of(sn.diags))
		}
		d.publish.Unlock()
	}
}

// keptOf is how many statements kept their previous findings in sn's analysis.
func keptOf(sn *snapshot) int {
	if sn.res == nil {
		return 0
	}
	return sn.res.Kept()
}

func (d *document) current(gen uint64) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.gen == gen && !d.closed
}

// build makes the snapshot of one version. A panic in the analysis becomes an error
// diagnostic instead of ending the server.
func (s *Server) build(d *document, gen uint64, version int32, text string) (sn *snapshot) {
	s.mu.Lock()
	set, root, enc := s.settings, s.root, s.enc
	s.mu.Unlock()
	sn = &snapshot{gen: gen, version: version, key: textKey(text), enc: enc}
	defer func() {
		// An analysis indexes the text's lines itself; indexing a 5 MB text costs
		// milliseconds, so only a snapshot without one does it here.
		if sn.src == nil {
			sn.src = migration.NewSource(text)
		}
	}()
	defer func() {
		if v := recover(); v != nil {
			s.log.Error("analysis panicked", zap.String("uri", string(d.uri)), zap.Any("panic", v), zap.ByteString("stack", debug.Stack()))
			sn.res = nil
			sn.diags = []protocol.Diagnostic{{Severity: protocol.DiagnosticSeverityError, Source: source,
				Message: fmt.Sprintf("migsafe: internal error while analysing this file: %v (see the server log)", v)}}
		}
	}()
	cfg, cfgErr := configFor(d.path, set)
	sn.cfgErr = cfgErr
	if cfgErr != nil {
		s.reportConfigError(cfgErr)
	}
	if analyse, isORM := isORMMigration(d.path, text, cfg.ORM); isORM && !analyse || !isORM && !isMigration(d.path, d.languageID, root, cfg.MigrationGlobs) {
		return sn
	}
	opts := engine.Options{ReadFile: serverFS{s}.ReadFile, NoSiblings: d.path == "", Cache: &d.trees}
	if d.path != "" {
		if opts.Code = s.codeFor(); opts.Code != nil {
			sn.codeRoot = opts.Code.Root
		}
		// Parse here, once, to know the runner (and so the migration set); the
		// analysis reuses this parse.
		opts.Parsed = engine.ParseFile(d.path, text, cfg, opts.ReadFile, opts.Cache)
		seq := s.seq.Add(1) // before the history reads any text
		d.mu.Lock()
		d.histSeq = max(d.histSeq, seq)
		d.mu.Unlock()
		opts.History = s.history(d, opts.Parsed, cfg)
		// Keep the catalog after each statement, and start from the previous
		// version's where the text has not changed: an edit replays only the
		// statements from the edited one on.
		opts.KeepSteps = true
		d.mu.Lock()
		prev := d.snap
		d.mu.Unlock()
		if prev != nil && prev.res != nil {
			// An edit that only moved statements keeps their findings (engine.Options.Previous).
			opts.Previous = prev.res
			if h := opts.History; h != nil && prev.res.History != nil && prev.res.History.Before == h.Before {
				opts.History = h.WithSteps(unchangedSteps(prev.res, opts.Parsed))
			}
		}
	}
	sn.res = s.analyze(d.path, text, cfg, opts)
	if h := sn.res.History; h != nil {
		// A set-level refusal check reports too: another migration of the set has
		// this one's version.
		if p, dup := engine.DuplicateVersion(h.Set, d.path); dup {
			sn.res.AddProblem(p)
		}
	}
	// The snapshot outlives the analysis; the set's current listing is the
	// setHistory's (see analysed), not the one this analysis was judged in.
	sn.res.History = sn.res.History.WithoutSet()
	// Positions must index the analysed text, which is text itself.
	sn.src = sn.res.File.Source
	sn.diags = diagnostics(sn, set.maxDiagnostics(), checkArg(d.path, root))
	d.mu.Lock()
	prev := d.snap
	d.mu.Unlock()
	if prev != nil {
		sn.diagsJSON.follow(&prev.diagsJSON, prev.diags)
	}
	return sn
}

// checkArg is how the note on capped diagnostics names the file for migsafe check:
// relative to the workspace root when it is inside it.
func checkArg(file, root string) string {
	if file == "" {
		return "<file>" // an untitled document: it has no name yet
	}
	if root != "" {
		if rel, err := filepath.Rel(root, file); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			file = rel
		}
	}
	if strings.ContainsAny(file, " \t'\"$`\\;&|<>()*?[]#~!") {
		// Quoted for a POSIX shell, so the command can be pasted as it reads.
		return "'" + strings.ReplaceAll(file, "'", `'\''`) + "'"
	}
	return file
}

// reportConfigError shows a configuration error once with showMessage; the diagnostic
// on each document repeats it where the user is looking.
func (s *Server) reportConfigError(err error) {
	msg := configError(err)
	s.mu.Lock()
	seen := s.shownErrs[msg]
	s.shownErrs[msg] = true
	s.mu.Unlock()
	if !seen {
		s.showMessage(context.Background(), protocol.MessageTypeError, "migsafe: configuration ignored: "+msg)
	}
}

// staleWait bounds how long a request waits for the analysis of the current version
// before it answers from the last snapshot.
const staleWait = 2 * time.Second

// snapshot returns the analysis of the document's current version, waiting for it if
// it is being computed; after staleWait, the newest snapshot there is (possibly of an
// older version; nil when none is). ok is false when the document is not open.
func (s *Server) snapshot(ctx context.Context, uri protocol.DocumentURI) (sn *snapshot, ok bool, err error) {
	s.mu.Lock()
	d := s.docs[uri]
	s.mu.Unlock()
	if d == nil {
		return nil, false, nil
	}
	timeout := time.NewTimer(staleWait)
	defer timeout.Stop()
	for {
		d.mu.Lock()
		sn, ready := d.snap, d.ready
		fresh := sn != nil && sn.gen == d.gen
		d.mu.Unlock()
		if fresh {
			return sn, true, nil
		}
		select {
		case <-ready:
		case <-timeout.C:
			return sn, true, nil
		case <-ctx.Done():
			return nil, true, ctx.Err()
		}
	}
}

func (s *Server) reanalyseAll() {
	s.mu.Lock()
	docs := make([]*document, 0, len(s.docs))
	for _, d := range s.docs {
		docs = append(docs, d)
	}
	s.mu.Unlock()
	for _, d := range docs {
		s.schedule(d, 0)
	}
}

// currentDebounce is the wait before re-analysing documents an edit of another one
// affects: such cascades are throttled for pushes and pulls alike.
func (s *Server) currentDebounce() time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.debounce
}

// editDelay is how long an edit waits before its analysis. The debounce keeps a
// burst of keystrokes from pushing a burst of diagnostics; a client that pulls asks
// for the diagnostics of every version it sends, right after sending it (VS Code pulls
// on each change), so there waiting would only add to the answer's latency: the edit
// is analysed at once, overlapping the pull's way to the server, and a newer edit
// still supersedes it. A debounce the user chose applies to pulls as well.
func (s *Server) editDelay() time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.caps.pull && !s.debouncePulls {
		return 0
	}
	return s.debounce
}

// unchangedSteps maps the statements of f that begin it exactly as in the analysed
// previous version to the catalogs after them in that analysis (which kept them for
// some statements only: the analysis replays the others from the nearest before).
func unchangedSteps(prev *engine.Result, f *migration.File) map[*migration.Statement]*project.Catalog {
	steps := map[*migration.Statement]*project.Catalog{}
	old, now := project.InOrder(prev.File.Statements), project.InOrder(f.Statements)
	for i := 0; i < len(old) && i < len(now); i++ {
		a, b := old[i], now[i]
		if a.Text != b.Text || a.Start != b.Start || a.Section != b.Section || (a.Parent == nil) != (b.Parent == nil) {
			break
		}
		if c, ok := prev.Steps[a]; ok {
			steps[b] = c
		}
	}
	return steps
}

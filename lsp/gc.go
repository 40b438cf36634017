package lsp

import (
	"os"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"time"

	"github.com/migsafe/migsafe/internal/gccycle"
)

// GCHeadroom is how much the language server's heap may grow past what is live
// before the garbage collector runs, at least. With Go's default (GOGC=100: as much
// again as is live) a server holding one 1,000-statement document (8 MB live)
// collected after every other edit, each collection's marking as long as an analysis
// on two cores, shared with the editor: the pull answered 0.5 ms later (bench.mjs,
// paired), the analysis itself 0.5 ms slower. With many documents open (100 MB live)
// the headroom is below GOGC's and changes nothing.
const GCHeadroom = 64 << 20

// TuneGC keeps the heap goal at least headroom above the live heap, adjusting the GC
// percentage after each collection, until stop is called. It does nothing (and stop
// does nothing) when GOGC is set: the user chose.
func TuneGC(headroom uint64) (stop func()) {
	if os.Getenv("GOGC") != "" {
		return func() {}
	}
	t := &gcTuner{headroom: headroom, percent: debug.SetGCPercent(-1)}
	debug.SetGCPercent(t.percent)
	gccycle.Each(t.tune)
	return func() {
		t.mu.Lock()
		defer t.mu.Unlock()
		t.stopped = true
		debug.SetGCPercent(t.percent)
	}
}

type gcTuner struct {
	headroom uint64
	percent  int // the setting before tuning, restored by stop
	mu       sync.Mutex
	stopped  bool
}

// tune sets the GC percentage for the heap live after the last collection; false
// once stopped.
func (t *gcTuner) tune() bool {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.stopped {
		return false
	}
	if s[0].Value.Kind() == metrics.KindUint64 {
		debug.SetGCPercent(gcPercent(s[0].Value.Uint64(), t.headroom, t.percent))
	}
	return true
}

// gcPercent is the GC percentage that lets a heap of live bytes grow by headroom
// before the next collection, never below base.
func gcPercent(live, headroom uint64, base int) int {
	if live == 0 {
		live = 1
	}
	p := headroom * 100 / live
	if p <= uint64(base) {
		return base
	}
	return int(min(p, 1<<20))
}

// IdleRelease is how long the language server waits after its last analysis, with no
// edit since, before it collects and returns the freed memory to the system. Between
// analyses the heap is what the documents keep plus the garbage of the last edits: the
// collector's goal is twice the heap found live, and an edit's analysis allocates
// while the previous analysis is still live, so a server holding a 5 MB DDL document
// (290 MB live) stayed at 820 MB resident. Lowering the goal instead (a soft memory
// limit of 1.25 or 1.5 times the live heap) collected during the analyses, each
// collection marking the whole live heap: the edits' diagnostics came 2.6 to 5 times
// later. Released while the user is not typing, the memory costs no edit its
// collection; the first edit after the pause faults its pages back in. (On that
// document, paired: resident once idle 854 -> 369 MB, the edits' p50 unchanged, the
// first edit after a pause 78 -> 110 ms; BenchmarkLargeDocumentServerAlone.)
const IdleRelease = 2 * time.Second

// idleReleaseMin is the memory retained over the live heap below which an idle release
// is not worth its collection: the heap of small documents keeps GCHeadroom.
const idleReleaseMin = GCHeadroom

// releaser returns the heap's free memory to the system once the server is idle (see
// IdleRelease). Analyses call busy when they start and idle when they end.
type releaser struct {
	delay   time.Duration
	mu      sync.Mutex
	running int // analyses under way
	timer   *time.Timer
	off     bool // GOGC or GOMEMLIMIT is set: the user chose; or the server ended
	// release is what the timer calls; a field so tests can count the releases.
	release func()
}

func newReleaser(delay time.Duration) *releaser {
	r := &releaser{delay: delay, release: freeIdleMemory}
	// As TuneGC reads GOGC: set and not empty.
	r.off = os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" || delay <= 0
	return r
}

// poke puts off the release: an edit came, its analysis is scheduled.
func (r *releaser) poke() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.timer != nil {
		r.timer.Stop()
	}
}

// busy marks an analysis started: no release until it ends.
func (r *releaser) busy() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.running++
	if r.timer != nil {
		r.timer.Stop()
	}
}

// idle marks an analysis ended; the release comes delay after the last one ends.
func (r *releaser) idle() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.running--
	if r.running > 0 || r.off {
		return
	}
	if r.timer != nil {
		r.timer.Stop()
	}
	r.timer = time.AfterFunc(r.delay, func() {
		r.mu.Lock()
		quiet := r.running == 0 && !r.off
		r.mu.Unlock()
		if quiet {
			r.release()
		}
	})
}

// stop ends the releases.
func (r *releaser) stop() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.off = true
	if r.timer != nil {
		r.timer.Stop()
	}
}

// freeIdleMemory collects and returns the free heap to the system when what the heap
// retains over the live heap of the last collection is worth it.
func freeIdleMemory() {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/memory/classes/heap/unused:bytes"},
		{Name: "/memory/classes/heap/free:bytes"}, {Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	for _, v := range s {
		if v.Value.Kind() != metrics.KindUint64 {
			return
		}
	}
	retained := s[0].Value.Uint64() + s[1].Value.Uint64() + s[2].Value.Uint64()
	if live := s[3].Value.Uint64(); retained > live && retained-live >= idleReleaseMin {
		debug.FreeOSMemory()
	}
}

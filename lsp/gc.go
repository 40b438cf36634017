package lsp

import (
	"os"
	"runtime/debug"
	"runtime/metrics"
	"sync"

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

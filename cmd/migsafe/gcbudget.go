package main

import (
	"os"
	"runtime/debug"
	"runtime/metrics"
	"sync/atomic"

	"github.com/migsafe/migsafe/internal/gccycle"
)

// A check run allocates a lot and keeps little: each file's analysis is released once
// written. Collecting at 200% instead of 100% costs ~10% less CPU on the shared corpus,
// but lets the heap grow to three times what is live, and more while the collector
// marks (what is allocated meanwhile counts as live until the next cycle): on the
// corpus the heap peaked at 55-75 MB for 7-28 MB live. So the heap also gets a budget
// sized by the input, gcBudgetBase plus gcBudgetPerByte times the largest input file,
// as a soft memory limit: a run whose live heap is small next to it collects at
// gcPercent; one that would pass it collects earlier. The limit never stays within half of the
// live heap (a file whose analysis needs more than the budget would make the
// collector run back to back): after each cycle it is raised to that much headroom
// when the live heap needs it, and lowered back to the budget when the heap shrinks.
// (On the corpus, paired runs: peak RSS 103 -> 69 MB for 12% more CPU with a 48 MiB
// base. Since fixes are no longer built for their titles the heap peaks near 25 MB for
// 8 MB live, and a 32 MiB base gives 49-51 MB against 48-55 MB at 48 MiB for the same
// CPU; files with rows of 1-50 MB are unchanged, their live heap sets the limit.)
//
// gcPercent is 800, not 200: on the corpus the heap then grows to the budget between
// cycles instead of to three times its 5-9 MB live (7-9 cycles -> 5-6), which the
// budget bounds anyway. Paired runs of the corpus (interquartile means of 60-80, at a
// load near 2): CPU -2% to -8%, peak RSS +1.5 MB, within the ~2 MB the protobuf
// machinery no longer keeps alive.
const (
	gcPercent       = 800
	gcBudgetBase    = 32 << 20
	gcBudgetPerByte = 3
	// The least room over the live heap is live/gcHeadroom plus
	// gcOverhead for what the runtime holds beside the heap's objects.
	gcHeadroom = 2
	gcOverhead = 8 << 20
)

// tuneGC sets the collector for a check run of ins (GOGC and GOMEMLIMIT in the
// environment win); stop ends the limit's adjustments (the limit stays).
func tuneGC(ins []input) (stop func()) {
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(gcPercent)
	}
	if _, set := os.LookupEnv("GOMEMLIMIT"); set {
		return func() {}
	}
	var largest int64
	for _, in := range ins {
		if in.stdin {
			continue // unknown until read: the headroom rule covers it
		}
		if in.sized {
			largest = max(largest, in.size)
		} else if st, err := os.Stat(in.path); err == nil {
			largest = max(largest, st.Size())
		}
	}
	b := &gcBudget{budget: gcBudgetBase + gcBudgetPerByte*largest}
	b.live = []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	debug.SetMemoryLimit(b.budget)
	gccycle.Each(b.cycle)
	return func() { b.stopped.Store(true) }
}

// gcBudget adjusts the memory limit after every collection.
type gcBudget struct {
	budget  int64
	live    []metrics.Sample
	stopped atomic.Bool
}

// cycle runs after a collection: the limit is the budget, or the live heap with its
// headroom when that is more; false once stopped.
func (b *gcBudget) cycle() bool {
	if b.stopped.Load() {
		return false
	}
	metrics.Read(b.live)
	debug.SetMemoryLimit(gcLimit(b.budget, int64(b.live[0].Value.Uint64())))
	return true
}

// gcLimit is the memory limit for a live heap of live bytes under budget.
func gcLimit(budget, live int64) int64 { return max(budget, live+live/gcHeadroom+gcOverhead) }

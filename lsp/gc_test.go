package lsp

import (
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

func TestGCPercent(t *testing.T) {
	for _, tc := range []struct {
		live, headroom uint64
		base, want     int
	}{
		{8 << 20, 64 << 20, 100, 800},   // one big document: 64 MB of headroom, not 8
		{100 << 20, 64 << 20, 100, 100}, // many: GOGC's is larger already
		{0, 64 << 20, 100, 1 << 20},     // nothing live yet: bounded
	} {
		if got := gcPercent(tc.live, tc.headroom, tc.base); got != tc.want {
			t.Errorf("gcPercent(%d, %d, %d) = %d, want %d", tc.live, tc.headroom, tc.base, got, tc.want)
		}
	}
}

// After a collection the tuner has raised the GC percentage of a small heap, and stop
// puts the old one back.
func TestTuneGC(t *testing.T) {
	t.Setenv("GOGC", "")
	before := debug.SetGCPercent(-1)
	debug.SetGCPercent(before)
	stop := TuneGC(1 << 40) // far more than this test binary's heap
	defer stop()
	deadline := time.Now().Add(5 * time.Second)
	tuned := before
	for tuned == before && time.Now().Before(deadline) {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
		tuned = debug.SetGCPercent(-1)
		debug.SetGCPercent(tuned)
	}
	if tuned <= before {
		t.Fatalf("GC percentage %d after collections, want above %d", tuned, before)
	}
	stop()
	if p := debug.SetGCPercent(before); p != before {
		t.Errorf("GC percentage %d after stop, want %d back", p, before)
	}
}

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

// newTestReleaser is a releaser whose releases are counted on a channel.
func newTestReleaser(t *testing.T, delay time.Duration) (*releaser, chan struct{}) {
	t.Helper()
	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	r := newReleaser(delay)
	released := make(chan struct{}, 10)
	r.release = func() { released <- struct{}{} }
	return r, released
}

// The release comes once the last analysis ends, not while one runs, and not at all
// once stopped.
func TestReleaserIdle(t *testing.T) {
	r, released := newTestReleaser(t, time.Millisecond)
	r.busy()
	r.busy()
	r.idle()
	time.Sleep(20 * time.Millisecond)
	select {
	case <-released:
		t.Fatal("released while an analysis ran")
	default:
	}
	r.idle()
	select {
	case <-released:
	case <-time.After(5 * time.Second):
		t.Fatal("no release after the last analysis ended")
	}
	r.busy()
	r.idle()
	r.stop()
	time.Sleep(20 * time.Millisecond)
	select {
	case <-released:
		t.Fatal("released after stop")
	default:
	}
}

// An edit (poke) or an analysis starting (busy) puts off a pending release.
func TestReleaserPutOff(t *testing.T) {
	for name, putOff := range map[string]func(*releaser){"poke": (*releaser).poke, "busy": (*releaser).busy} {
		r, _ := newTestReleaser(t, time.Hour)
		r.busy()
		r.idle()
		putOff(r)
		if r.timer.Stop() {
			t.Errorf("%s: the release is still pending", name)
		}
	}
}

// With GOGC or GOMEMLIMIT set the user chose how the heap is kept: no releases.
func TestReleaserOffWithEnv(t *testing.T) {
	for _, env := range []string{"GOGC", "GOMEMLIMIT"} {
		_, _ = newTestReleaser(t, time.Millisecond) // clears both
		t.Setenv(env, "100")
		r := newReleaser(time.Millisecond)
		r.release = func() { t.Errorf("%s set: released", env) }
		r.busy()
		r.idle()
		if r.timer != nil {
			t.Errorf("%s set: a release was scheduled", env)
		}
	}
	time.Sleep(20 * time.Millisecond)
}

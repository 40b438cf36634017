package gccycle

import (
	"runtime"
	"testing"
	"time"
)

// TestEachRunsPerCycleUntilFalse: f runs after collections, and no more once it says
// false.
func TestEachRunsPerCycleUntilFalse(t *testing.T) {
	calls := make(chan int, 16)
	n := 0
	Each(func() bool {
		n++
		calls <- n
		return n < 3
	})
	got := 0
	for got < 3 {
		runtime.GC()
		select {
		case got = <-calls:
		case <-time.After(10 * time.Second):
			t.Fatalf("f ran %d times after collections, want 3", got)
		}
	}
	for i := 0; i < 5; i++ {
		runtime.GC()
	}
	runtime.GC()
	select {
	case c := <-calls:
		t.Fatalf("f ran again (call %d) after returning false", c)
	default:
	}
}

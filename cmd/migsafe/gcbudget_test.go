package main

import (
	"os"
	"path/filepath"
	"runtime/debug"
	"testing"
)

// The memory limit of a check run is the budget its largest input earns, and rises
// with a live heap that needs more (never within live/gcHeadroom of it).
func TestGCBudget(t *testing.T) {
	dir := t.TempDir()
	small, large := filepath.Join(dir, "0001_a.sql"), filepath.Join(dir, "0002_b.sql")
	if err := os.WriteFile(small, []byte("SELECT 1;\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(large, make([]byte, 10<<20), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("GOGC", "100") // tuneGC leaves the collector's percentage alone
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))
	stop := tuneGC([]input{{path: small}, {path: large}, {path: "<stdin>", stdin: true}})
	defer stop()
	if got, want := debug.SetMemoryLimit(-1), int64(gcBudgetBase+gcBudgetPerByte*(10<<20)); got != want {
		t.Errorf("memory limit %d, want %d (base + %d x the largest input)", got, want, gcBudgetPerByte)
	}
	if got := gcLimit(100<<20, 10<<20); got != 100<<20 {
		t.Errorf("a small live heap: limit %d, want the budget", got)
	}
	if got, least := gcLimit(100<<20, 400<<20), int64(400<<20+(400<<20)/gcHeadroom); got < least {
		t.Errorf("a live heap over the budget: limit %d, want at least %d", got, least)
	}
}

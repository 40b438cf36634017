package main

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/migsafe/migsafe/internal/bigmigration"
)

// BenchmarkCheckLargeMigration runs `migsafe check --format json` on generated 1, 10
// and 50 MB migrations (internal/bigmigration: schema changes with their data, and the
// same blocks without rows) and reports the process's peak resident memory, as MB, as
// MB above the floor (the peak of the same command on a one-statement file: the
// binary and runtime, which no input lowers) and as multiples of the input, and its
// wall and CPU time per input MB (linear time keeps ms/MB flat across sizes):
//
//	go test ./cmd/migsafe -run '^$' -bench CheckLargeMigration -benchtime 1x
//
// Each file is in a directory of its own (files of one directory are one migration
// set: the others would be replayed before it).
func BenchmarkCheckLargeMigration(b *testing.B) {
	dir := b.TempDir()
	floor := checkPeak(b, filepath.Join(dir, "floor"), "SELECT 1;\n")
	for _, kind := range []struct {
		name string
		gen  func(int) string
	}{{"with-rows", bigmigration.Generate}, {"ddl-only", bigmigration.DDL}} {
		for _, mb := range []int{1, 10, 50} {
			if kind.name == "ddl-only" && mb == 50 && os.Getenv("MIGSAFE_BENCH_DDL50") == "" {
				// Its analysis holds about 190x its size (trees, findings and their
				// fixes, the catalog of 250,000 relations): ~10 GB on a shared machine.
				b.Run("ddl-only/50MB", func(b *testing.B) { b.Skip("needs ~10 GB; set MIGSAFE_BENCH_DDL50=1 to run it") })
				continue
			}
			text := kind.gen(mb << 20)
			sub := filepath.Join(dir, fmt.Sprintf("%s_%dmb", kind.name, mb))
			b.Run(fmt.Sprintf("%s/%dMB", kind.name, mb), func(b *testing.B) {
				var r checkRun
				for b.Loop() {
					r = checkPeak(b, sub, text)
				}
				in := float64(len(text))
				b.ReportMetric(r.peak/(1<<20), "peak-MB")
				b.ReportMetric((r.peak-floor.peak)/(1<<20), "above-floor-MB")
				b.ReportMetric(r.peak/in, "peak/input")
				b.ReportMetric((r.peak-floor.peak)/in, "above-floor/input")
				b.ReportMetric(r.wall*1000/(in/(1<<20)), "wall-ms/MB")
				b.ReportMetric(r.cpu*1000/(in/(1<<20)), "cpu-ms/MB")
			})
		}
	}
}

// checkRun is one check process's peak resident memory (bytes), wall and CPU seconds.
type checkRun struct{ peak, wall, cpu float64 }

// checkPeak writes text as the one migration of dir and checks it.
func checkPeak(b *testing.B, dir, text string) checkRun {
	path := filepath.Join(dir, "0001_big.sql")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		b.Fatal(err)
	}
	cmd := exec.Command(binary, "check", "--format", "json", "--fail-on", "never", path)
	cmd.Stdout = io.Discard
	var stderr strings.Builder
	cmd.Stderr = &stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		b.Fatalf("%v: %.500s", err, stderr.String())
	}
	ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	return checkRun{peak: float64(ru.Maxrss) * 1024, wall: time.Since(start).Seconds(),
		cpu: cmd.ProcessState.UserTime().Seconds() + cmd.ProcessState.SystemTime().Seconds()}
}

package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/migsafe/migsafe/internal/bigmigration"
)

// BenchmarkCheckLargeMigration runs `migsafe check --format json` on generated 1, 10
// and 50 MB migrations (internal/bigmigration: schema changes with their data, and the
// same blocks without rows) and reports the process's peak resident memory, as MB and
// as a multiple of the input, and its wall and CPU time per input MB (linear time
// keeps ms/MB flat across sizes):
//
//	go test ./cmd/migsafe -run '^$' -bench CheckLargeMigration -benchtime 1x
func BenchmarkCheckLargeMigration(b *testing.B) {
	dir := b.TempDir()
	for _, kind := range []struct {
		name string
		gen  func(int) string
	}{{"with-rows", bigmigration.Generate}, {"ddl-only", bigmigration.DDL}} {
		for _, mb := range []int{1, 10, 50} {
			text := kind.gen(mb << 20)
			path := filepath.Join(dir, fmt.Sprintf("0001_%s_%dmb.sql", kind.name, mb))
			if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
				b.Fatal(err)
			}
			b.Run(fmt.Sprintf("%s/%dMB", kind.name, mb), func(b *testing.B) {
				var peak, cpu, wall float64
				for b.Loop() {
					cmd := exec.Command(binary, "check", "--format", "json", "--fail-on", "never", path)
					start := time.Now()
					if out, err := cmd.CombinedOutput(); err != nil {
						b.Fatalf("%v: %.500s", err, out)
					}
					wall = time.Since(start).Seconds()
					ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
					peak = float64(ru.Maxrss) * 1024
					cpu = cmd.ProcessState.UserTime().Seconds() + cmd.ProcessState.SystemTime().Seconds()
				}
				in := float64(len(text))
				b.ReportMetric(peak/(1<<20), "peak-MB")
				b.ReportMetric(peak/in, "peak/input")
				b.ReportMetric(wall*1000/(in/(1<<20)), "wall-ms/MB")
				b.ReportMetric(cpu*1000/(in/(1<<20)), "cpu-ms/MB")
			})
		}
	}
}

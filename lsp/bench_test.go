package lsp

import (
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap"

	"github.com/migsafe/migsafe/internal/bigmigration"
)

// bigMigration is n statements in the shapes migrations have, with findings of
// several rules (the same file tests/node/bench.mjs times against squawk).
func bigMigration(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		switch i % 5 {
		case 0:
			fmt.Fprintf(&b, "CREATE TABLE t0_%d (id bigint PRIMARY KEY, name text);\n", i)
		case 1:
			fmt.Fprintf(&b, "CREATE INDEX t0_%d_idx ON users (col_%d);\n", i, i)
		case 2:
			fmt.Fprintf(&b, "ALTER TABLE users ADD COLUMN c_%d text NOT NULL;\n", i)
		case 3:
			fmt.Fprintf(&b, "ALTER TABLE orders ADD COLUMN d_%d integer DEFAULT 0;\n", i)
		default:
			fmt.Fprintf(&b, "UPDATE accounts SET flag_%d = true WHERE id < %d;\n", i, i)
		}
	}
	return b.String()
}

// BenchmarkDidChangeToPublish times one incremental edit of a 1,000-statement
// migration to the publishDiagnostics of its version, in process, without debounce.
func BenchmarkDidChangeToPublish(b *testing.B) {
	c := newClient(b, Options{Logger: zap.NewNop()})
	c.initialize("", "")
	const uri = "file:///tmp/migsafe-bench/0001_big.sql"
	c.open(uri, bigMigration(1000))
	c.waitDiags(uri, 1)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		line := uint32(i*7) % 1000
		v := int32(i + 2)
		c.change(uri, v, rng(line, 0, line, 0), "")
		c.waitDiags(uri, v)
	}
}

// BenchmarkLargeDocumentEdit opens a generated 5 MB migration (internal/bigmigration:
// schema changes with their data, and the same blocks as DDL alone) and times
// one-character edits to the publishDiagnostics of their version, in process, without
// debounce; it reports the median, the 95th percentile, and the process's resident
// memory after the edits (the test client's copies of the document and of the
// diagnostics included, so the server's own is less):
//
//	go test ./lsp -run '^$' -bench LargeDocumentEdit -benchtime 20x
func BenchmarkLargeDocumentEdit(b *testing.B) {
	for _, kind := range []struct {
		name string
		gen  func(int) string
	}{{"with-rows", bigmigration.Generate}, {"ddl-only", bigmigration.DDL}} {
		b.Run(kind.name, func(b *testing.B) {
			c := newClient(b, Options{Logger: zap.NewNop()})
			c.initialize("", "")
			uri := "file:///tmp/migsafe-bench/0001_" + kind.name + ".sql"
			text := kind.gen(5 << 20)
			lines := strings.Count(text, "\n")
			c.open(uri, text)
			c.waitDiags(uri, 1)
			var times []time.Duration
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				line := uint32(i*7919) % uint32(lines)
				v := int32(i + 2)
				start := time.Now()
				c.change(uri, v, rng(line, 0, line, 0), " ")
				c.waitDiags(uri, v)
				times = append(times, time.Since(start))
			}
			b.StopTimer()
			sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
			b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(times[len(times)*95/100].Microseconds())/1000, "p95-ms")
			b.ReportMetric(residentMB(), "RSS-MB")
			c.shutdown()
		})
	}
}

// residentMB is this process's resident memory (VmRSS).
func residentMB() float64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(data), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == "VmRSS:" {
			kb, _ := strconv.ParseFloat(f[1], 64)
			return kb / 1024
		}
	}
	return 0
}

package engine_test

import (
	"runtime"
	"sort"
	"syscall"
	"testing"
	"time"

	"github.com/migsafe/migsafe/engine"
	"github.com/migsafe/migsafe/engine/config"
	"github.com/migsafe/migsafe/engine/migration"
	"github.com/migsafe/migsafe/internal/bigmigration"
)

// BenchmarkEditLargeDDL times the analysis of one-character edits to the generated
// 5 MB DDL-only document (internal/bigmigration.DDL) as the language server runs it
// (KeepSteps, the previous version's result, the document's parse cache), without the
// server: a character typed at column 14 of a line (a table's or an index's name, or
// the UPDATE's table, as lsp's BenchmarkLargeDocumentEdit/ddl-typing types), each edit
// analysed from the one before. It reports the median analysis (p50-ms), the median of
// its process CPU time (cpu-p50-ms: less disturbed by other load on the machine than
// the wall time), and the bytes allocated per edit (MB/edit):
//
//	go test ./engine -run '^$' -bench EditLargeDDL -benchtime 20x
func BenchmarkEditLargeDDL(b *testing.B) {
	text := bigmigration.DDL(5 << 20)
	const path = "/tmp/migsafe-bench-engine/0001_ddl.sql"
	cfg := config.Default()
	var cache migration.ParseCache
	analyse := func(text string, prev *engine.Result) *engine.Result {
		parsed := engine.ParseFile(path, text, cfg, nil, &cache)
		return engine.Analyze(path, text, cfg, engine.Options{Parsed: parsed, Cache: &cache, KeepSteps: true, Previous: prev, NoSiblings: true})
	}
	prev := analyse(text, nil)
	var walls, cpus []time.Duration
	var allocated uint64
	kept := 0
	versions := bigmigration.TypedInNames(text, b.N)
	b.ResetTimer()
	for _, text := range versions {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		cpu0, start := cpuTime(), time.Now()
		prev = analyse(text, prev)
		kept += prev.Kept()
		walls, cpus = append(walls, time.Since(start)), append(cpus, cpuTime()-cpu0)
		runtime.ReadMemStats(&after)
		allocated += after.TotalAlloc - before.TotalAlloc
	}
	b.StopTimer()
	median := func(d []time.Duration) float64 {
		sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
		return float64(d[len(d)/2].Microseconds()) / 1000
	}
	b.ReportMetric(median(walls), "p50-ms")
	b.ReportMetric(median(cpus), "cpu-p50-ms")
	b.ReportMetric(float64(allocated)/float64(b.N)/(1<<20), "MB/edit")
	if b.N > 1 && kept == 0 {
		b.Fatal("the edits kept nothing of the analyses before them")
	}
}

// cpuTime is the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

package lsp

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"

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
// diagnostics included, so the server's own is less), the heap live after them
// (heap-MB: the server's and the client's copy of the text), and the median of the server's
// own analysis of an edit (analysis-p50-ms: the rest is encoding, sending and the
// client's decoding of the diagnostics, the default maxDiagnostics' 1,001 of the DDL
// document's 30,900: all of them were 9.8 MB of JSON an edit):
//
//	go test ./lsp -run '^$' -bench LargeDocumentEdit -benchtime 20x
func BenchmarkLargeDocumentEdit(b *testing.B) {
	for _, kind := range largeEdits {
		b.Run(kind.name, func(b *testing.B) {
			core, logs := observer.New(zap.DebugLevel)
			c := newClient(b, Options{Logger: zap.New(core)})
			c.initialize("", "")
			uri := "file:///tmp/migsafe-bench/0001_" + kind.name + ".sql"
			text := kind.gen(5 << 20)
			c.open(uri, text)
			c.waitDiags(uri, 1)
			b.ResetTimer()
			times := kind.edit(b, c, uri, text)
			b.StopTimer()
			reportTimes(b, times)
			b.ReportMetric(residentMB(), "RSS-MB")
			b.ReportMetric(liveHeapMB(), "heap-MB")
			var took []time.Duration
			for _, e := range logs.FilterMessage("analysed").All() {
				if m := e.ContextMap(); m["version"] != int32(1) {
					took = append(took, m["took"].(time.Duration))
				}
			}
			if len(took) > 0 {
				b.ReportMetric(median(took), "analysis-p50-ms")
			}
			c.shutdown()
		})
	}
}

// largeEdit is a generated 5 MB document and the edit the large-document benchmarks
// repeat in it.
type largeEdit struct {
	name string
	gen  func(int) string
	// col and ins are the edit: a space before a line's statement moves it; a
	// character in a name (column 14 of a line: the table or index name every
	// shape of the DDL has there) changes the statement and what the ones after it
	// see, so only the findings before it are kept.
	col uint32
	ins string
	// every, when not 0, edits only the last line of every such run of lines: the
	// DDL document's UPDATE (ddl-data-typing types into its table's name), which
	// changes no table the statements after it read, so the analysis converges
	// at the next mark and keeps the rest (engine convergence).
	every uint32
}

var largeEdits = []largeEdit{{"with-rows", bigmigration.Generate, 0, " ", 0}, {"ddl-only", bigmigration.DDL, 0, " ", 0}, {"ddl-typing", bigmigration.DDL, 14, "x", 0},
	{"ddl-data-typing", bigmigration.DDL, 14, "x", 5}}

// edit makes b.N edits of text, open in c as version 1, each to the diagnostics of
// its version, and returns how long each took.
func (k largeEdit) edit(b *testing.B, c *testClient, uri, text string) []time.Duration {
	var times []time.Duration
	for i := 0; i < b.N; i++ {
		times = append(times, k.editOnce(c, uri, text, i))
	}
	return times
}

// editOnce makes edit i (version i+2) of text, open in c, and returns how long it
// took to its diagnostics.
func (k largeEdit) editOnce(c *testClient, uri, text string, i int) time.Duration {
	lines := strings.Count(text, "\n")
	line := uint32(i*7919) % uint32(lines)
	if k.every > 0 {
		line = uint32(i*7919)%(uint32(lines)/k.every)*k.every + k.every - 1
	}
	v := int32(i + 2)
	start := time.Now()
	c.change(uri, v, rng(line, k.col, line, k.col), k.ins)
	c.waitDiags(uri, v)
	return time.Since(start)
}

// reportTimes reports the median and the 95th percentile of times.
func reportTimes(b *testing.B, times []time.Duration) {
	sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
	b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(times[len(times)*95/100].Microseconds())/1000, "p95-ms")
}

// median is the median of ts in milliseconds; it sorts ts.
func median(ts []time.Duration) float64 {
	sort.Slice(ts, func(i, j int) bool { return ts[i] < ts[j] })
	return float64(ts[len(ts)/2].Microseconds()) / 1000
}

// liveHeapMB is the heap in use after a collection: what the server keeps live (and
// the test client's copy of the document, 5 MB), without the garbage and the freed
// pages not yet returned that VmRSS also counts.
func liveHeapMB() float64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return float64(m.HeapInuse) / (1 << 20)
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

// historyMigration is migration i of a long history: a table with a primary key and
// an index, and changes to the tables of earlier migrations (a column, a foreign key,
// a widened type).
func historyMigration(i int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "CREATE TABLE t%d (id bigint PRIMARY KEY, name varchar(50), parent_id bigint, created_at timestamptz NOT NULL DEFAULT now());\n", i)
	fmt.Fprintf(&b, "CREATE INDEX t%d_parent_idx ON t%d (parent_id);\n", i, i)
	if i > 1 {
		fmt.Fprintf(&b, "ALTER TABLE t%d ADD COLUMN note_%d text;\n", i-1, i)
		fmt.Fprintf(&b, "ALTER TABLE t%d ADD CONSTRAINT t%d_parent_fk FOREIGN KEY (parent_id) REFERENCES t%d (id) NOT VALID;\n", i, i, i-1)
		fmt.Fprintf(&b, "ALTER TABLE t%d ALTER COLUMN name TYPE varchar(100);\n", i-1)
	}
	return b.String()
}

// lastMigration is the file being edited: 40 statements on tables of the history.
func lastMigration(history int) string {
	var b strings.Builder
	b.WriteString("SET lock_timeout = '5s';\n")
	for i := 0; i < 40; i++ {
		t := 1 + (i*37)%history
		switch i % 4 {
		case 0:
			fmt.Fprintf(&b, "ALTER TABLE t%d ALTER COLUMN name TYPE varchar(200);\n", t)
		case 1:
			fmt.Fprintf(&b, "ALTER TABLE t%d ADD COLUMN extra_%d text;\n", t, i)
		case 2:
			fmt.Fprintf(&b, "ALTER TABLE t%d ADD CONSTRAINT t%d_fk_%d FOREIGN KEY (parent_id) REFERENCES t%d (id);\n", t, t, i, 1+(t%history))
		default:
			fmt.Fprintf(&b, "CREATE INDEX CONCURRENTLY t%d_created_%d ON t%d (created_at);\n", t, i, t)
		}
	}
	return b.String()
}

// BenchmarkEditAfterLongHistory times one edit of the last migration of a
// 500-migration golang-migrate directory to its publishDiagnostics, against the
// same edit of the same file alone in a directory, edits of the two alternating so
// that both see the same machine load. It reports both medians and their ratio:
// the catalog before the last file is cached, so the history costs (nearly) nothing
// per keystroke.
func BenchmarkEditAfterLongHistory(b *testing.B) {
	const history = 500
	long, lone := b.TempDir(), b.TempDir()
	for i := 1; i <= history; i++ {
		if err := os.WriteFile(filepath.Join(long, fmt.Sprintf("%04d_m.up.sql", i)), []byte(historyMigration(i)), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	text := lastMigration(history)
	name := fmt.Sprintf("%04d_last.up.sql", history+1)
	type side struct {
		c     *testClient
		uri   string
		times []time.Duration
	}
	var sides []*side
	var widenings []int
	for _, dir := range []string{long, lone} {
		c := newClient(b, Options{Logger: zap.NewNop()})
		c.initialize("", "")
		u := fileURI(filepath.Join(dir, name))
		c.open(u, text)
		n := 0
		for _, d := range c.waitDiags(u, 1).Diagnostics {
			if d.Code == "changing-column-type" {
				n++
			}
		}
		widenings = append(widenings, n)
		sides = append(sides, &side{c: c, uri: u})
	}
	// With its history the server knows the columns are varchar(100): widening them
	// to varchar(200) is no rewrite. Alone, each is a Verify.
	if widenings[0] != 0 || widenings[1] == 0 {
		b.Fatalf("changing-column-type findings: %d with the history, %d alone; want 0 and some", widenings[0], widenings[1])
	}
	lines := strings.Count(text, "\n")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for k := range sides {
			s := sides[(i+k)%2] // alternate which goes first
			line := uint32(1 + (i*7)%(lines-1))
			v := int32(i + 2)
			start := time.Now()
			s.c.change(s.uri, v, rng(line, 0, line, 0), " ")
			s.c.waitDiags(s.uri, v)
			s.times = append(s.times, time.Since(start))
		}
	}
	b.StopTimer()
	p50 := func(ts []time.Duration) time.Duration {
		sorted := append([]time.Duration(nil), ts...)
		sort.Slice(sorted, func(i, j int) bool { return sorted[i] < sorted[j] })
		return sorted[len(sorted)/2]
	}
	withHistory, alone := p50(sides[0].times), p50(sides[1].times)
	b.ReportMetric(float64(withHistory.Microseconds())/1000, "ms-p50-500-migrations")
	b.ReportMetric(float64(alone.Microseconds())/1000, "ms-p50-lone-file")
	b.ReportMetric(float64(withHistory)/float64(alone), "ratio")
}

// BenchmarkPullAfterEdit times what tests/node/bench.mjs times for pull: a one-character
// edit of a 1,000-statement migration, then textDocument/diagnostic, to its answer, with
// the default debounce; and reports that p50 beside the p50 of the analyses the server
// logged for the same versions ("analysed ... took", as scripts/bench-lsp.sh reads it),
// and their ratio: what the pull costs beyond the analysis (building, encoding and
// transporting the diagnostics, the client's decoding included).
func BenchmarkPullAfterEdit(b *testing.B) {
	core, logs := observer.New(zap.DebugLevel)
	c := newClient(b, Options{Logger: zap.New(core), Debounce: DefaultDebounce})
	c.initialize(`{"textDocument": {"diagnostic": {}}}`, "")
	const uri = "file:///tmp/migsafe-bench/0001_big.sql"
	text := bigMigration(1000)
	c.open(uri, text)
	params := map[string]any{"textDocument": map[string]string{"uri": uri}}
	var first fullReport
	if err := c.call(methodDiagnostic, params, &first); err != nil || len(first.Items) == 0 {
		b.Fatalf("first pull: %v, %d diagnostics", err, len(first.Items))
	}
	lines := strings.Split(text, "\n")
	var pulls []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		line := uint32(i*7) % 1000
		v := int32(i + 2)
		end := uint32(len(lines[line]))
		start := time.Now()
		c.change(uri, v, rng(line, end-1, line, end-1), " ")
		var r fullReport
		if err := c.call(methodDiagnostic, params, &r); err != nil || len(r.Items) != len(first.Items) {
			b.Fatalf("pull %d: %v, %d diagnostics, want %d", v, err, len(r.Items), len(first.Items))
		}
		pulls = append(pulls, time.Since(start))
	}
	b.StopTimer()
	var analyses []time.Duration
	// The last analysis may be logged after its pull is answered.
	for wait := time.Now(); ; time.Sleep(time.Millisecond) {
		analyses = analyses[:0]
		for _, e := range logs.FilterMessage("analysed").All() {
			if v, ok := e.ContextMap()["version"].(int32); ok && v >= 2 {
				analyses = append(analyses, e.ContextMap()["took"].(time.Duration))
			}
		}
		if len(analyses) >= b.N || time.Since(wait) > 5*time.Second {
			break
		}
	}
	if len(analyses) != b.N {
		b.Fatalf("%d analyses logged for %d edits", len(analyses), b.N)
	}
	pull, analysis := median(pulls), median(analyses)
	b.ReportMetric(pull, "pull-p50-ms")
	b.ReportMetric(analysis, "analysis-p50-ms")
	b.ReportMetric(pull/analysis, "ratio")
}

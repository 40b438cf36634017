package project

import (
	"fmt"
	"runtime"
	"testing"

	"github.com/migsafe/migsafe/engine/migration"
	"github.com/migsafe/migsafe/internal/bigmigration"
)

// BenchmarkReplayLargeFile replays one file of DDL alone (internal/bigmigration.DDL:
// every block adds a table, a column and an index to the one users table) statement by
// statement, each catalog a snapshot (as the language server and runbooks keep them),
// and in place (FileReplay: the set replay and check's analyses), at two sizes. The per-statement figures (ns/stmt, and B/stmt allocated) must
// not grow with the file: a table with tens of thousands of columns and indexes costs
// each statement what a small one does.
//
//	go test ./engine/project -run '^$' -bench ReplayLargeFile -benchmem
func BenchmarkReplayLargeFile(b *testing.B) {
	for _, kb := range []int{256, 2048} {
		f := migration.Parse("m/0001_big.sql", bigmigration.DDL(kb<<10), migration.Options{Runner: migration.Plain})
		n := len(f.Statements)
		for _, mode := range []string{"steps", "in-place"} {
			b.Run(fmt.Sprintf("%s/%dKB", mode, kb), func(b *testing.B) {
				var before, after runtime.MemStats
				runtime.ReadMemStats(&before)
				for b.Loop() {
					if mode == "steps" {
						applyEach(nil, f)
					} else {
						(*Catalog)(nil).ApplyFile(f)
					}
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/stmt")
				runtime.ReadMemStats(&after)
				b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(b.N*n), "B/stmt")
			})
		}
	}
}

package engine_test

import (
	"os"
	"testing"

	"github.com/migsafe/migsafe/engine"
	"github.com/migsafe/migsafe/engine/config"
)

// BenchmarkAnalyzeCorpus analyses every file of shared/corpus once per iteration (the
// files are read before timing; sibling down files are read from disk, as the CLI does).
func BenchmarkAnalyzeCorpus(b *testing.B) {
	files := corpusFiles(b)
	cfg := config.Default()
	var bytes int64
	for _, f := range files {
		bytes += int64(len(f.text))
	}
	b.SetBytes(bytes)
	b.ReportAllocs()
	for b.Loop() {
		for _, f := range files {
			engine.Analyze(f.path, f.text, cfg, engine.Options{ReadFile: os.ReadFile})
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/float64(len(files)), "µs/file")
}

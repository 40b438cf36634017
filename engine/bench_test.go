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

// BenchmarkAnalyzeBatchCorpus analyses the corpus as `migsafe check` does: each
// migration set replayed once into its catalog, every file judged in its place.
func BenchmarkAnalyzeBatchCorpus(b *testing.B) {
	files, jobs := corpusJobs(b)
	b.ReportAllocs()
	for b.Loop() {
		for _, o := range engine.AnalyzeBatch(jobs, engine.BatchOptions{}) {
			if o.Err != nil {
				b.Fatal(o.Err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/float64(len(files)), "µs/file")
}

// BenchmarkAnalyzeParsedCorpus measures what `migsafe check` spends after parsing and
// the set replays: each corpus file, parsed once and placed in its migration set
// beforehand, is analysed against its history (rules, locks, the file's own catalog
// replay) and its findings' fix titles are built, as the CLI's reports need them.
func BenchmarkAnalyzeParsedCorpus(b *testing.B) {
	files, jobs := corpusJobs(b)
	cfg := jobs[0].Config
	var done []*engine.Result
	for _, o := range engine.AnalyzeBatch(jobs, engine.BatchOptions{}) {
		if o.Err != nil {
			b.Fatal(o.Err)
		}
		done = append(done, o.Result)
	}
	b.ReportAllocs()
	for b.Loop() {
		for i, r := range done {
			res := engine.Analyze(r.File.Path, files[i].text, cfg, engine.Options{Parsed: r.File, History: r.History, ReadFile: os.ReadFile})
			for _, fd := range res.Findings {
				fd.FixTitles()
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/float64(len(files)), "µs/file")
}

// corpusJobs are the corpus files as check's jobs, under the default config.
func corpusJobs(b *testing.B) ([]corpusFile, []engine.Job) {
	files := corpusFiles(b)
	cfg := config.Default()
	jobs := make([]engine.Job, len(files))
	for i, f := range files {
		jobs[i] = engine.Job{Path: f.path, Text: f.text, Config: cfg}
	}
	return files, jobs
}

package report_test

import (
	"io"
	"testing"

	"github.com/migsafe/migsafe/engine"
	"github.com/migsafe/migsafe/engine/config"
	"github.com/migsafe/migsafe/engine/report"
	"github.com/migsafe/migsafe/internal/corpus"
)

// BenchmarkStreamCorpus writes the JSON and text reports of the whole corpus (analysed
// once, before timing, with the fix titles check attaches), as `check` streams them:
// the report's share of a check run.
func BenchmarkStreamCorpus(b *testing.B) {
	files := corpus.SQLFiles(b)
	cfg := config.Default()
	jobs := make([]engine.Job, len(files))
	for i, f := range files {
		jobs[i] = engine.Job{Path: f.Path, Text: f.Text, Config: cfg}
	}
	var results []*engine.Result
	for _, o := range engine.AnalyzeBatch(jobs, engine.BatchOptions{}) {
		if o.Err != nil {
			b.Fatal(o.Err)
		}
		for _, fd := range o.Result.Findings {
			fd.FixTitles()
		}
		results = append(results, o.Result)
	}
	streams := map[string]func(io.Writer) *report.Stream{
		"json": report.NewJSONStream,
		"text": func(w io.Writer) *report.Stream { return report.NewTextStream(w, report.TextOptions{}) },
	}
	for name, open := range streams {
		b.Run(name, func(b *testing.B) {
			var out countingWriter
			for b.Loop() {
				s := open(&out)
				for _, r := range results {
					if err := s.Add(r); err != nil {
						b.Fatal(err)
					}
				}
				if err := s.Close(); err != nil {
					b.Fatal(err)
				}
			}
			b.SetBytes(out.n / int64(b.N))
		})
	}
}

// countingWriter discards what it is given and counts it.
type countingWriter struct{ n int64 }

func (w *countingWriter) Write(p []byte) (int, error) {
	w.n += int64(len(p))
	return len(p), nil
}

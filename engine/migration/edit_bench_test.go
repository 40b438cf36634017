package migration

import (
	"testing"

	"github.com/migsafe/migsafe/internal/bigmigration"
)

// BenchmarkParseEditLargeDDL times the parse alone of the edits engine's
// BenchmarkEditLargeDDL analyses (a character typed at column 14 of a line of the 5 MB
// DDL document), each parsed through the document's cache from the one before, as the
// language server parses them:
//
//	go test ./engine/migration -run '^$' -bench ParseEditLargeDDL -benchtime 20x
func BenchmarkParseEditLargeDDL(b *testing.B) {
	text := bigmigration.DDL(5 << 20)
	var cache ParseCache
	const path = "/tmp/migsafe-bench/0001_ddl.sql"
	Parse(path, text, Options{Cache: &cache})
	texts := bigmigration.TypedInNames(text, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if f := Parse(path, texts[i], Options{Cache: &cache}); len(f.Statements) == 0 {
			b.Fatal("no statements")
		}
	}
}

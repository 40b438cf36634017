package migration_test

import (
	"runtime"
	"sync"
	"testing"

	pg "github.com/pganalyze/pg_query_go/v5"
	"github.com/pganalyze/pg_query_go/v5/parser"

	"github.com/migsafe/migsafe/engine/migration"
	"github.com/migsafe/migsafe/internal/corpus"
	"github.com/migsafe/migsafe/internal/pgtree"
)

// BenchmarkCorpusFloor is the floor migsafe's front end stands on: each sub-benchmark
// is one pass over every .sql file of the corpus on GOMAXPROCS goroutines, as `check`
// runs. grammar is PostgreSQL's parser alone (pg_query's split, which builds the
// trees and returns only statement boundaries); protobuf adds pg_query's serialisation
// of the trees; go-trees adds their decoding into Go structs (pg_query_go's Parse);
// pgtree builds the same structs straight from the parser's trees (what migsafe uses);
// migsafe is migration.Parse, what `check` does before any rule runs.
// scripts/bench-vs-squawk.sh prints it beside the comparison with squawk.
func BenchmarkCorpusFloor(b *testing.B) {
	files := corpus.SQLFiles(b)
	each := func(b *testing.B, parse func(string)) {
		workers := runtime.GOMAXPROCS(0)
		for b.Loop() {
			var wg sync.WaitGroup
			next := make(chan string)
			for w := 0; w < workers; w++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for text := range next {
						parse(text)
					}
				}()
			}
			for _, f := range files {
				next <- f.Text
			}
			close(next)
			wg.Wait()
		}
	}
	b.Run("grammar", func(b *testing.B) { each(b, func(t string) { parser.SplitWithParser(t, false) }) })
	b.Run("protobuf", func(b *testing.B) { each(b, func(t string) { parser.ParseToProtobuf(t) }) })
	b.Run("go-trees", func(b *testing.B) { each(b, func(t string) { pg.Parse(t) }) })
	b.Run("pgtree", func(b *testing.B) { each(b, func(t string) { pgtree.Parse(t) }) })
	b.Run("migsafe", func(b *testing.B) {
		each(b, func(t string) { migration.Parse("x.sql", t, migration.Options{}) })
	})
}

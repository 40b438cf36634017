package migration_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/migsafe/migsafe/engine/migration"
)

var fuzzPaths = []string{"x.sql", "0001_x.up.sql", "20240101000000_x.sql", "V1__x.sql", "20240101000000_x/migration.sql", "2024-01-01-000000_x/up.sql"}

// FuzzParse splits and parses arbitrary text: no panic and no crash (inputs nested
// deep enough to overflow pg_query's stack are among the seeds); statements in order,
// not overlapping, inside the text, each with a node, an error, or deferred with a
// tree decoded on demand; comments inside the text; errors located inside it; offsets
// and positions convert back and forth.
func FuzzParse(f *testing.F) {
	root := filepath.Join("..", "..", "testdata", "rules")
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".sql") {
			return err
		}
		data, err := os.ReadFile(p)
		if err == nil {
			f.Add(uint8(0), string(data))
			f.Add(uint8(2), "-- +goose Up\n"+string(data))
		}
		return err
	})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(uint8(1), "SELECT 'a;b'; /* ; */ SELECT $$;$$;\r\nSELECT 'é😀'")
	f.Add(uint8(0), "BEGIN; CREATE INDEX CONCURRENTLY i ON t (c); COMMIT;")
	f.Add(uint8(0), "SELECT "+strings.Repeat("1 + ", 29999)+"1; SELECT 2;")
	f.Add(uint8(0), "SELECT "+strings.Repeat("(", 100000)+"1"+strings.Repeat(")", 100000)+"; SELECT 2;")
	f.Add(uint8(0), "SELECT * FROM a"+strings.Repeat(" JOIN a ON true", 30000)+";")
	f.Add(uint8(0), "INSERT INTO t (a, b) VALUES "+strings.Repeat("(1, 'x'), ", 200)+"(2, 'y') ON CONFLICT DO NOTHING;")
	f.Fuzz(func(t *testing.T, which uint8, text string) {
		path := fuzzPaths[int(which)%len(fuzzPaths)]
		file := migration.Parse(path, text, migration.Options{ReadFile: func(string) ([]byte, error) { return nil, fs.ErrNotExist }})
		n := len(text)
		prevEnd := 0
		for i, st := range file.Statements {
			if st.Start < prevEnd || st.End < st.Start || st.End > n || st.Text != text[st.Start:st.End] {
				t.Fatalf("statement %d spans [%d,%d) after %d in %d bytes", i, st.Start, st.End, prevEnd, n)
			}
			if n := btoi(st.Node != nil) + btoi(st.Err != nil) + btoi(st.Deferred); n != 1 {
				t.Fatalf("statement %d %q: node %v, error %v, deferred %v: want exactly one", i, st.Text, st.Node != nil, st.Err, st.Deferred)
			}
			if st.Deferred && (st.Shape == nil || st.Tree() == nil) {
				t.Fatalf("statement %d %q: deferred without a shape or a tree", i, st.Text)
			}
			if st.Err != nil && (st.Err.Offset < 0 || st.Err.Offset > n) {
				t.Fatalf("statement %d: error offset %d outside the text", i, st.Err.Offset)
			}
			for _, tok := range st.Tokens {
				if int(tok.Start) < st.Start || int(tok.End) > st.End || tok.End < tok.Start {
					t.Fatalf("statement %d [%d,%d): token [%d,%d) outside it", i, st.Start, st.End, tok.Start, tok.End)
				}
			}
			prevEnd = st.End
		}
		for _, c := range file.Comments {
			if c.Start < 0 || c.End < c.Start || c.End > n {
				t.Fatalf("comment [%d,%d) outside %d bytes", c.Start, c.End, n)
			}
		}
		for _, e := range file.Errors {
			if e.Offset < 0 || e.Offset > n {
				t.Fatalf("file error at %d outside %d bytes: %s", e.Offset, n, e.Message)
			}
		}
		src := file.Source
		for off := 0; off <= n && off <= 4096; off++ {
			if off < n && !utf8.RuneStart(text[off]) || off > 0 && off < n && text[off] == '\n' && text[off-1] == '\r' {
				continue
			}
			for _, enc := range []migration.Encoding{migration.CodePoints, migration.UTF16, migration.UTF8} {
				pos := src.Position(off, enc)
				if back := src.Offset(pos, enc); back != off {
					t.Fatalf("offset %d -> %+v (encoding %d) -> %d", off, pos, enc, back)
				}
			}
		}
	})
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

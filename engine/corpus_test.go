package engine_test

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/migsafe/migsafe/engine"
	"github.com/migsafe/migsafe/engine/migration"
	"github.com/migsafe/migsafe/internal/corpus"
)

// corpusDir is the shared corpus of real migrations, "" when there is none.
func corpusDir() string { return corpus.Dir() }

type corpusFile struct {
	path, text string
}

// corpusFiles reads every .sql file of the corpus, sorted; it skips the test when the
// corpus is absent.
func corpusFiles(tb testing.TB) []corpusFile {
	tb.Helper()
	root := corpusDir()
	if root == "" {
		tb.Skip("no shared/corpus found above the repository (set MIGSAFE_CORPUS)")
	}
	var files []corpusFile
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".sql") {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		files = append(files, corpusFile{path: p, text: string(data)})
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	if len(files) == 0 {
		tb.Skipf("%s holds no .sql files", root)
	}
	sort.Slice(files, func(i, j int) bool { return files[i].path < files[j].path })
	return files
}

// checkInvariants asserts what every analysis must satisfy whatever the input:
// statements inside the text, in order and not overlapping; findings and problems
// inside the text; offsets and positions converting back and forth.
func checkInvariants(tb testing.TB, res *engine.Result) {
	tb.Helper()
	text := res.File.Source.Text
	n := len(text)
	prevEnd := 0
	for i, st := range res.File.Statements {
		if st.Start < prevEnd || st.End < st.Start || st.End > n {
			tb.Fatalf("%s: statement %d spans [%d,%d), previous ended at %d, text has %d bytes", res.File.Path, i, st.Start, st.End, prevEnd, n)
		}
		if st.Text != text[st.Start:st.End] {
			tb.Fatalf("%s: statement %d text %q is not text[%d:%d]", res.File.Path, i, st.Text, st.Start, st.End)
		}
		prevEnd = st.End
		if st.Err != nil && (st.Err.Offset < 0 || st.Err.Offset > n) {
			tb.Fatalf("%s: statement %d error at %d, outside the text", res.File.Path, i, st.Err.Offset)
		}
	}
	for _, list := range [][]*engine.Finding{res.Findings, res.Suppressed} {
		for _, fd := range list {
			if fd.Start < 0 || fd.End < fd.Start || fd.End > n {
				tb.Fatalf("%s: %s finding spans [%d,%d), text has %d bytes", res.File.Path, fd.Rule.ID, fd.Start, fd.End, n)
			}
			if fd.Stmt != nil && (fd.Start < fd.Stmt.Start || fd.End > fd.Stmt.End) {
				tb.Fatalf("%s: %s finding [%d,%d) is outside its statement [%d,%d)", res.File.Path, fd.Rule.ID, fd.Start, fd.End, fd.Stmt.Start, fd.Stmt.End)
			}
		}
	}
	for _, p := range res.Problems {
		if p.Offset < 0 || p.Offset > n {
			tb.Fatalf("%s: problem %q at %d, outside the text of %d bytes", res.File.Path, p.Message, p.Offset, n)
		}
	}
}

// checkRoundTrip asserts Offset(Position(off)) == off in every encoding for offsets
// that name a character (not the middle of a UTF-8 sequence or of a \r\n pair).
func checkRoundTrip(tb testing.TB, src *migration.Source, offsets []int) {
	tb.Helper()
	text := src.Text
	for _, off := range offsets {
		if off < 0 || off > len(text) || (off < len(text) && !utf8.RuneStart(text[off])) ||
			(off > 0 && off < len(text) && text[off] == '\n' && text[off-1] == '\r') {
			continue
		}
		for _, enc := range []migration.Encoding{migration.CodePoints, migration.UTF16, migration.UTF8} {
			pos := src.Position(off, enc)
			if back := src.Offset(pos, enc); back != off {
				tb.Fatalf("offset %d -> %+v (encoding %d) -> %d in %q", off, pos, enc, back, text)
			}
		}
	}
}

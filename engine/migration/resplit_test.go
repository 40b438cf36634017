package migration

import (
	"math/rand"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/migsafe/migsafe/internal/bigmigration"
	"github.com/migsafe/migsafe/internal/corpus"
)

// splitFragments stress what the splitter's state depends on, besides the scanner's:
// BEGIN ATOMIC bodies and their CASE ... END, runner directives, large INSERTs.
var splitFragments = append([]string{
	"BEGIN", " ATOMIC ", "CASE WHEN true THEN 1 END", " END", "END;", "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END;",
	"-- +goose StatementEnd\n", "-- migrate:up\n", "ALTER TABLE t ADD c int /* ; */;",
	"INSERT INTO t (a) VALUES " + strings.Repeat("(1),", 300) + "(2);",
}, fragments...)

// splitOf is what a full split of text gives, made comparable: chunks without the
// splitter's indexes.
type splitOf struct {
	Chunks   []chunk
	Comments []Comment
	Err      *SyntaxError
}

func fullSplit(text string) splitOf {
	var fresh ParseCache
	return comparable(split(text, &fresh))
}

func comparable(chunks []chunk, comments []Comment, err *SyntaxError) splitOf {
	out := splitOf{Err: err}
	if len(comments) > 0 { // none may be nil or empty
		out.Comments = comments
	}
	for _, c := range chunks {
		c.from, c.to = 0, 0
		if len(c.tokens) == 0 {
			c.tokens = nil
		}
		out.Chunks = append(out.Chunks, c)
	}
	return out
}

// editSplits edits text n times at random, each split through one cache (so from the
// previous edit's split where it can) and compared with a full split.
func editSplits(t *testing.T, r *rand.Rand, name, text string, n int, edit func(string) string) (resplit int) {
	t.Helper()
	var cache ParseCache
	for e := 0; e <= n; e++ {
		before := cache.split
		got := comparable(split(text, &cache))
		if before != nil && cache.split != nil && cache.split != before && cache.split.text == text {
			resplit++
		}
		if want := fullSplit(text); !reflect.DeepEqual(got, want) {
			t.Fatalf("%s edit %d: split from the previous edit's differs from a full split of %q:\n got %+v\nwant %+v", name, e, text, got, want)
		}
		text = edit(text)
	}
	return resplit
}

func randomEdit(r *rand.Rand, frags []string) func(string) string {
	return func(text string) string {
		i := r.Intn(len(text) + 1)
		j := i + r.Intn(min(len(text)-i, 12)+1)
		var b strings.Builder
		for k := r.Intn(3); k > 0; k-- {
			b.WriteString(frags[r.Intn(len(frags))])
		}
		return text[:i] + b.String() + text[j:]
	}
}

// typeOrFragment mostly types a character into a line, at a column where the
// generated documents have names or values, as a user types; sometimes it inserts
// fragments at random (which may open a string or a body to the end of the text).
func typeOrFragment(r *rand.Rand) func(string) string {
	fragment := randomEdit(r, splitFragments)
	return func(text string) string {
		if r.Intn(8) == 0 {
			return fragment(text)
		}
		lines := strings.Split(text, "\n")
		l := r.Intn(len(lines))
		col := min(len(lines[l]), 3+r.Intn(20))
		lines[l] = lines[l][:col] + string(rune('a'+r.Intn(26))) + lines[l][col:]
		return strings.Join(lines, "\n")
	}
}

func TestResplitMatchesFullSplit(t *testing.T) {
	r := rand.New(rand.NewSource(2))
	resplit := 0
	for round := 0; round < 300; round++ {
		var b strings.Builder
		for k := 5 + r.Intn(40); k > 0; k-- {
			b.WriteString(splitFragments[r.Intn(len(splitFragments))])
		}
		resplit += editSplits(t, r, "random", b.String(), 20, randomEdit(r, splitFragments))
	}
	if resplit < 1000 {
		t.Errorf("only %d splits reused the one before: the test hardly exercises resplit", resplit)
	}
}

func TestResplitMatchesFullSplitOnCorpusAndGenerated(t *testing.T) {
	r := rand.New(rand.NewSource(3))
	// The generated documents always (the corpus is not beside every checkout), with
	// edits enough that the count below does not hang on the corpus.
	generated := 0
	for _, g := range []struct {
		name string
		text string
	}{{"ddl", bigmigration.DDL(200 << 10)}, {"generated", bigmigration.Generate(200 << 10)}} {
		generated += editSplits(t, r, g.name, g.text, 60, typeOrFragment(r))
	}
	if generated < 30 {
		t.Errorf("only %d splits of the generated documents reused the one before", generated)
	}
	if corpus.Dir() == "" {
		return
	}
	files := corpus.SQLFiles(t)
	sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	r.Shuffle(len(files), func(i, j int) { files[i], files[j] = files[j], files[i] }) // the same edits every run
	resplit := 0
	for _, f := range files[:min(len(files), 150)] {
		if f.Text != "" {
			resplit += editSplits(t, r, f.Path, f.Text, 10, randomEdit(r, splitFragments))
		}
	}
	if resplit < 300 {
		t.Errorf("only %d splits of corpus files reused the one before", resplit)
	}
}

// TestResplitEdgeVersions: versions one cache splits in turn that empty the text, end
// it without a ';', leave a string or a BEGIN ATOMIC body open, or only repeat it.
func TestResplitEdgeVersions(t *testing.T) {
	var cache ParseCache
	for i, text := range []string{
		"SELECT 1;", "", "SELECT 1; SELECT 2;", "SELECT 1; SELECT 2;", "SELECT 1; SELECT 22;", "SELECT 1; SELECT 22",
		"SELECT 1; SELECT 'x; SELECT 3;", "SELECT 1; SELECT 'x'; SELECT 3;", "CREATE FUNCTION f() RETURNS int BEGIN ATOMIC SELECT 1; SELECT 3;",
		"CREATE FUNCTION f() RETURNS int BEGIN ATOMIC SELECT 1; END; SELECT 3;", "-- c\nSELECT 1; -- +goose StatementEnd\nSELECT 3;", ";;;", "SELECT 1;;",
	} {
		if got, want := comparable(split(text, &cache)), fullSplit(text); !reflect.DeepEqual(got, want) {
			t.Errorf("version %d %q: got %+v, want %+v", i, text, got, want)
		}
	}
}

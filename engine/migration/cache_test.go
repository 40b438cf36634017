package migration

import (
	"math/rand"
	"reflect"
	"strings"
	"testing"
)

// fragments are pieces of SQL whose semicolons and quotes stress the incremental scan.
var fragments = []string{
	"SELECT 1;", " ", "\n", "CREATE INDEX i ON t (a);", "'a;b'", "$$ x; y $$", "$q$;$q$",
	"-- c;\n", "/* ; */", "\"we;ird\"", "'", "$$", "/*", "*/", ";", "é😀", "E'\\';'", "BEGIN ATOMIC SELECT 1; END;",
}

func randomText(r *rand.Rand, n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteString(fragments[r.Intn(len(fragments))])
	}
	return b.String()
}

func TestIncrementalScanMatchesFullScan(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	derived, fellBack := 0, 0
	for round := 0; round < 300; round++ {
		var cache ParseCache
		text := randomText(r, 5+r.Intn(40))
		for edit := 0; edit < 20; edit++ {
			if _, _, ok := rescan(cache.text, cache.tokens, text); ok {
				derived++
			} else {
				fellBack++
			}
			got, _, gotAt, gotErr := cache.scan(text)
			want, wantAt, wantErr := scan(text)
			if (gotErr == nil) != (wantErr == nil) || gotAt != wantAt || !reflect.DeepEqual(got, want) {
				t.Fatalf("round %d edit %d: incremental scan differs from a full scan of %q:\n got %v %d %v\nwant %v %d %v",
					round, edit, text, got, gotAt, gotErr, want, wantAt, wantErr)
			}
			// Replace a random span with a random fragment.
			i := r.Intn(len(text) + 1)
			j := i + r.Intn(min(len(text)-i, 12)+1)
			text = text[:i] + randomText(r, r.Intn(3)) + text[j:]
		}
	}
	// Both paths ran: tokens derived from the previous scan, and full rescans.
	if derived < 100 || fellBack < 100 {
		t.Errorf("derived %d, fell back %d: the test does not exercise both paths", derived, fellBack)
	}
}

func TestIncrementalScanDerivesMiddleEdits(t *testing.T) {
	var b strings.Builder
	for i := 0; i < 1000; i++ {
		b.WriteString("ALTER TABLE users ADD COLUMN c text;\n")
	}
	text := b.String()
	tokens, _, err := scan(text)
	if err != nil {
		t.Fatal(err)
	}
	mid := len(text) / 2
	for _, edited := range []string{
		text[:mid] + " " + text[mid:],             // a space
		text[:mid] + "x" + text[mid+1:],           // a changed character
		text[:mid] + "SELECT 'a;b';" + text[mid:], // a new statement with a ';' in a string
	} {
		got, _, ok := rescan(text, tokens, edited)
		want, _, _ := scan(edited)
		if !ok || !reflect.DeepEqual(got, want) {
			t.Errorf("edit in the middle: derived %v, equal to a full scan %v", ok, reflect.DeepEqual(got, want))
		}
	}
	// An edit that opens a string reaching past the next ';' cannot be derived.
	if _, _, ok := rescan(text, tokens, text[:mid]+"'"+text[mid:]); ok {
		t.Error("an unterminated quote was derived instead of rescanned")
	}
}

// TestParseCacheKeepsTreesWithTheirText: over random edits, a statement's tree is
// always the one parsed from its text (a reused tree is only ever given to the same
// text, and at the same place in it), its tokens are an uncached parse's (shared
// with the cache's or, around a comment, not), and unchanged statements keep their
// trees.
func TestParseCacheKeepsTreesWithTheirText(t *testing.T) {
	r := rand.New(rand.NewSource(2))
	stmts := []string{"CREATE TABLE a (id int);", "CREATE INDEX i ON a (id);", "ALTER TABLE a ADD COLUMN b text;",
		"SELECT 1;", "DROP TABLE a;", "UPDATE a SET b = 'x;y';", "ALTER TABLE a /* why */ DROP COLUMN b;", "SELECT -- now\n 2;"}
	type seen struct {
		text string
		rel  int
	}
	reused := 0
	for round := 0; round < 50; round++ {
		var b strings.Builder
		for i := 0; i < 40; i++ {
			b.WriteString(stmts[r.Intn(len(stmts))] + "\n")
		}
		text := b.String()
		var cache ParseCache
		trees := map[any]seen{}
		for edit := 0; edit < 20; edit++ {
			f := Parse("m.sql", text, Options{Cache: &cache})
			plain := Parse("m.sql", text, Options{})
			if len(plain.Statements) != len(f.Statements) {
				t.Fatalf("round %d edit %d: %d statements, %d uncached", round, edit, len(f.Statements), len(plain.Statements))
			}
			for i, s := range f.Statements {
				if !reflect.DeepEqual(s.Tokens, plain.Statements[i].Tokens) {
					t.Fatalf("round %d edit %d: statement %q has tokens %v, uncached %v", round, edit, s.Text, s.Tokens, plain.Statements[i].Tokens)
				}
			}
			for _, s := range f.Statements {
				if s.Node == nil {
					continue
				}
				now := seen{s.Text, s.Start - s.Base}
				if was, ok := trees[s.Node]; !ok {
					trees[s.Node] = now
				} else if was != now {
					t.Fatalf("round %d edit %d: statement %q at %d has the tree of %q (rel %d, now %d)", round, edit, s.Text, s.Start, was.text, was.rel, now.rel)
				} else {
					reused++
				}
			}
			// Insert, delete or replace a span, sometimes a whole statement.
			i := r.Intn(len(text) + 1)
			j := i + r.Intn(min(len(text)-i, 30)+1)
			ins := randomText(r, r.Intn(3))
			if r.Intn(3) == 0 {
				ins = stmts[r.Intn(len(stmts))] + "\n"
			}
			text = text[:i] + ins + text[j:]
		}
	}
	if reused < 10000 {
		t.Errorf("%d trees reused: the cache does not keep unchanged statements", reused)
	}
}

// TestParseCacheReparsesOnlyTheEdit: an edit in the middle of a long document
// re-parses the statement it touched; those before and after keep their trees,
// duplicates of the edited text included.
func TestParseCacheReparsesOnlyTheEdit(t *testing.T) {
	var b strings.Builder
	for i := 0; i < 2000; i++ {
		b.WriteString("ALTER TABLE users ADD COLUMN c text;\n")
	}
	v1 := b.String()
	var cache ParseCache
	f1 := Parse("m.sql", v1, Options{Cache: &cache})
	at := 1000 * len("ALTER TABLE users ADD COLUMN c text;\n")
	v2 := v1[:at] + "ALTER TABLE users ADD COLUMN c int;\n" + v1[at:]
	f2 := Parse("m.sql", v2, Options{Cache: &cache})
	for i, s := range f2.Statements {
		switch {
		case i < 1000 && s.Node != f1.Statements[i].Node, i > 1000 && s.Node != f1.Statements[i-1].Node:
			t.Fatalf("statement %d was parsed again", i)
		case i == 1000 && (s.Node == nil || s.Node == f1.Statements[i].Node):
			t.Fatalf("the inserted statement has tree %p", s.Node)
		}
		if i > 1000 {
			if off := s.Pos(s.Node.GetAlterTableStmt().Relation.Location); v2[off:off+5] != "users" {
				t.Fatalf("statement %d: its table maps to %q", i, v2[off:off+5])
			}
		}
	}
}

func TestCommonEnds(t *testing.T) {
	r := rand.New(rand.NewSource(3))
	for n := 0; n < 300; n++ {
		a := strings.Repeat("x", r.Intn(20000))
		i := r.Intn(len(a) + 1)
		j := i + r.Intn(len(a)-i+1)
		b := a[:i] + strings.Repeat("y", r.Intn(3)) + a[j:]
		p, s := commonEnds(a, b)
		wp, ws := 0, 0
		for wp < len(a) && wp < len(b) && a[wp] == b[wp] {
			wp++
		}
		for ws < len(a)-wp && ws < len(b)-wp && a[len(a)-1-ws] == b[len(b)-1-ws] {
			ws++
		}
		if p != wp || s != ws {
			t.Fatalf("commonEnds(%d bytes, %d bytes) = %d, %d, want %d, %d", len(a), len(b), p, s, wp, ws)
		}
	}
}

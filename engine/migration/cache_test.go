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
			if _, ok := rescan(cache.text, cache.tokens, text); ok {
				derived++
			} else {
				fellBack++
			}
			got, gotAt, gotErr := cache.scan(text)
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
		got, ok := rescan(text, tokens, edited)
		want, _, _ := scan(edited)
		if !ok || !reflect.DeepEqual(got, want) {
			t.Errorf("edit in the middle: derived %v, equal to a full scan %v", ok, reflect.DeepEqual(got, want))
		}
	}
	// An edit that opens a string reaching past the next ';' cannot be derived.
	if _, ok := rescan(text, tokens, text[:mid]+"'"+text[mid:]); ok {
		t.Error("an unterminated quote was derived instead of rescanned")
	}
}

package migration

import (
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"

	"github.com/migsafe/migsafe/internal/corpus"
)

// TestNameTestsAreTheRegexps: the name tests skip the regexps only for names they
// cannot match, on the corpus's names and on names built to be near misses.
func TestNameTestsAreTheRegexps(t *testing.T) {
	names := []string{"", "1_a.up.sql", "1_a.down.sql", "12_.up.sql", "x1_a.up.sql", "1_a.up.SQL",
		"0001_init.sql", "1_a\n.up.sql", "V1__init.sql", "U1__init.sql", "R__view.sql", "V1_2__a.sql",
		"v1__init.sql", "V__init.sql", "R_view.sql", "V1__.sql", "Vx__a.sql", "up.sql", "down.sql",
		"V1.2.3__a.sql", "V1._2__a.sql", "V1__a\n.sql", "R__a\nb.sql", "R__.sql", "V1__x", "1_a.up.sql.up.sql",
		"1__a.up.sql", "1_.up.sql", "123", "\xff1_a.up.sql", "1_\xff.up.sql", "V1_2_3__d.sql", "V1___d.sql",
		"V1_2___d.sql", "V1.__d.sql", "V1__d.SQL", "U2__undo.sql", "1_a.down.sql.sql", "R__R__.sql"}
	for _, f := range corpus.SQLFiles(t) {
		names = append(names, filepath.Base(f.Path))
	}
	// And names made of the pieces the regexps look for, at random: a runner's start,
	// anything, a runner's end.
	starts := []string{"V", "U", "R__", "R_", "1_", "22_", "V1", "U2.", "x", ""}
	pieces := []string{"V", "U", "R", "_", "__", ".", "1", "22", "a", "\n", ".sql", ".up", ".down", "up", "down"}
	ends := []string{".sql", ".up.sql", ".down.sql", ".SQL", ""}
	rnd := rand.New(rand.NewPCG(1, 2))
	for range 50_000 {
		var b strings.Builder
		b.WriteString(starts[rnd.IntN(len(starts))])
		for range rnd.IntN(5) {
			b.WriteString(pieces[rnd.IntN(len(pieces))])
		}
		b.WriteString(ends[rnd.IntN(len(ends))])
		names = append(names, b.String())
	}
	matched := 0
	for _, n := range names {
		if golangMigrateName.MatchString(n) || flywayName.MatchString(n) {
			matched++
		}
		if got, want := isGolangMigrateName(n), golangMigrateName.MatchString(n); got != want {
			t.Errorf("isGolangMigrateName(%q) = %v, the regexp says %v", n, got, want)
		}
		if got, want := isFlywayName(n), flywayName.MatchString(n); got != want {
			t.Errorf("isFlywayName(%q) = %v, the regexp says %v", n, got, want)
		}
		m := flywayName.FindStringSubmatch(n)
		if v, r, _ := flywayParts(n); m != nil && (v != m[2] || r != (m[4] != "")) || m == nil && (v != "" || r) {
			t.Errorf("flywayParts(%q) = %q, %v; the regexp says %q", n, v, r, m)
		}
	}
	if matched < 5000 {
		t.Errorf("only %d of %d names match a runner's name: too few to compare the tests on", matched, len(names))
	}
}

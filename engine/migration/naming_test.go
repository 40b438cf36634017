package migration

import (
	"path/filepath"
	"testing"

	"github.com/migsafe/migsafe/internal/corpus"
)

// TestNameTestsAreTheRegexps: the name tests skip the regexps only for names they
// cannot match, on the corpus's names and on names built to be near misses.
func TestNameTestsAreTheRegexps(t *testing.T) {
	names := []string{"", "1_a.up.sql", "1_a.down.sql", "12_.up.sql", "x1_a.up.sql", "1_a.up.SQL",
		"0001_init.sql", "1_a\n.up.sql", "V1__init.sql", "U1__init.sql", "R__view.sql", "V1_2__a.sql",
		"v1__init.sql", "V__init.sql", "R_view.sql", "V1__.sql", "Vx__a.sql", "up.sql", "down.sql"}
	for _, f := range corpus.SQLFiles(t) {
		names = append(names, filepath.Base(f.Path))
	}
	for _, n := range names {
		if got, want := isGolangMigrateName(n), golangMigrateName.MatchString(n); got != want {
			t.Errorf("isGolangMigrateName(%q) = %v, the regexp says %v", n, got, want)
		}
		if got, want := isFlywayName(n), flywayName.MatchString(n); got != want {
			t.Errorf("isFlywayName(%q) = %v, the regexp says %v", n, got, want)
		}
	}
}

package migration

import (
	"path/filepath"
	"strings"
	"testing"
)

// FuzzNames reads arbitrary migration paths as each runner names its files: no
// panic (a 40-digit version, a 255-byte name, bytes that are not UTF-8 among the
// seeds); the name tests are the regexps they replace; a version is read from the
// name (digits for the runners that order by number, Flyway's dotted parts); and a
// down file found for an up one leads back to it.
func FuzzNames(f *testing.F) {
	for _, p := range []string{
		"db/migrations/0001_init.up.sql", "db/migrations/0001_init.down.sql", "20240101000000_x.sql",
		"sql/V1.2__a.sql", "sql/U1_2__a.sql", "sql/R__view.sql", "migrations/2024-01-01-000000_x/up.sql",
		"prisma/migrations/20240101000000_x/migration.sql", "deploy/users.sql", "revert/users.sql",
		"0001.up.sql", "0001_name_down.sql", "1234567890123456789012345678901234567890_big.up.sql",
		strings.Repeat("9", 251) + ".sql", "V" + strings.Repeat("1.", 120) + "1__x.sql",
		"\xff1_a.up.sql", "1_a\n.up.sql", "", "/", "..", "V1__x", "1_a.up.sql.up.sql",
	} {
		f.Add(p)
	}
	runners := []Runner{Plain, GolangMigrate, Goose, Dbmate, Flyway, Sqitch, Prisma, Diesel}
	f.Fuzz(func(t *testing.T, path string) {
		path = filepath.Clean(path) // as a walk gives them: "deploy/" is no file in deploy
		base := filepath.Base(path)
		if got, want := isGolangMigrateName(base), golangMigrateName.MatchString(base); got != want {
			t.Fatalf("%q: isGolangMigrateName %v, the regexp %v", base, got, want)
		}
		if got, want := isFlywayName(base), flywayName.MatchString(base); got != want {
			t.Fatalf("%q: isFlywayName %v, the regexp %v", base, got, want)
		}
		DownOnly(path) // runner-blind: "revert/V" is sqitch's down file and "V" Flyway's prefix
		FlywayRepeatable(path)
		for _, r := range runners {
			v := Version(path, r)
			switch r {
			case GolangMigrate, Goose, Dbmate:
				if v != "" && (!allDigits(v) || !strings.HasPrefix(base, v)) {
					t.Fatalf("%s %q: version %q", r, path, v)
				}
			case Flyway:
				if v != "" && (strings.Trim(v, "0123456789.") != "" || !isDigit(v[0]) || !isDigit(v[len(v)-1])) {
					t.Fatalf("%s %q: version %q", r, path, v)
				}
			}
			if s := DownSibling(path, r); s != "" {
				if DownOnly(s) {
					if up := UpSibling(s, r); up != filepath.Clean(path) {
						t.Fatalf("%s %q: down sibling %q, whose up sibling is %q", r, path, s, up)
					}
				}
			}
			UpSibling(path, r)
		}
	})
}

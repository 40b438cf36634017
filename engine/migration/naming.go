package migration

import (
	"path/filepath"
	"regexp"
	"strings"
)

// The runners' file names, as their documentation and source give them. These are
// the facts about one file's name; engine/project orders whole directories of them.
var (
	// golang-migrate: {version}_{title}.up.{ext} and .down.{ext} (migrate's own
	// regexp is ^([0-9]+)_(.*)\.(down|up)\.(.*)$).
	golangMigrateName = regexp.MustCompile(`^(\d+)_(.+)\.(up|down)\.sql$`)
	// Flyway: V{version}__{description}.sql (version parts separated by . or _),
	// U{version}__ for undo, R__{description} for repeatable migrations.
	flywayName = regexp.MustCompile(`^(?:([VU])(\d+(?:[._]\d+)*)__(.+)|R__(.+))\.sql$`)
	// Plain up/down pairs: NNNN.up.sql with NNNN.down.sql, NNNN_name_up.sql with
	// NNNN_name_down.sql. A leading number keeps ordinary names ending in _up out.
	plainPair = regexp.MustCompile(`^(\d.*?)([._-])(up|down)\.sql$`)
)

// isGolangMigrateName and isFlywayName are golangMigrateName.MatchString and
// flywayName.MatchString written out (TestNameTestsAreTheRegexps holds them
// together): every file's runner is detected by its name, in a batch and in the code
// index, and the regexps' backtracking over long names cost more than the rest of the
// detection.
func isGolangMigrateName(base string) bool {
	i := digits(base, 0)
	if i == 0 || i == len(base) || base[i] != '_' {
		return false
	}
	rest := base[i+1:]
	title, ok := strings.CutSuffix(rest, ".up.sql")
	if !ok {
		title, ok = strings.CutSuffix(rest, ".down.sql")
	}
	return ok && nameTitle(title)
}

func isFlywayName(base string) bool {
	_, _, ok := flywayParts(base)
	return ok
}

// flywayParts is flywayName.FindStringSubmatch written out: the version of a V or U
// name (its (\d+(?:[._]\d+)*)), or repeatable for an R__ one; ok is false when the
// name is not Flyway's. Version and FlywayRepeatable ran the regexp for every file of
// a Flyway set's listing (0.3% of a corpus check).
func flywayParts(base string) (version string, repeatable, ok bool) {
	if title, ok := strings.CutPrefix(base, "R__"); ok {
		title, ok = strings.CutSuffix(title, ".sql")
		return "", ok && nameTitle(title), ok && nameTitle(title)
	}
	if base == "" || base[0] != 'V' && base[0] != 'U' {
		return "", false, false
	}
	// The version: digits, then groups of '.' or '_' and digits. The regexp can only
	// match with all of it (what follows it must be "__").
	i := digits(base, 1)
	if i == 1 {
		return "", false, false
	}
	for i+1 < len(base) && (base[i] == '.' || base[i] == '_') && isDigit(base[i+1]) {
		i = digits(base, i+1)
	}
	title, ok := strings.CutPrefix(base[i:], "__")
	if !ok {
		return "", false, false
	}
	title, ok = strings.CutSuffix(title, ".sql")
	if !ok || !nameTitle(title) {
		return "", false, false
	}
	return base[1:i], false, true
}

// digits is the end of the run of ASCII digits (the regexps' \d) at i.
func digits(s string, i int) int {
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	return i
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// nameTitle is the regexps' (.+): one character or more, none a newline.
func nameTitle(s string) bool { return s != "" && !strings.Contains(s, "\n") }

// DownOnly reports files that hold only a down (or verify) script by their runner's
// naming: golang-migrate's .down.sql, Diesel's down.sql, Flyway's U files, sqitch's
// revert and verify scripts, the down half of a plain NNNN.up.sql / NNNN.down.sql pair.
// Their up migration's analysis covers them, so directory walks skip them.
func DownOnly(path string) bool {
	base := filepath.Base(path)
	dir := filepath.Base(filepath.Dir(path))
	switch {
	case isGolangMigrateName(base):
		return strings.HasSuffix(base, ".down.sql")
	case isFlywayName(base):
		return strings.HasPrefix(base, "U")
	case base == "down.sql":
		return true
	case plainPair.MatchString(base):
		return plainPair.FindStringSubmatch(base)[3] == "down"
	}
	return dir == "revert" || dir == "verify"
}

// DownSibling is the file that holds the down migration of an up migration file in
// the runner's layout; "" when the runner keeps the down elsewhere (a section) or
// has none.
func DownSibling(path string, r Runner) string {
	dir, base := filepath.Dir(path), filepath.Base(path)
	var sibling string
	switch r {
	case GolangMigrate:
		if strings.HasSuffix(base, ".up.sql") {
			sibling = strings.TrimSuffix(base, ".up.sql") + ".down.sql"
		}
	case Diesel:
		if base == "up.sql" {
			sibling = "down.sql"
		}
	case Flyway:
		if strings.HasPrefix(base, "V") {
			sibling = "U" + base[1:]
		}
	case Sqitch:
		if filepath.Base(dir) == "deploy" {
			sibling = filepath.Join("..", "revert", base)
		}
	case Plain:
		if m := plainPair.FindStringSubmatch(base); m != nil && m[3] == "up" {
			sibling = m[1] + m[2] + "down.sql"
		}
	}
	if sibling == "" {
		return ""
	}
	return filepath.Join(dir, sibling)
}

// UpSibling is the up migration a down-only file belongs to; "" when it is not one.
func UpSibling(path string, r Runner) string {
	dir, base := filepath.Dir(path), filepath.Base(path)
	var sibling string
	switch {
	case isGolangMigrateName(base) && strings.HasSuffix(base, ".down.sql"):
		sibling = strings.TrimSuffix(base, ".down.sql") + ".up.sql"
	case base == "down.sql":
		sibling = "up.sql"
	case isFlywayName(base) && strings.HasPrefix(base, "U"):
		sibling = "V" + base[1:]
	case filepath.Base(dir) == "revert":
		sibling = filepath.Join("..", "deploy", base)
	case plainPair.MatchString(base):
		if m := plainPair.FindStringSubmatch(base); m[3] == "down" {
			sibling = m[1] + m[2] + "up.sql"
		}
	}
	if sibling == "" {
		return ""
	}
	return filepath.Join(dir, sibling)
}

// Version is a migration file's version as its runner reads the name: the number
// before the first underscore (golang-migrate, goose, dbmate), Flyway's dotted version,
// the directory name's leading part for Diesel and Prisma; "" when the name carries
// none (plain files, sqitch, Flyway repeatables).
func Version(path string, r Runner) string {
	base := filepath.Base(path)
	switch r {
	case GolangMigrate, Goose, Dbmate:
		if i := strings.IndexByte(base, '_'); i > 0 && allDigits(base[:i]) {
			return base[:i]
		}
		if i := strings.IndexByte(base, '.'); i > 0 && allDigits(base[:i]) {
			return base[:i]
		}
	case Flyway:
		if v, _, ok := flywayParts(base); ok && v != "" {
			return strings.ReplaceAll(v, "_", ".")
		}
	case Diesel, Prisma:
		d := filepath.Base(filepath.Dir(path))
		if i := strings.IndexByte(d, '_'); i > 0 {
			return d[:i]
		}
		return d
	}
	return ""
}

// FlywayRepeatable reports Flyway's R__ migrations, which run after every versioned
// one, in description order.
func FlywayRepeatable(path string) bool {
	_, repeatable, _ := flywayParts(filepath.Base(path))
	return repeatable
}

func allDigits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}

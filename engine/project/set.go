package project

import (
	"bufio"
	"bytes"
	"cmp"
	"fmt"
	"iter"
	"maps"
	"math/big"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/migsafe/migsafe/engine/migration"
)

// Migration is one migration of a set.
type Migration struct {
	// Up is the file the runner applies (for goose and dbmate, the file holding both
	// sections); Down the separate file that reverses it, "" when there is none or the
	// down is a section of Up.
	Up, Down string
	// Version is the migration's version as the runner reads it ("" for plain and
	// sqitch migrations and Flyway repeatables, which are ordered by name or plan).
	Version string
	// Repeatable marks Flyway's R__ migrations.
	Repeatable bool
	// Opaque marks a migration migsafe cannot read (a goose migration written in Go):
	// its effects on the schema are unknown.
	Opaque bool
}

// Set is the ordered migrations of one runner in one place.
type Set struct {
	Runner migration.Runner
	// Dir is the directory the runner reads (for Diesel and Prisma the parent of the
	// per-migration directories, for sqitch the project holding sqitch.plan).
	Dir        string
	Migrations []Migration
	// index maps up and down paths to positions; built once the set is complete.
	index map[string]int
	// latest caches newest's scan per version format: the planner lays out every
	// fix it tries, and a set holds hundreds of migrations.
	mu     sync.Mutex
	latest map[versionFormat]version
}

// Index is the position of the migration whose up or down file is path; -1 when
// path is not in the set.
func (s *Set) Index(path string) int {
	if i, ok := s.index[filepath.Clean(path)]; ok {
		return i
	}
	return -1
}

// Paths are the up and down files the set lists: the paths Index knows, in no order.
func (s *Set) Paths() iter.Seq[string] { return maps.Keys(s.index) }

func (s *Set) reindex() {
	s.index = make(map[string]int, 2*len(s.Migrations))
	for i, m := range s.Migrations {
		s.index[m.Up] = i
		if m.Down != "" {
			s.index[m.Down] = i
		}
	}
}

// Discover finds the ordered migration set that the file at path belongs to under
// runner, reading directories through fsys. A file that is not in its directory's
// listing (an unsaved buffer) is placed where its name sorts. A path in no
// directory-based layout gives a set of that file alone.
func Discover(fsys FS, path string, runner migration.Runner) (*Set, error) {
	path = filepath.Clean(path)
	s := &Set{Runner: runner, Dir: filepath.Dir(path)}
	var err error
	switch runner {
	case migration.GolangMigrate, migration.Goose, migration.Dbmate:
		err = s.versioned(fsys)
	case migration.Flyway:
		err = s.flyway(fsys)
	case migration.Sqitch:
		err = s.sqitch(fsys, path)
	case migration.Diesel, migration.Prisma:
		err = s.directories(fsys, path)
	case migration.Rails, migration.Django, migration.Alembic, migration.Knex, migration.TypeORM, migration.Sequelize:
		err = s.ormSet(fsys, path)
	default:
		err = s.plain(fsys)
	}
	if err != nil {
		return nil, err
	}
	s.reindex()
	if s.Index(path) < 0 {
		s.insert(path)
		s.reindex()
	}
	return s, nil
}

// versioned lists golang-migrate, goose and dbmate migrations: files named
// {version}_{name}, ordered by the version as a number (the runners parse it as one:
// timestamps and sequence numbers may mix).
func (s *Set) versioned(fsys FS) error {
	entries, err := fsys.ReadDir(s.Dir)
	if err != nil {
		return err
	}
	downs := map[string]string{}
	for _, e := range entries {
		if e.Dir {
			continue
		}
		p := filepath.Join(s.Dir, e.Name)
		v := migration.Version(p, s.Runner)
		switch {
		case v == "":
		case s.Runner == migration.GolangMigrate && strings.HasSuffix(e.Name, ".down.sql"):
			downs[migration.UpSibling(p, s.Runner)] = p
		case s.Runner == migration.GolangMigrate && strings.HasSuffix(e.Name, ".up.sql"),
			s.Runner != migration.GolangMigrate && strings.HasSuffix(e.Name, ".sql"):
			s.Migrations = append(s.Migrations, Migration{Up: p, Version: v})
		case s.Runner == migration.Goose && strings.HasSuffix(e.Name, ".go") && !strings.HasSuffix(e.Name, "_test.go"):
			s.Migrations = append(s.Migrations, Migration{Up: p, Version: v, Opaque: true})
		}
	}
	for i := range s.Migrations {
		s.Migrations[i].Down = downs[s.Migrations[i].Up]
	}
	s.sort()
	return nil
}

// flyway lists Flyway migrations under the location the file is in, recursively
// (Flyway scans subdirectories: one per release is common): versioned migrations by
// version, then repeatable ones by description.
func (s *Set) flyway(fsys FS) error {
	s.Dir = flywayLocation(fsys, s.Dir)
	downs := map[string]string{}
	var walk func(dir string, depth int) error
	walk = func(dir string, depth int) error {
		entries, err := fsys.ReadDir(dir)
		if err != nil {
			return err
		}
		for _, e := range entries {
			p := filepath.Join(dir, e.Name)
			switch {
			case e.Dir && depth < 4 && !strings.HasPrefix(e.Name, "."):
				if err := walk(p, depth+1); err != nil {
					return err
				}
			case e.Dir:
			case migration.FlywayRepeatable(p):
				s.Migrations = append(s.Migrations, Migration{Up: p, Repeatable: true})
			case strings.HasPrefix(e.Name, "U") || strings.HasPrefix(e.Name, "V"):
				// The version read once: its pattern is most of a listing's time.
				switch v := migration.Version(p, s.Runner); {
				case v == "":
				case e.Name[0] == 'U':
					downs[migration.UpSibling(p, s.Runner)] = p
				default:
					s.Migrations = append(s.Migrations, Migration{Up: p, Version: v})
				}
			}
		}
		return nil
	}
	if err := walk(s.Dir, 0); err != nil {
		return err
	}
	for i := range s.Migrations {
		s.Migrations[i].Down = downs[s.Migrations[i].Up]
	}
	s.sort()
	return nil
}

// flywayLocation is the directory Flyway scans for a migration in dir: dir itself,
// or its parent when dir is one of several release folders named by version, each
// holding Flyway migrations (dhis2's db/migration/2.31/, 2.32/, ...). Flyway's
// configured locations are not known; release folders are the common reason for
// subdirectories.
func flywayLocation(fsys FS, dir string) string {
	parent := filepath.Dir(dir)
	if parent == dir || !versionDir.MatchString(filepath.Base(dir)) {
		return dir
	}
	entries, err := fsys.ReadDir(parent)
	if err != nil {
		return dir
	}
	for _, e := range entries {
		if !e.Dir || e.Name == filepath.Base(dir) || !versionDir.MatchString(e.Name) {
			continue
		}
		sub, err := fsys.ReadDir(filepath.Join(parent, e.Name))
		if err != nil {
			continue
		}
		for _, f := range sub {
			if !f.Dir && migration.Version(f.Name, migration.Flyway) != "" {
				return parent
			}
		}
	}
	return dir
}

// versionDir matches release folder names: 2.31, v3, 1_0_2.
var versionDir = regexp.MustCompile(`^[vV]?\d+(?:[._]\d+)*$`)

// sqitch lists sqitch changes in the order of sqitch.plan (deploy/NAME.sql, reverted
// by revert/NAME.sql); without a plan, deploy scripts in name order.
func (s *Set) sqitch(fsys FS, path string) error {
	deploy := filepath.Dir(path)
	if filepath.Base(deploy) == "revert" || filepath.Base(deploy) == "verify" {
		deploy = filepath.Join(filepath.Dir(deploy), "deploy")
	}
	s.Dir = filepath.Dir(deploy)
	plan, err := fsys.ReadFile(filepath.Join(s.Dir, "sqitch.plan"))
	if err != nil {
		entries, err := fsys.ReadDir(deploy)
		if err != nil {
			return err
		}
		for _, e := range entries {
			if !e.Dir && strings.HasSuffix(e.Name, ".sql") {
				s.Migrations = append(s.Migrations, s.sqitchChange(fsys, deploy, strings.TrimSuffix(e.Name, ".sql")))
			}
		}
		sort.Slice(s.Migrations, func(i, j int) bool { return s.Migrations[i].Up < s.Migrations[j].Up })
		return nil
	}
	names, err := sqitchPlanChanges(plan)
	for _, name := range names {
		s.Migrations = append(s.Migrations, s.sqitchChange(fsys, deploy, name))
	}
	return err
}

// sqitchPlanChanges lists the changes a sqitch.plan names, in its order, each once.
func sqitchPlanChanges(plan []byte) ([]string, error) {
	var names []string
	seen := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(plan))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "%") || strings.HasPrefix(line, "#") || strings.HasPrefix(line, "@") {
			continue
		}
		name := strings.Fields(line)[0]
		// A change deployed again after rework is listed twice; its script is the
		// latest, applied at its first place for the catalog's purposes.
		if seen[name] {
			continue
		}
		seen[name] = true
		names = append(names, name)
	}
	return names, sc.Err()
}

func (s *Set) sqitchChange(fsys FS, deploy, name string) Migration {
	m := Migration{Up: filepath.Join(deploy, name+".sql")}
	revert := filepath.Join(s.Dir, "revert", name+".sql")
	if _, err := fsys.ReadFile(revert); err == nil {
		m.Down = revert
	}
	return m
}

// directories lists Diesel and Prisma migrations: one directory per migration, in
// name order (their names start with a timestamp), holding up.sql and down.sql
// (Diesel) or migration.sql (Prisma).
func (s *Set) directories(fsys FS, path string) error {
	s.Dir = filepath.Dir(filepath.Dir(path))
	entries, err := fsys.ReadDir(s.Dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if !e.Dir || strings.HasPrefix(e.Name, ".") {
			continue
		}
		d := filepath.Join(s.Dir, e.Name)
		m := Migration{Version: migration.Version(filepath.Join(d, "x"), s.Runner)}
		if s.Runner == migration.Prisma {
			m.Up = filepath.Join(d, "migration.sql")
		} else {
			m.Up, m.Down = filepath.Join(d, "up.sql"), filepath.Join(d, "down.sql")
		}
		s.Migrations = append(s.Migrations, m)
	}
	sort.Slice(s.Migrations, func(i, j int) bool { return s.Migrations[i].Up < s.Migrations[j].Up })
	return nil
}

// plain lists the .sql files of the directory in name order (psql -f of a glob),
// pairing NNNN.up.sql with NNNN.down.sql: a down file is the down of its up, never a
// migration of its own.
func (s *Set) plain(fsys FS) error {
	entries, err := fsys.ReadDir(s.Dir)
	if err != nil {
		return err
	}
	downs := map[string]string{}
	for _, e := range entries {
		if e.Dir || !strings.HasSuffix(e.Name, ".sql") {
			continue
		}
		p := filepath.Join(s.Dir, e.Name)
		if migration.DownOnly(p) {
			if up := migration.UpSibling(p, migration.Plain); up != "" {
				downs[up] = p
			}
			continue
		}
		s.Migrations = append(s.Migrations, Migration{Up: p})
	}
	for i := range s.Migrations {
		s.Migrations[i].Down = downs[s.Migrations[i].Up]
	}
	sort.Slice(s.Migrations, func(i, j int) bool { return s.Migrations[i].Up < s.Migrations[j].Up })
	return nil
}

// sort orders migrations the way their runner applies them.
func (s *Set) sort() {
	sort.SliceStable(s.Migrations, func(i, j int) bool { return s.less(s.Migrations[i], s.Migrations[j]) })
}

func (s *Set) less(a, b Migration) bool {
	if a.Repeatable != b.Repeatable {
		return b.Repeatable
	}
	if a.Repeatable {
		return filepath.Base(a.Up) < filepath.Base(b.Up)
	}
	if c := compareVersions(a.Version, b.Version); c != 0 {
		return c < 0
	}
	return a.Up < b.Up
}

// compareVersions compares versions part by part as numbers ("2.31.10" after
// "2.31.9"; "20240101120000" after "42").
func compareVersions(a, b string) int {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(pa) || i < len(pb); i++ {
		sa, sb := "0", "0" // a missing part is 0
		if i < len(pa) {
			sa = pa[i]
		}
		if i < len(pb) {
			sb = pb[i]
		}
		if c := compareNumbers(sa, sb); c != 0 {
			return c
		}
	}
	return 0
}

// compareNumbers compares two parts of versions as numbers. Parts of digits alone,
// all of them in practice, compare by their digits without leading zeros, longer
// ones greater: the sort of a large set compared them as big.Ints, a third of its
// listing's time. Other parts (empty, signed) are still read as big.Ints.
func compareNumbers(a, b string) int {
	if allDigits(a) && allDigits(b) {
		a, b = strings.TrimLeft(a, "0"), strings.TrimLeft(b, "0")
		if len(a) != len(b) {
			return cmp.Compare(len(a), len(b))
		}
		return strings.Compare(a, b)
	}
	var x, y big.Int
	x.SetString(a, 10)
	y.SetString(b, 10)
	return x.Cmp(&y)
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// insert places a file the listing did not show (an unsaved new buffer) where the
// runner would order it.
func (s *Set) insert(path string) {
	m := Migration{Up: path, Version: migration.Version(path, s.Runner), Repeatable: s.Runner == migration.Flyway && migration.FlywayRepeatable(path)}
	if up := migration.UpSibling(path, s.Runner); up != "" {
		if i := s.Index(up); i >= 0 && s.Migrations[i].Down == "" {
			s.Migrations[i].Down = path
			return
		}
		m = Migration{Up: up, Down: path, Version: migration.Version(up, s.Runner)}
	}
	s.Migrations = append(s.Migrations, m)
	switch s.Runner {
	case migration.GolangMigrate, migration.Goose, migration.Dbmate, migration.Flyway:
		s.sort()
	case migration.Sqitch:
		// Not in the plan yet: sqitch would deploy it after the planned changes.
	default:
		sort.SliceStable(s.Migrations, func(i, j int) bool { return s.Migrations[i].Up < s.Migrations[j].Up })
	}
}

// String describes the set for messages: "golang-migrate set db/migrations (42 migrations)".
func (s *Set) String() string {
	return fmt.Sprintf("%s set %s (%d migrations)", s.Runner, s.Dir, len(s.Migrations))
}

// SameVersionAs is the earlier migration of the set with the version of the one whose
// up file is path, when there is one: golang-migrate ("duplicate migration file"),
// goose ("duplicate version 1 detected") and Flyway ("Found more than one migration
// with version") refuse the whole set, and dbmate fails recording the second version.
// golang-migrate, goose and Flyway read the version as a number (1 and 001 are one
// version); dbmate keeps it as text.
func (s *Set) SameVersionAs(path string) (string, bool) {
	path = filepath.Clean(path)
	i, ok := s.index[path]
	if !ok || s.Migrations[i].Up != path {
		return "", false
	}
	m := s.Migrations[i]
	if m.Version == "" || m.Repeatable {
		return "", false
	}
	switch s.Runner {
	case migration.GolangMigrate, migration.Goose, migration.Flyway, migration.Dbmate:
	default:
		return "", false
	}
	// The set is sorted by version as a number: migrations of one version are
	// adjacent, the one named first before the others.
	first := ""
	for j := i - 1; j >= 0; j-- {
		o := s.Migrations[j]
		if o.Repeatable || o.Version == "" || compareVersions(o.Version, m.Version) != 0 {
			break
		}
		if s.Runner != migration.Dbmate || o.Version == m.Version {
			first = o.Up
		}
	}
	if first != "" {
		return first, true
	}
	return "", false
}

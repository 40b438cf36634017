package project

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/migsafe/migsafe/engine/migration"
)

// Step is one new migration to write after an existing one (a phase of a split fix).
type Step struct {
	// Suffix is appended to the migration's name: add_email -> add_email_concurrently.
	Suffix string
	// Up and Down are the migration's SQL; Down is "" when there is nothing to undo
	// or the runner has no down form.
	Up, Down string
	// NoTx marks a step that must run outside a transaction (CONCURRENTLY, COMMIT in DO).
	NoTx bool
}

// NewFile is a file a new migration consists of.
type NewFile struct {
	Path, Text string
}

var (
	// numbered names: 0042_add_email.up.sql, 00042_add_email.sql, 20240101120000_add.sql.
	numberedName = regexp.MustCompile(`^(\d+)([_-])(.+?)(\.up\.sql|\.down\.sql|\.sql)$`)
	flywayVName  = regexp.MustCompile(`^V(\d+)((?:[._]\d+)*)__(.+)\.sql$`)
)

// Next lays out steps as new migrations that run right after the migration at path,
// named and written the way the set's runner expects: the next free number for
// numbered runners (golang-migrate pairs, goose and dbmate sections and their
// no-transaction directives), a sibling directory for Diesel (up.sql, down.sql,
// metadata.toml) and Prisma, a suffixed name otherwise. Numbers come from the set, so
// an unsaved migration the language server knows of counts.
func (s *Set) Next(path string, steps []Step) []NewFile {
	dir, base := filepath.Dir(path), filepath.Base(path)
	var out []NewFile
	add := func(p, text string) { out = append(out, NewFile{Path: p, Text: text}) }
	switch s.Runner {
	case migration.Diesel, migration.Prisma:
		for _, st := range steps {
			d := dir + "_" + st.Suffix
			if s.Runner == migration.Prisma {
				add(filepath.Join(d, "migration.sql"), st.Up)
				continue
			}
			add(filepath.Join(d, "up.sql"), st.Up)
			add(filepath.Join(d, "down.sql"), orNothing(st.Down))
			if st.NoTx {
				add(filepath.Join(d, "metadata.toml"), "run_in_transaction = false\n")
			}
		}
		return out
	case migration.Flyway:
		if m := flywayVName.FindStringSubmatch(base); m != nil {
			next := s.nextNumber(flywayVName, m[1])
			for i, st := range steps {
				add(filepath.Join(dir, fmt.Sprintf("V%d__%s_%s.sql", next+int64(i), m[3], st.Suffix)), st.Up)
			}
			return out
		}
	}
	m := numberedName.FindStringSubmatch(base)
	for i, st := range steps {
		var stem string
		if m != nil {
			n := s.nextNumber(numberedName, m[1]) + int64(i)
			stem = fmt.Sprintf("%0*d%s%s_%s", len(m[1]), n, m[2], m[3], st.Suffix)
		} else {
			stem = strings.TrimSuffix(base, filepath.Ext(base)) + "_" + st.Suffix
		}
		switch s.Runner {
		case migration.GolangMigrate:
			add(filepath.Join(dir, stem+".up.sql"), st.Up)
			add(filepath.Join(dir, stem+".down.sql"), orNothing(st.Down))
		case migration.Goose:
			head := "-- +goose Up\n"
			if st.NoTx {
				head = "-- +goose NO TRANSACTION\n" + head
			}
			add(filepath.Join(dir, stem+".sql"), head+st.Up+"\n-- +goose Down\n"+orNothing(st.Down))
		case migration.Dbmate:
			opt := ""
			if st.NoTx {
				opt = " transaction:false"
			}
			add(filepath.Join(dir, stem+".sql"), "-- migrate:up"+opt+"\n"+st.Up+"\n-- migrate:down"+opt+"\n"+orNothing(st.Down))
		default:
			add(filepath.Join(dir, stem+".sql"), st.Up)
		}
	}
	return out
}

// nextNumber is one past the largest migration number in the set (and the file's own
// number, own), for names matching pattern (the number is its first group).
func (s *Set) nextNumber(pattern *regexp.Regexp, own string) int64 {
	s.mu.Lock()
	largest, ok := s.largest[pattern]
	if !ok {
		for _, m := range s.Migrations {
			for _, p := range []string{m.Up, m.Down} {
				if p == "" {
					continue
				}
				if g := pattern.FindStringSubmatch(filepath.Base(p)); g != nil {
					if n, err := strconv.ParseInt(g[1], 10, 64); err == nil && n > largest {
						largest = n
					}
				}
			}
		}
		if s.largest == nil {
			s.largest = map[*regexp.Regexp]int64{}
		}
		s.largest[pattern] = largest
	}
	s.mu.Unlock()
	if n, _ := strconv.ParseInt(own, 10, 64); n > largest {
		largest = n
	}
	return largest + 1
}

func orNothing(down string) string {
	if down == "" {
		return "-- Nothing to undo.\n"
	}
	return down
}

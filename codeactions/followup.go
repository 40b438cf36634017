package codeactions

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/migsafe/migsafe/engine"
	"github.com/migsafe/migsafe/engine/migration"
)

// step is one follow-up migration a split fix creates.
type step struct {
	suffix string // appended to the migration's name: add_email -> add_email_concurrently
	up     string
	down   string // "" when there is nothing to undo or the runner has no down form
	// noTx: the step must run outside a transaction (CONCURRENTLY, COMMIT in DO).
	noTx bool
}

var (
	// numbered names: 0042_add_email.up.sql, 00042_add_email.sql, 20240101120000_add.sql.
	numberedName = regexp.MustCompile(`^(\d+)([_-])(.+?)(\.up\.sql|\.down\.sql|\.sql)$`)
	flywayVName  = regexp.MustCompile(`^V(\d+)((?:[._]\d+)*)__(.+)\.sql$`)
)

// followUps names and writes the follow-up migrations after the file being fixed,
// the way the project names its migrations: the next free number (from the
// directory listing) for numbered runners, a sibling migration directory for Diesel
// and Prisma, a suffixed name otherwise.
func followUps(res *engine.Result, steps []step) []engine.NewFile {
	f := res.File
	dir, base := filepath.Dir(f.Path), filepath.Base(f.Path)
	siblings := listingOf(dir)
	for i := range steps {
		if !steps[i].noTx {
			// Steps that take table locks fail fast rather than queue every query behind
			// them; the CONCURRENTLY and batched steps wait on nothing that blocks others.
			steps[i].up = fmt.Sprintf("SET lock_timeout = %s;\n", literal(res.Config.LockTimeout)) + steps[i].up
		}
	}
	var out []engine.NewFile
	add := func(path, text string) {
		out = append(out, engine.NewFile{Path: path, Text: text})
	}
	switch f.Runner {
	case migration.Diesel, migration.Prisma:
		// One directory per migration: up.sql/down.sql or migration.sql inside it.
		migDir := filepath.Dir(f.Path)
		for _, s := range steps {
			d := migDir + "_" + s.suffix
			if f.Runner == migration.Prisma {
				add(filepath.Join(d, "migration.sql"), s.up)
				continue
			}
			add(filepath.Join(d, "up.sql"), s.up)
			add(filepath.Join(d, "down.sql"), orNothing(s.down))
			if s.noTx {
				add(filepath.Join(d, "metadata.toml"), "run_in_transaction = false\n")
			}
		}
		return out
	case migration.Flyway:
		if m := flywayVName.FindStringSubmatch(base); m != nil {
			next := siblings.nextNumber(flywayVName, m[1])
			for i, s := range steps {
				add(filepath.Join(dir, fmt.Sprintf("V%d__%s_%s.sql", next+int64(i), m[3], s.suffix)), s.up)
			}
			return out
		}
	}
	m := numberedName.FindStringSubmatch(base)
	for i, s := range steps {
		var stem string
		if m != nil {
			n := siblings.nextNumber(numberedName, m[1]) + int64(i)
			stem = fmt.Sprintf("%0*d%s%s_%s", len(m[1]), n, m[2], m[3], s.suffix)
		} else {
			stem = strings.TrimSuffix(base, filepath.Ext(base)) + "_" + s.suffix
		}
		switch f.Runner {
		case migration.GolangMigrate:
			add(filepath.Join(dir, stem+".up.sql"), s.up)
			add(filepath.Join(dir, stem+".down.sql"), orNothing(s.down))
		case migration.Goose:
			head := "-- +goose Up\n"
			if s.noTx {
				head = "-- +goose NO TRANSACTION\n" + head
			}
			add(filepath.Join(dir, stem+".sql"), head+s.up+"\n-- +goose Down\n"+orNothing(s.down))
		case migration.Dbmate:
			opt := ""
			if s.noTx {
				opt = " transaction:false"
			}
			add(filepath.Join(dir, stem+".sql"), "-- migrate:up"+opt+"\n"+s.up+"\n-- migrate:down"+opt+"\n"+orNothing(s.down))
		default:
			add(filepath.Join(dir, stem+".sql"), s.up)
		}
	}
	return out
}

// listing is a directory's file names, with the largest migration number per naming
// pattern worked out once.
type listing struct {
	mod   time.Time
	names []string
	mu    sync.Mutex
	max   map[*regexp.Regexp]int64
}

// listings caches directory listings by path, checked against the directory's
// modification time: fixes are built for every finding, a migrations directory holds
// hundreds of files, and listing it per finding dominated `migsafe check`. A file
// added to the directory changes its modification time, so the language server sees it.
var listings sync.Map // string -> *listing

func listingOf(dir string) *listing {
	st, err := os.Stat(dir)
	if err != nil {
		return &listing{max: map[*regexp.Regexp]int64{}}
	}
	if l, ok := listings.Load(dir); ok && l.(*listing).mod.Equal(st.ModTime()) {
		return l.(*listing)
	}
	l := &listing{mod: st.ModTime(), max: map[*regexp.Regexp]int64{}}
	if entries, err := os.ReadDir(dir); err == nil {
		for _, e := range entries {
			l.names = append(l.names, e.Name())
		}
	}
	listings.Store(dir, l)
	return l
}

// nextNumber is one past the largest migration number in the directory (and the
// file's own number, own, which an unsaved buffer may not have on disk yet), for names
// matching pattern (the number is its first group).
func (l *listing) nextNumber(pattern *regexp.Regexp, own string) int64 {
	l.mu.Lock()
	largest, ok := l.max[pattern]
	if !ok {
		for _, name := range l.names {
			if m := pattern.FindStringSubmatch(name); m != nil {
				if n, err := strconv.ParseInt(m[1], 10, 64); err == nil && n > largest {
					largest = n
				}
			}
		}
		l.max[pattern] = largest
	}
	l.mu.Unlock()
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

// lines joins statements into a migration body.
func lines(stmts ...string) string {
	return strings.Join(stmts, "\n") + "\n"
}

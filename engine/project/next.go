package project

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	pg "github.com/pganalyze/pg_query_go/v5"

	"github.com/migsafe/migsafe/engine/migration"
)

// Step is one new migration to write after an existing one (a phase of a split fix).
type Step struct {
	// Suffix is appended to the migration's name: add_email -> add_email_concurrently.
	Suffix string
	// Up and Down are the migration's SQL as it must run; Down is "" when there is
	// nothing to undo.
	Up, Down string
	// NoTx marks a step that must run outside a transaction (CONCURRENTLY, COMMIT in
	// DO). It must then be one statement: runners that send a file as one query would
	// otherwise run it in an implicit transaction.
	NoTx bool
	// Verify is a query that fails unless the step took effect (sqitch's verify
	// script); "" writes a comment there.
	Verify string
	// Note is the sqitch plan line's note.
	Note string
}

// NewFile is a file a new migration consists of.
type NewFile struct {
	Path, Text string
}

// Layout is the steps written out as migrations: new files, and text to append to
// files that exist (sqitch.plan).
type Layout struct {
	Files   []NewFile
	Appends map[string]string
}

// NextOptions adjust Next.
type NextOptions struct {
	// FS reads sqitch.plan and the files beside the migration; nil reads the disk.
	FS FS
	// Now stamps sqitch plan lines; the zero time is the clock.
	Now time.Time
	// Requires is the sqitch change the first new one requires; "" is the
	// migration's own change.
	Requires string
}

// ErrTaken is a name a new migration needs that an existing one has.
var ErrTaken = errors.New("already exists")

// Next lays out steps as new migrations that run right after the migration at path,
// in order, named and written the way the set's runner finds and orders them: the
// next golang-migrate version with its down file, the next goose or dbmate number or
// timestamp (one second later, in the same format) with both sections and their
// no-transaction directives, the next Flyway version (with a .sql.conf turning its
// transaction off where a step needs it, and an undo migration when the original has
// one), a new sqitch change appended to sqitch.plan requiring the one before with its
// deploy, revert and verify scripts, a new Prisma or Diesel directory whose name sorts
// after every other (Diesel's metadata.toml where a step runs outside a transaction;
// Prisma's documented rollback script down.sql beside migration.sql), and for psql a
// name after the newest (a .down.sql beside it when the original has one). Numbers
// come from the whole set, so an unsaved migration the language server knows of
// counts. It is the one place that knows those layouts.
func (s *Set) Next(path string, steps []Step, opts NextOptions) (Layout, error) {
	fsys := opts.FS
	if fsys == nil {
		fsys = OS
	}
	own, rest := s.ownVersion(path)
	last := s.newest(own)
	dir := filepath.Dir(path)
	out := Layout{Appends: map[string]string{}}
	add := func(p, text string) { out.Files = append(out.Files, NewFile{Path: p, Text: text}) }
	used := map[string]int{}
	requires := opts.Requires
	if requires == "" {
		requires = rest
	}
	for _, st := range steps {
		name := slug(st.Suffix)
		if name == "" {
			return Layout{}, fmt.Errorf("a new migration after %s has no name", path)
		}
		if st.NoTx {
			if n := CountStatements(st.Up); n != 1 {
				return Layout{}, fmt.Errorf("step %s must run outside a transaction but has %d statements", name, n)
			}
		}
		full := rest + "_" + name
		v := version{format: noVersion}
		if own.format != noVersion {
			v = last.after(1)
			last = v
		} else {
			full = unique(used, full)
		}
		stem := full
		if v.format != noVersion {
			stem = v.text + separator(filepath.Base(path)) + full
		}
		switch s.Runner {
		case migration.GolangMigrate:
			add(filepath.Join(dir, stem+".up.sql"), st.Up)
			add(filepath.Join(dir, stem+".down.sql"), DownOrNothing(st.Down))
		case migration.Goose:
			head := "-- +goose Up\n"
			if st.NoTx {
				head = "-- +goose NO TRANSACTION\n" + head
			}
			add(filepath.Join(dir, stem+".sql"), head+gooseBlocks(st.Up)+"\n-- +goose Down\n"+gooseBlocks(DownOrNothing(st.Down)))
		case migration.Dbmate:
			opt := ""
			if st.NoTx {
				opt = " transaction:false"
			}
			add(filepath.Join(dir, stem+".sql"), "-- migrate:up"+opt+"\n"+st.Up+"\n-- migrate:down"+opt+"\n"+DownOrNothing(st.Down))
		case migration.Flyway:
			if v.format == noVersion {
				return Layout{}, fmt.Errorf("%s: not a versioned Flyway migration (V<version>__<name>.sql)", path)
			}
			stem = "V" + v.text + "__" + full
			add(filepath.Join(dir, stem+".sql"), st.Up)
			if st.NoTx {
				add(filepath.Join(dir, stem+".sql.conf"), "executeInTransaction=false\n")
			}
			if s.hasDown(path) {
				add(filepath.Join(dir, "U"+v.text+"__"+full+".sql"), DownOrNothing(st.Down))
			}
		case migration.Prisma, migration.Diesel:
			d := filepath.Join(filepath.Dir(dir), stem)
			if s.Runner == migration.Prisma {
				add(filepath.Join(d, "migration.sql"), st.Up)
			} else {
				add(filepath.Join(d, "up.sql"), st.Up)
			}
			add(filepath.Join(d, "down.sql"), DownOrNothing(st.Down))
			if st.NoTx && s.Runner == migration.Diesel {
				add(filepath.Join(d, "metadata.toml"), "run_in_transaction = false\n")
			}
		case migration.Sqitch:
			line, files, err := s.newSqitchChange(fsys, path, full, requires, st, opts.Now)
			if err != nil {
				return Layout{}, err
			}
			out.Appends[filepath.Join(s.Dir, "sqitch.plan")] += line
			out.Files = append(out.Files, files...)
			requires = full
		default:
			add(filepath.Join(dir, stem+".sql"), st.Up)
			if st.Down != "" && s.hasDown(path) {
				add(filepath.Join(dir, stem+".down.sql"), st.Down)
			}
		}
	}
	return out, nil
}

// Waiting is where phases that must wait for a deploy are kept until they are made
// migrations, one path for each name: a directory the runner does not read,
// .migsafe/pending inside the migrations directory for runners that read only its
// files (golang-migrate, goose, dbmate, psql), beside it for those that would read a
// subdirectory (Flyway scans recursively; Prisma and Diesel take every subdirectory
// for a migration). Names repeated get _2, _3...
func (s *Set) Waiting(path string, names []string) []string {
	dir := filepath.Join(s.Dir, ".migsafe", "pending")
	switch s.Runner {
	case migration.Flyway, migration.Prisma, migration.Diesel:
		dir = filepath.Join(filepath.Dir(s.Dir), ".migsafe", "pending")
	}
	_, rest := s.ownVersion(path)
	stem := stemOf(filepath.Base(path))
	if s.Runner == migration.Prisma || s.Runner == migration.Diesel {
		stem = filepath.Base(filepath.Dir(path))
	} else if s.Runner == migration.Sqitch {
		stem = rest
	}
	used := map[string]int{}
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = filepath.Join(dir, unique(used, stem+"_"+slug(n))+".sql")
	}
	return out
}

// ownVersion is the version of the migration at path and the descriptive rest of
// its name: 000002_add_phone.up.sql -> 000002, add_phone; for Prisma and Diesel the
// directory's name; for sqitch the change.
func (s *Set) ownVersion(path string) (version, string) {
	switch s.Runner {
	case migration.Prisma, migration.Diesel:
		return parseVersion(filepath.Base(filepath.Dir(path)), false)
	case migration.Sqitch:
		return version{format: noVersion}, strings.TrimSuffix(filepath.Base(path), ".sql")
	}
	return parseVersion(stemOf(filepath.Base(path)), s.Runner == migration.Flyway)
}

// newest is the latest version of the set in own's format, own included.
func (s *Set) newest(own version) version {
	if own.format == noVersion {
		return own
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.latest == nil {
		s.latest = map[versionFormat]version{}
		for _, m := range s.Migrations {
			for _, p := range []string{m.Up, m.Down} {
				if p == "" {
					continue
				}
				name := stemOf(filepath.Base(p))
				if s.Runner == migration.Prisma || s.Runner == migration.Diesel {
					name = filepath.Base(filepath.Dir(p))
				}
				if v, _ := parseVersion(name, s.Runner == migration.Flyway); v.format != noVersion {
					if l, ok := s.latest[v.format]; !ok || v.later(l) {
						s.latest[v.format] = v
					}
				}
			}
		}
	}
	if l, ok := s.latest[own.format]; ok && l.later(own) {
		return l
	}
	return own
}

// hasDown reports whether the migration at path has a down file of its own (Flyway's
// U migration, psql's .down.sql).
func (s *Set) hasDown(path string) bool {
	if i := s.Index(path); i >= 0 {
		return s.Migrations[i].Down != ""
	}
	return false
}

// newSqitchChange is a new change named name appended to the plan, requiring the change
// requires, with its deploy, revert and verify scripts.
func (s *Set) newSqitchChange(fsys FS, path, name, requires string, st Step, now time.Time) (string, []NewFile, error) {
	planPath := filepath.Join(s.Dir, "sqitch.plan")
	plan, err := fsys.ReadFile(planPath)
	if err != nil {
		return "", nil, fmt.Errorf("%s: %w (a sqitch change is added to the plan)", planPath, err)
	}
	for _, line := range strings.Split(string(plan), "\n") {
		if f := strings.Fields(line); len(f) > 0 && f[0] == name {
			return "", nil, fmt.Errorf("%s: the plan already has a change %s (it %w), nothing was written", planPath, name, ErrTaken)
		}
	}
	planner := sqitchPlanner(string(plan), path)
	if planner == "" {
		return "", nil, fmt.Errorf("%s: no change %s in the plan to take the planner from", planPath, strings.TrimSuffix(filepath.Base(path), ".sql"))
	}
	if now.IsZero() {
		now = time.Now()
	}
	verify := st.Verify
	if verify == "" {
		verify = "-- The deploy script's own statements fail if the change did not apply.\n"
	}
	note := ""
	if st.Note != "" {
		note = " # " + st.Note
	}
	line := fmt.Sprintf("%s [%s] %s %s%s\n", name, requires, now.UTC().Format("2006-01-02T15:04:05Z"), planner, note)
	return line, []NewFile{
		{Path: filepath.Join(s.Dir, "deploy", name+".sql"), Text: fmt.Sprintf("-- Deploy %s\n", name) + st.Up},
		{Path: filepath.Join(s.Dir, "revert", name+".sql"), Text: fmt.Sprintf("-- Revert %s\n", name) + DownOrNothing(st.Down)},
		{Path: filepath.Join(s.Dir, "verify", name+".sql"), Text: fmt.Sprintf("-- Verify %s\n", name) + verify},
	}, nil
}

// sqitchPlanner is "Name <email>" of the plan line of the change deployed by the
// script at path (else of the first change): a plan line reads
// `change [deps] 2024-01-02T03:04:05Z Name <email> # note`.
func sqitchPlanner(plan, path string) string {
	change := strings.TrimSuffix(filepath.Base(path), ".sql")
	planner := ""
	for _, line := range strings.Split(plan, "\n") {
		fields := strings.Fields(line)
		if len(fields) < 3 || strings.HasPrefix(fields[0], "%") || strings.HasPrefix(fields[0], "@") || strings.HasPrefix(fields[0], "#") {
			continue
		}
		i := 1
		if strings.HasPrefix(fields[i], "[") {
			for i < len(fields) && !strings.HasSuffix(fields[i], "]") {
				i++
			}
			i++
		}
		if i+1 >= len(fields) {
			continue
		}
		var who []string
		for _, f := range fields[i+1:] {
			if f == "#" || strings.HasPrefix(f, "#") && len(who) > 0 && strings.HasSuffix(who[len(who)-1], ">") {
				break
			}
			who = append(who, f)
			if strings.HasSuffix(f, ">") {
				break
			}
		}
		if fields[0] == change || planner == "" {
			planner = strings.Join(who, " ")
		}
	}
	return planner
}

// LastChange is the name of the last change of a sqitch set ("" for an empty set or
// another runner): a change promoted later follows it.
func (s *Set) LastChange() string {
	if s.Runner != migration.Sqitch || len(s.Migrations) == 0 {
		return ""
	}
	return strings.TrimSuffix(filepath.Base(s.Migrations[len(s.Migrations)-1].Up), ".sql")
}

// unique is name, or name_2, name_3... when used has seen it.
func unique(used map[string]int, name string) string {
	used[name]++
	if n := used[name]; n > 1 {
		return fmt.Sprintf("%s_%d", name, n)
	}
	return name
}

// stemOf strips a migration file name's extensions: 0042_x.up.sql -> 0042_x.
func stemOf(name string) string {
	for _, ext := range []string{".up.sql", ".down.sql", ".sql.conf", ".sql"} {
		if strings.HasSuffix(name, ext) {
			return strings.TrimSuffix(name, ext)
		}
	}
	return name
}

// gooseBlocks wraps the statements goose would split at their inner semicolons (DO
// and function bodies) in StatementBegin/StatementEnd.
func gooseBlocks(sql string) string {
	var b strings.Builder
	at := 0
	for _, st := range migration.Parse("step.sql", sql, migration.Options{Runner: migration.Plain}).Statements {
		inner := strings.TrimSuffix(st.Text, ";")
		if !strings.Contains(inner, ";") {
			continue
		}
		// A suppression on the line before the statement goes inside the block with
		// it, so it stays on the line before.
		start := st.Start
		if ls := strings.LastIndexByte(sql[:start], '\n') + 1; ls > 0 {
			prev := strings.LastIndexByte(sql[:ls-1], '\n') + 1
			if strings.HasPrefix(strings.TrimSpace(sql[prev:ls]), "-- migsafe:ignore") && prev >= at {
				start = prev
			}
		}
		b.WriteString(sql[at:start])
		b.WriteString("-- +goose StatementBegin\n" + sql[start:st.End] + "\n-- +goose StatementEnd")
		at = st.End
		// What followed the statement on its line goes on the next: on the annotation's
		// line goose refuses the file ("StatementEnd -- note" is no annotation).
		rest := sql[at:]
		if i := strings.IndexByte(rest, '\n'); i >= 0 {
			rest = rest[:i]
		}
		if strings.TrimSpace(rest) != "" {
			b.WriteByte('\n')
			at += len(rest) - len(strings.TrimLeft(rest, " \t"))
		}
	}
	b.WriteString(sql[at:])
	return b.String()
}

// CountStatements is the number of statements in sql, by pg_query's scanner.
func CountStatements(sql string) int {
	stmts, err := pg.SplitWithScanner(sql, true)
	if err != nil {
		return len(migration.Parse("step.sql", sql, migration.Options{Runner: migration.Plain}).Statements)
	}
	n := 0
	for _, st := range stmts {
		for _, line := range strings.Split(st, "\n") {
			if l := strings.TrimSpace(line); l != "" && !strings.HasPrefix(l, "--") {
				n++
				break
			}
		}
	}
	return n
}

// DownOrNothing is down, or a comment saying there is nothing to undo where a down
// file must exist.
func DownOrNothing(down string) string {
	if strings.TrimSpace(down) == "" {
		return "-- Nothing to undo.\n"
	}
	return down
}

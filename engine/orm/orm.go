// Package orm holds the front ends that read Rails, Django, Alembic, Knex, TypeORM and
// Sequelize migrations and turn them into the statements the ORM sends to PostgreSQL,
// each mapped back to the DSL call (or the place inside a raw SQL string) it came
// from. They produce statements, not findings: every rule, lock fact, verdict, hover
// and estimate applies to them unchanged. Calls a front end does not know are kept as
// "not analysed" notes, never dropped silently.
package orm

import (
	"fmt"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/migsafe/migsafe/engine/migration"
)

// Options adjust Parse.
type Options struct {
	// ReadFile and ReadDir read the migration's directory, for what earlier migrations
	// establish (Django's model state). Nil means the file is read on its own.
	ReadFile func(path string) ([]byte, error)
	ReadDir  func(dir string) ([]string, error)
}

var (
	railsPath  = regexp.MustCompile(`(^|/)db/migrate/[^/]+\.rb$`)
	djangoPath = regexp.MustCompile(`(^|/)migrations/\d{4}_[^/]*\.py$`)
)

// isJS reports a JavaScript or TypeScript file by its extension, in its case as
// written (.JS is not one). It is called for every file checked, .sql ones too: the
// regular expression it replaces (`\.(js|cjs|mjs|ts|mts|cts)$`) cost ~0.6% of a check
// of the corpus.
func isJS(path string) bool {
	switch filepath.Ext(path) {
	case ".js", ".cjs", ".mjs", ".ts", ".mts", ".cts":
		return true
	}
	return false
}

// Detect names the ORM of a migration file from its path and content, or "" when it
// is not one. setting is the `orm` configuration: an ORM's name forces that front end
// for files in a migration directory and for files named explicitly, "none" turns
// detection off.
func Detect(path, text string, setting migration.Runner) migration.Runner {
	if setting == migration.NoORM {
		return ""
	}
	ext := strings.ToLower(filepath.Ext(path))
	var found migration.Runner
	switch {
	case ext == ".rb":
		if strings.Contains(text, "ActiveRecord::Migration") || (railsPath.MatchString(filepath.ToSlash(path)) && strings.Contains(text, "Migration")) {
			found = migration.Rails
		}
	case ext == ".py":
		switch {
		case strings.Contains(text, "migrations.Migration") && (djangoPath.MatchString(filepath.ToSlash(path)) || strings.Contains(text, "django")):
			found = migration.Django
		case strings.Contains(text, "from alembic import") || strings.Contains(text, "import alembic"):
			found = migration.Alembic
		}
	case isJS(path):
		switch {
		case strings.Contains(text, "MigrationInterface") || strings.Contains(text, "QueryRunner"):
			found = migration.TypeORM
		case strings.Contains(text, "queryInterface") || strings.Contains(text, "QueryInterface"):
			found = migration.Sequelize
		case strings.Contains(text, "knex") || strings.Contains(text, "Knex"):
			found = migration.Knex
		}
	}
	if setting != "" && (found != "" || InMigrationDir(path) && Language(path) == Language(languageProbe[setting])) {
		return setting
	}
	return found
}

// languageProbe gives a file name in each ORM's language, to compare languages.
var languageProbe = map[migration.Runner]string{
	migration.Rails: ".rb", migration.Django: ".py", migration.Alembic: ".py",
	migration.Knex: ".js", migration.TypeORM: ".ts", migration.Sequelize: ".js",
}

// Language names the host language of a file by its extension: "ruby", "python",
// "javascript" (also TypeScript), or "".
func Language(path string) string {
	switch ext := strings.ToLower(filepath.Ext(path)); {
	case ext == ".rb":
		return "ruby"
	case ext == ".py":
		return "python"
	case isJS(path):
		return "javascript"
	}
	return ""
}

// InMigrationDir reports a path the way ORMs lay out migrations: Rails' db/migrate,
// Django's <app>/migrations, Alembic's versions, and the migrations folders of Knex,
// TypeORM and Sequelize (at any depth below them). The language server analyses ORM
// files only there, so editing application code never shows migration findings.
func InMigrationDir(path string) bool {
	for _, part := range strings.Split(filepath.ToSlash(filepath.Dir(path)), "/") {
		switch strings.ToLower(part) {
		case "migrate", "migrations", "migration", "versions":
			return true
		}
	}
	return false
}

// Candidate reports a file a directory walk should read to detect an ORM migration:
// a Ruby, Python, JavaScript or TypeScript file inside a migration directory (test
// files and type declarations excluded).
func Candidate(path string) bool {
	base := strings.ToLower(filepath.Base(path))
	if Language(path) == "" || !InMigrationDir(path) || base == "__init__.py" || strings.HasSuffix(base, ".d.ts") ||
		strings.Contains(base, ".test.") || strings.Contains(base, ".spec.") {
		return false
	}
	return true
}

// Parse translates an ORM migration. It never fails: what it cannot read becomes the
// file's NotAnalysed notes, and the statements it produces carry their own syntax
// errors.
func Parse(path, text string, orm migration.Runner, opts Options) (f *migration.File) {
	t := &translation{path: path, src: []byte(text), opts: opts, wraps: true}
	// A bug in a front end must cost the file its analysis, never the process (the
	// language server) its life.
	defer func() {
		if v := recover(); v != nil {
			t = &translation{path: path, src: []byte(text), opts: opts}
			t.note(0, 0, fmt.Sprintf("the %s front end failed on this file (%v): nothing in it is checked", orm, v))
			f = t.file(orm)
		}
	}()
	switch orm {
	case migration.Rails:
		translateRails(t)
	case migration.Django:
		translateDjango(t)
	case migration.Alembic:
		translateAlembic(t)
	case migration.Knex:
		translateKnex(t)
	case migration.TypeORM:
		translateTypeORM(t)
	case migration.Sequelize:
		translateSequelize(t)
	default:
		t.note(0, 0, fmt.Sprintf("%s is not a migration of an ORM migsafe reads", filepath.Base(path)))
	}
	return t.file(orm)
}

// translation is what a front end builds for one file.
type translation struct {
	path string
	src  []byte
	opts Options
	ops  []*op
	// notes are calls not analysed.
	notes    []migration.Note
	comments []comment
	// syntax is the host language's first syntax error in the file, if any.
	syntax *migration.SyntaxError
	// wraps says whether the ORM runs the migration in a transaction.
	wraps bool
	// down: whether the migration has a down form, its span, what cannot be reversed,
	// and whether it runs code that is not translated.
	downFound    bool
	downStart    int
	downEnd      int
	irreversible []migration.Irreversible
	downOpaque   bool
	// outside writes the DSL that takes the whole migration out of its transaction
	// (nil when the front end cannot, or it already runs outside one).
	outside func() (string, []migration.TextEdit)
}

// op is one DSL call or raw-SQL string and the SQL the ORM sends for it.
type op struct {
	start, end int // the call
	section    migration.Section
	sql        string
	pieces     []migration.Piece
	// raw is SQL the author wrote; dynamic raw SQL has interpolations, so a parse
	// failure is migsafe's placeholder, not the author's error.
	raw, dynamic bool
	// noTx runs outside the migration's transaction (Alembic's autocommit_block, a
	// Django migration with atomic = False); seg numbers the transactions of a section
	// that an autocommit block splits.
	noTx bool
	seg  int
	// oneQuery is raw SQL sent as one query: several statements in it run in one
	// implicit transaction when no other transaction holds them.
	oneQuery bool
	// downFirst marks a down statement that a reversal runs before the reversed
	// operations (Rails runs what `change` cannot record, validate_*, as it meets it).
	downFirst bool
	// rewrite writes the call's safe forms in the DSL (nil: none).
	rewrite func(migration.Intent) (migration.Rewrite, bool)
}

// read takes what the parse of the file found besides its code: comments, and the
// first syntax error.
func (t *translation) read(src *source) {
	t.comments, t.syntax = src.comments, src.syntax
}

func (t *translation) note(start, end int, msg string) {
	t.notes = append(t.notes, migration.Note{Start: start, End: end, Message: msg})
}

// unknown records a call the front end does not translate.
func (t *translation) unknown(c *node, what string) {
	t.note(c.start, c.end, fmt.Sprintf("%s is not translated to SQL, so migsafe does not check it", what))
}

// add records the SQL of a generated statement.
func (t *translation) add(c *node, sec migration.Section, b *sqlb) *op {
	o := &op{start: c.start, end: c.end, section: sec, sql: b.String(), pieces: b.pieces}
	t.ops = append(t.ops, o)
	return o
}

// insertAfterCall adds a down statement right after the last down statement of the
// call it belongs to.
func (t *translation) insertAfterCall(c *node, b *sqlb) {
	o := &op{start: c.start, end: c.end, section: migration.Down, sql: b.String()}
	at := len(t.ops)
	for i, x := range t.ops {
		if x.section == migration.Down && x.start == c.start && x.end == c.end {
			at = i + 1
		}
	}
	t.ops = append(t.ops[:at], append([]*op{o}, t.ops[at:]...)...)
}

// addRaw records raw SQL from a string literal inside call c.
func (t *translation) addRaw(c *node, sec migration.Section, s *str) *op {
	o := &op{start: c.start, end: c.end, section: sec, sql: s.text, pieces: rawPieces(s), raw: true, dynamic: s.dynamic(), oneQuery: true}
	t.ops = append(t.ops, o)
	return o
}

// rawPieces maps a decoded string to the file: runs of bytes written as themselves
// map exactly; interpolations map to their #{...}.
func rawPieces(s *str) []migration.Piece {
	var out []migration.Piece
	for i := 0; i < len(s.off); {
		if s.off[i] < 0 {
			i++
			continue
		}
		j := i + 1
		for j < len(s.off) && s.off[j] == s.off[j-1]+1 {
			j++
		}
		out = append(out, migration.Piece{SQLStart: i, SQLEnd: j, FileStart: s.off[i], FileEnd: s.off[j-1] + 1, Exact: true})
		i = j
	}
	for _, h := range s.holes {
		out = append(out, migration.Piece{SQLStart: h.sqlStart, SQLEnd: h.sqlEnd, FileStart: h.fileStart, FileEnd: h.fileEnd})
	}
	return out
}

// file assembles the migration file: up statements in order, then down statements;
// sections and transactions by the ORM's rules.
func (t *translation) file(orm migration.Runner) *migration.File {
	text := string(t.src)
	f := &migration.File{Path: t.path, Source: migration.NewSource(text), Runner: orm, Detected: true, NotAnalysed: t.notes}
	if t.syntax != nil {
		f.Errors = append(f.Errors, t.syntax)
	}
	for _, c := range t.comments {
		f.Comments = append(f.Comments, migration.Comment{Start: c.start, End: c.end, Text: c.text})
	}
	nextID := 0
	segTx := map[[2]int]int{}
	var up, down []*migration.Statement
	for _, o := range t.ops {
		stmts, comments := migration.ParseMapped(o.sql, o.pieces, o.start, o.end)
		f.Comments = append(f.Comments, comments...)
		if o.dynamic {
			kept := stmts[:0]
			for _, s := range stmts {
				if s.Err != nil {
					f.NotAnalysed = append(f.NotAnalysed, migration.Note{Start: s.Start, End: s.End,
						Message: "this SQL is built at run time (interpolated), and with placeholders for the interpolations it does not parse"})
					continue
				}
				kept = append(kept, s)
			}
			stmts = kept
		}
		var tx migration.Tx
		switch {
		case t.wraps && !o.noTx:
			k := [2]int{int(o.section), o.seg}
			id, ok := segTx[k]
			if !ok {
				nextID++
				id = nextID
				segTx[k] = id
			}
			tx = migration.Tx{Kind: migration.RunnerTx, ID: id}
		case o.oneQuery && len(stmts) > 1:
			nextID++
			tx = migration.Tx{Kind: migration.ImplicitTx, ID: nextID}
		}
		for _, s := range stmts {
			s.Section, s.Tx = o.section, tx
			if s.Origin != nil {
				s.Origin.Rewrite = o.rewrite
				if o.rewrite == nil && t.outside != nil && t.wraps && !o.noTx {
					s.Origin.Rewrite = rewrites(map[migration.Intent]func() (string, []migration.TextEdit){migration.OutsideTransaction: t.outside})
				}
			}
			if o.section == migration.Down {
				down = append(down, s)
			} else {
				up = append(up, s)
			}
		}
	}
	f.Statements = append(up, down...)
	for i, s := range f.Statements {
		s.Index = i
	}
	sort.SliceStable(f.Comments, func(i, j int) bool { return f.Comments[i].Start < f.Comments[j].Start })
	// A down that runs code the front end did not translate may undo more than its
	// statements show.
	for _, n := range f.NotAnalysed {
		if t.downEnd > t.downStart && n.Start >= t.downStart && n.End <= t.downEnd {
			t.downOpaque = true
		}
	}
	f.Down = migration.DownInfo{Where: "section", Checked: true, Found: t.downFound, Statements: down,
		Start: t.downStart, End: t.downEnd, Irreversible: t.irreversible, Opaque: t.downOpaque}
	sort.SliceStable(f.NotAnalysed, func(i, j int) bool { return f.NotAnalysed[i].Start < f.NotAnalysed[j].Start })
	return f
}

package coderefs

import (
	"path"
	"slices"
	"strings"

	"github.com/migsafe/migsafe/engine/migration"
)

// ref is one reference an extractor found in a file.
type ref struct {
	// table is the referenced table (lower case, without schema); "" when unknown.
	table string
	// tables are the tables in scope of an unqualified SQL column: any of them may own it.
	tables []string
	// column is "" for a reference to the table itself.
	column string
	// guessed is set for a model whose table is inferred from its name by no ORM's
	// rule (a Go struct): a match on the column alone counts as a mention.
	guessed bool
	// model is, for a query through a model class whose table is defined elsewhere
	// (Django's User.objects.filter(email=e)), the class name in lower case; table is
	// "" and the query's table matches by the model names it may have (modelNames).
	model string
	// loadsColumns marks a model whose ORM reads the table's columns when the process
	// starts and names each in its INSERTs (an ActiveRecord model): a running process
	// fails on a column dropped after it started, unless the model ignores it.
	loadsColumns bool
	off          int // file byte offset
	// attr is the model attribute mapped to the column when it is spelled apart from
	// it (Django's db_column, TypeORM's @Column({ name })); zero otherwise.
	attr      span
	kind      Kind
	detail    string
	predicate bool
}

// fileRefs is what one file says: its references and what its mentions need.
type fileRefs struct {
	path string
	src  *migration.Source
	refs []ref
	// ignored maps a table to the columns a model tells its ORM to leave out of
	// generated SQL (Rails ignored_columns): dropping those is what the model prepared.
	ignored map[string]map[string]bool
	// noMentions: the file is SQL, where every use was found by the parser.
	noMentions bool
	// quiet are spans where an identifier is no mention: comments, and string
	// literals that parsed as SQL (their references are exact).
	quiet []span
}

// span is a range of file offsets.
type span struct{ start, end int }

// literals collects the SQL of a file's string literals and the spans that parsed.
type literals struct {
	refs  []ref
	quiet []span
}

// add parses one string expression spanning src[start:end].
func (l *literals) add(src []byte, start, end int, pieces []piece, detail string) {
	if refs, ok := literalRefs(literalText(src, start, end, pieces), start, detail); ok {
		l.refs = append(l.refs, refs...)
		l.quiet = append(l.quiet, span{start, end})
	}
}

// extract finds the references of one file by its language.
func extract(p string, data []byte) *fileRefs {
	fr := &fileRefs{path: p, src: migration.NewSource(string(data))}
	switch ext := strings.ToLower(path.Ext(p)); ext {
	case ".sql":
		fr.noMentions = true
		fr.refs = sqlFileRefs(p, fr.src.Text)
	case ".go":
		fr.refs, fr.quiet = goRefs(p, data)
	case ".prisma":
		fr.refs = prismaRefs(fr.src.Text)
	default:
		if lang := languageOf(ext); lang != nil {
			fr.refs, fr.quiet, fr.ignored = treeRefs(lang, p, data)
		}
	}
	return fr
}

// isMigrationPath: a file of a migrations directory (SQL, or an ORM's: Rails'
// db/migrate, Django's and Knex's migrations, Alembic's versions) or of a runner's
// layout is a migration, not code that runs against the schema.
func isMigrationPath(p string) bool {
	segs := strings.Split(path.Dir(p), "/")
	for i, seg := range segs {
		switch strings.ToLower(seg) {
		case "migrations", "migration", "migrate":
			return true
		case "versions":
			if i > 0 && strings.EqualFold(segs[i-1], "alembic") {
				return true
			}
		case "schema", "deploy", "revert", "verify":
			if strings.EqualFold(path.Ext(p), ".sql") {
				return true
			}
		}
	}
	return strings.EqualFold(path.Ext(p), ".sql") && migration.Detect(p, nil) != migration.Plain
}

// isSchemaDump: Rails' db/schema.rb and db/structure.sql (db/<name>_schema.rb for a
// second database) are the schema the migrations produce, dumped again after each
// one runs: they name every column, used or not, and no code reads them at run time.
// Counted as code, their `t.string "nickname"` was a mention of every column a
// migration dropped, so that no drop ever passed.
func isSchemaDump(p string) bool {
	dir, base := path.Split(strings.ToLower(p))
	if path.Base(dir) != "db" {
		return false
	}
	return strings.HasSuffix(base, "schema.rb") || strings.HasSuffix(base, "structure.sql")
}

// isMigrationText: a .sql file whose directives name its runner (goose's "-- +goose
// Up", dbmate's "-- migrate:up") is a migration wherever it lies: a project that keeps
// its migrations at its root, or in a directory of another name, would otherwise have
// them counted among the code files read ("no use found in 224 files" of migrations).
func isMigrationText(p string, data []byte) bool {
	return strings.EqualFold(path.Ext(p), ".sql") && migration.DetectText(p, string(data)) != migration.Plain
}

// match turns the file's references to q into uses.
func (fr *fileRefs) match(q query) []Use {
	var out []Use
	lines := map[int]bool{}
	if fr.ignored[q.table][q.column] {
		return nil
	}
	for _, r := range fr.refs {
		kind, ok := r.matches(q)
		if !ok {
			continue
		}
		u := fr.use(r.off, kind, r.detail)
		u.Predicate = r.predicate
		out = append(out, u)
		lines[u.Line] = true
	}
	if fr.noMentions || !fr.mentionsTable(q) {
		return out
	}
	text := fr.src.Text
	mapped := fr.mappedElsewhere(q)
	eachIdent([]byte(text), func(start, end int) {
		for _, q := range fr.quiet {
			if q.start <= start && end <= q.end {
				return
			}
		}
		if mapped[start] {
			return
		}
		w := text[start:end]
		if !strings.EqualFold(w, q.word()) && !strings.HasPrefix(strings.ToLower(w), q.word()+"__") {
			return
		}
		u := fr.use(start, Mention, "identifier")
		if lines[u.Line] {
			return
		}
		lines[u.Line] = true
		out = append(out, u)
	})
	return out
}

// mappedElsewhere is, for a column, the offsets of model attributes the file maps to
// a known other column or table's column: Order's status field (db_table "orders") is
// no mention of users.status, nor is a field nickname with db_column "nick" one of
// users.nickname. A table's mentions keep them: has_many :events may read events.
func (fr *fileRefs) mappedElsewhere(q query) map[int]bool {
	if q.column == "" {
		return nil
	}
	var out map[int]bool
	for _, r := range fr.refs {
		if r.kind != Model || r.guessed || r.table == "" || r.column == "" {
			continue
		}
		if _, ok := r.matches(q); ok {
			continue
		}
		if out == nil {
			out = map[int]bool{}
		}
		// r.off+1: a column named by a string literal ("status") starts at its quote.
		out[r.off], out[r.off+1] = true, true
		if r.attr.end > 0 {
			out[r.attr.start] = true
		}
	}
	return out
}

// matches says whether r refers to q, and how surely: a model whose table was
// guessed from its name (a Go struct) and does not match counts as a mention.
func (r ref) matches(q query) (Kind, bool) {
	if r.column != q.column {
		return 0, false
	}
	if r.table == q.table {
		return r.kind, true
	}
	if r.table == "" && r.model != "" && slices.Contains(modelNames(q.table), r.model) {
		return r.kind, true
	}
	if r.table == "" {
		for _, t := range r.tables {
			if t == q.table {
				return r.kind, true
			}
		}
	}
	if r.guessed && q.column != "" {
		return Mention, true
	}
	return 0, false
}

// loading is the models of the file that load q's table's columns at start-up and do
// not ignore q's column: the running release's ActiveRecord models keep inserting a
// dropped column until restarted (what ignored_columns, released first, prevents).
func (fr *fileRefs) loading(q query) []Use {
	if q.column == "" || fr.ignored[q.table][q.column] {
		return nil
	}
	var out []Use
	for _, r := range fr.refs {
		if r.loadsColumns && r.table == q.table {
			out = append(out, fr.use(r.off, Model, r.detail+", which loads every column of "+q.table+" at start-up and does not list "+q.column+" in ignored_columns"))
		}
	}
	return out
}

// modelNames are the model class names, in lower case, a table may be named after:
// users and user_profiles are user's and userprofile's; shop_orderitem (Django's
// <app>_<model>) is shoporderitem's or orderitem's.
func modelNames(table string) []string {
	out := []string{strings.ReplaceAll(singular(table), "_", "")}
	if i := strings.IndexByte(table, '_'); i >= 0 {
		out = append(out, strings.ReplaceAll(singular(table[i+1:]), "_", ""))
	}
	return out
}

// mentionsTable: identifier mentions of a column count only in a file that names its
// table or the table's model (users, user, User).
func (fr *fileRefs) mentionsTable(q query) bool {
	if q.column == "" {
		return true
	}
	found := false
	forms := []string{q.table, singular(q.table)}
	eachIdent([]byte(fr.src.Text), func(start, end int) {
		if found {
			return
		}
		w := fr.src.Text[start:end]
		for _, f := range forms {
			if strings.EqualFold(w, f) || strings.EqualFold(w, strings.ReplaceAll(f, "_", "")) {
				found = true
			}
		}
	})
	return found
}

func (fr *fileRefs) use(off int, kind Kind, detail string) Use {
	pos := fr.src.Position(off, migration.CodePoints)
	return Use{Path: fr.path, Line: pos.Line + 1, Column: pos.Column + 1, Kind: kind, Detail: detail}
}

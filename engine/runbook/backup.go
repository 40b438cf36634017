package runbook

import (
	"fmt"
	"slices"
	"strings"
	"time"

	pg "github.com/pganalyze/pg_query_go/v5"

	"github.com/migsafe/migsafe/engine"
	"github.com/migsafe/migsafe/engine/config"
	"github.com/migsafe/migsafe/engine/migration"
	"github.com/migsafe/migsafe/engine/project"
	"github.com/migsafe/migsafe/engine/sqlast"
)

// copyRows is the largest known table size backed up by a copy inside the database;
// larger tables, and tables of unknown size, are dumped to a file instead, so the
// backup neither doubles a big table on the primary nor replicates it.
const copyRows = 1_000_000

// Backup is a copy of the data a destructive statement removes, taken before it runs.
type Backup struct {
	// Reason is the statement that needs it: "line 3: DROP COLUMN users.nickname".
	Reason string `json:"reason"`
	Table  string `json:"table"`
	// Method is "table" (CREATE TABLE ... AS, in the database), "pg_dump" (the whole
	// table to a file) or "copy" (\copy of the affected rows and columns to a file).
	Method string `json:"method"`
	// Target is the backup table or file.
	Target string `json:"target"`
	// Take is the SQL (table) or shell command that takes the backup.
	Take string `json:"take"`
	// Verify proves the backup is complete: a query (table) or a command.
	Verify string `json:"verify"`
	// Restore puts the data back after the down migration has run.
	Restore string `json:"restore"`
	// Check is the verification query of a table backup, run by trace --verify.
	Check *Query `json:"-"`
}

// backups lists the backups the destructive statements of the up section need: drops,
// TRUNCATE, DELETE, and type changes the narrowing-type-change rule found narrowing.
// A table or column that holds no deployed data (created by this migration or by a
// pending one) needs none: notNeeded says so for each.
func backups(res *engine.Result, steps []*stmt, now time.Time) (out []Backup, notNeeded []string) {
	cfg := res.Config
	date := now.Format("20060102")
	names := backupNames{}
	narrowing := map[*migration.Statement]bool{}
	for _, fd := range append(append([]*engine.Finding{}, res.Findings...), res.Suppressed...) {
		if fd.Rule.ID == "narrowing-type-change" {
			narrowing[fd.Stmt] = true
		}
	}
	for _, s := range steps {
		n := s.node
		line := res.File.Source.Position(s.st.Start, migration.CodePoints).Line + 1
		add := func(table, what string, cols []string, where *pg.Node) {
			reason := fmt.Sprintf("line %d: %s", line, what)
			switch {
			case s.isFresh(table):
				notNeeded = append(notNeeded, fmt.Sprintf("No backup for %s: %s is new (%s) and holds no production data.", reason, table, s.fresh[lower(table)]))
				return
			case len(cols) == 1 && s.freshColumns[lower(table)+"."+cols[0]]:
				notNeeded = append(notNeeded, fmt.Sprintf("No backup for %s: the column was added by this migration or one not deployed yet, and holds no production data.", reason))
				return
			}
			rel, _ := s.table(table)
			out = append(out, backup(table, reason, cols, where, cfg, keyOf(rel, cols), names.next(table, cols, date)))
		}
		switch {
		case n.GetDropStmt() != nil && n.GetDropStmt().RemoveType == pg.ObjectType_OBJECT_TABLE:
			for _, obj := range n.GetDropStmt().Objects {
				t := sqlast.ObjectName(obj)
				add(t, "DROP TABLE "+t, nil, nil)
			}
		case n.GetTruncateStmt() != nil:
			for _, r := range n.GetTruncateStmt().Relations {
				t := sqlast.RangeVarName(r.GetRangeVar())
				add(t, "TRUNCATE "+t, nil, nil)
			}
		case n.GetDeleteStmt() != nil:
			ds := n.GetDeleteStmt()
			t := sqlast.RangeVarName(ds.Relation)
			add(t, "DELETE FROM "+t, nil, ds.WhereClause)
		case n.GetAlterTableStmt() != nil:
			t, cmds, _ := alterCmds(n)
			for _, cmd := range cmds {
				switch {
				case cmd.Subtype == pg.AlterTableType_AT_DropColumn:
					add(t, fmt.Sprintf("DROP COLUMN %s.%s", t, cmd.Name), []string{cmd.Name}, nil)
				case cmd.Subtype == pg.AlterTableType_AT_AlterColumnType && narrowing[s.st]:
					add(t, fmt.Sprintf("ALTER COLUMN %s.%s TYPE (narrowing)", t, cmd.Name), []string{cmd.Name}, nil)
				}
			}
		}
	}
	return out, notNeeded
}

// keyOf is the columns that identify a row of the table as the catalog knows it: its
// primary key, else a unique constraint on NOT NULL columns; nil when neither is known.
// A column backup copies them with the affected columns, and its restore joins on them.
// A key holding one of the affected columns is skipped: after the down its values
// are gone, and joining on it (SET id = b.id WHERE t.id = b.id) restores nothing.
func keyOf(t *project.Relation, affected []string) []string {
	if t == nil {
		return nil
	}
	var unique []string
	for _, con := range t.Constraints {
		if !t.Trust(con.Origin.Seq) || len(con.Columns) == 0 || slices.ContainsFunc(con.Columns, func(c string) bool { return contains(affected, c) }) {
			continue
		}
		switch {
		case con.Kind == project.PrimaryKey:
			return con.Columns
		case con.Kind == project.Unique && unique == nil && notNull(t, con.Columns):
			unique = con.Columns
		}
	}
	return unique
}

func notNull(t *project.Relation, cols []string) bool {
	for _, c := range cols {
		if col, ok := t.Column(c); !ok || !col.NotNull {
			return false
		}
	}
	return true
}

func backup(table, reason string, cols []string, where *pg.Node, cfg *config.Config, pk []string, name string) Backup {
	b := Backup{Reason: reason, Table: table}
	rel := relText(table)
	bare := table[strings.LastIndexByte(table, '.')+1:]
	sel := "*"
	if cols != nil && len(pk) > 0 {
		var all []string
		for _, c := range append(append([]string{}, pk...), cols...) {
			if !contains(all, ident(c)) {
				all = append(all, ident(c))
			}
		}
		sel = strings.Join(all, ", ")
	}
	cond := ""
	if where != nil {
		if w, err := deparseExpr(where); err == nil {
			cond = " WHERE " + w
		} else {
			cond = " WHERE <the DELETE's condition>"
		}
	}
	query := fmt.Sprintf("SELECT %s FROM %s%s", sel, rel, cond)
	rows, known := cfg.Rows(table)
	whole := cols == nil && where == nil
	switch {
	case known && rows <= copyRows:
		b.Method, b.Target = "table", name
		b.Take = fmt.Sprintf("CREATE TABLE %s AS %s;", ident(name), query)
		b.Verify = fmt.Sprintf("SELECT (SELECT count(*) FROM %s) = (SELECT count(*) FROM %s%s) AS ok, (SELECT count(*) FROM %s) || ' rows copied' AS detail;", ident(name), rel, cond, ident(name))
		b.Check = &Query{Name: "backup " + name + " holds every row of " + table, When: BeforeUp, SQL: strings.TrimSuffix(b.Verify, ";")}
	case whole:
		b.Method, b.Target = "pg_dump", name+".dump"
		b.Take = fmt.Sprintf("pg_dump --format=custom --table=%s --file=%s \"$DATABASE_URL\"", shellQuote(rel), b.Target)
		b.Verify = fmt.Sprintf("pg_restore --list %s | grep -q 'TABLE DATA .* %s ' && echo ok", b.Target, bare)
	default:
		b.Method, b.Target = "copy", name+".csv"
		b.Take = fmt.Sprintf("\\copy (%s) TO '%s' WITH (FORMAT csv, HEADER)", query, b.Target)
		// The file is loaded back and its rows counted: wc -l counts a CSV value that
		// holds a newline twice. Each psql argument is shell-quoted, so a quoted
		// (mixed-case) name reaches PostgreSQL with its quotes.
		tmp := ident(strings.TrimSuffix(b.Target, ".csv"))
		b.Verify = fmt.Sprintf("test \"$(psql -X -q -At -v ON_ERROR_STOP=1 -c %s -c %s -c %s \"$DATABASE_URL\")\" = t && echo ok",
			shellQuote(fmt.Sprintf("CREATE TEMP TABLE %s AS %s WITH NO DATA", tmp, query)),
			shellQuote(fmt.Sprintf("\\copy %s FROM '%s' WITH (FORMAT csv, HEADER)", tmp, b.Target)),
			shellQuote(fmt.Sprintf("SELECT (SELECT count(*) FROM %s) = (SELECT count(*) FROM %s%s)", tmp, rel, cond)))
	}
	b.Restore = restore(b, rel, cols, pk)
	return b
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// restore says how the backup goes back once the down migration has recreated the
// table or the column.
func restore(b Backup, rel string, cols, pk []string) string {
	src := ident(b.Target)
	if b.Method != "table" {
		src = "a table loaded from " + b.Target
	}
	if cols == nil {
		switch b.Method {
		case "pg_dump":
			// pg_restore's --table is a table's name as stored, not a pattern: quotes
			// (a mixed-case name) or a schema prefix match nothing, and it restores no
			// row without a word. The schema goes to --schema.
			table, schema := b.Table, ""
			if i := strings.LastIndexByte(table, '.'); i >= 0 {
				schema, table = table[:i], table[i+1:]
			}
			if schema != "" {
				schema = " --schema=" + shellQuote(schema)
			}
			return fmt.Sprintf("pg_restore --data-only%s --table=%s --dbname=\"$DATABASE_URL\" %s", schema, shellQuote(table), b.Target)
		case "copy":
			return fmt.Sprintf("\\copy %s FROM '%s' WITH (FORMAT csv, HEADER)", rel, b.Target)
		}
		return fmt.Sprintf("INSERT INTO %s SELECT * FROM %s;", rel, src)
	}
	var key string
	if len(pk) > 0 {
		var eq []string
		for _, k := range pk {
			eq = append(eq, fmt.Sprintf("t.%s = b.%s", ident(k), ident(k)))
		}
		key = strings.Join(eq, " AND ")
	} else {
		key = "t.<primary key> = b.<primary key>"
	}
	var set []string
	for _, c := range cols {
		set = append(set, fmt.Sprintf("%s = b.%s", ident(c), ident(c)))
	}
	load := ""
	if b.Method == "copy" && len(pk) > 0 {
		// The file holds the key and the columns, in that order (backup's SELECT): load
		// it into a temporary table of their types after the down, which has put the
		// columns back, then join. \copy is a psql command: it ends at its line's end.
		tmp := ident(strings.TrimSuffix(b.Target, ".csv"))
		var sel []string
		for _, c := range append(append([]string{}, pk...), cols...) {
			if !contains(sel, ident(c)) {
				sel = append(sel, ident(c))
			}
		}
		load = fmt.Sprintf("CREATE TEMP TABLE %s AS SELECT %s FROM %s WITH NO DATA;\n\\copy %s FROM '%s' WITH (FORMAT csv, HEADER)\n", tmp, strings.Join(sel, ", "), rel, tmp, b.Target)
		src = tmp
	}
	return fmt.Sprintf("%sUPDATE %s t SET %s FROM %s b WHERE %s;", load, rel, strings.Join(set, ", "), src, key)
}

// backupNames hands out the backups' names, one per backup: two drops of one table's
// columns in a migration each get their own table or file, or the second CREATE TABLE
// would fail and the second \copy overwrite the first.
type backupNames map[string]bool

// next is <table>_backup_<date> for a whole table, <table>_<column>_backup_<date> for a
// column, with _2, _3... when that is taken, cut to PostgreSQL's 63-byte names.
func (n backupNames) next(table string, cols []string, date string) string {
	base := table[strings.LastIndexByte(table, '.')+1:]
	if len(cols) > 0 {
		base += "_" + strings.Join(cols, "_")
	}
	for i := 1; ; i++ {
		suffix := "_backup_" + date
		if i > 1 {
			suffix += fmt.Sprintf("_%d", i)
		}
		name := base
		if len(name)+len(suffix) > 63 {
			name = name[:63-len(suffix)]
		}
		if !n[name+suffix] {
			n[name+suffix] = true
			return name + suffix
		}
	}
}

func shellQuote(s string) string {
	if strings.ContainsAny(s, " \"'$\\") {
		return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
	}
	return s
}

// deparseExpr prints an expression back as SQL, through a SELECT pg_query can deparse.
func deparseExpr(n *pg.Node) (string, error) {
	tree := &pg.ParseResult{Stmts: []*pg.RawStmt{{Stmt: &pg.Node{Node: &pg.Node_SelectStmt{SelectStmt: &pg.SelectStmt{
		TargetList: []*pg.Node{{Node: &pg.Node_ResTarget{ResTarget: &pg.ResTarget{Val: n}}}},
	}}}}}}
	s, err := pg.Deparse(tree)
	if err != nil {
		return "", err
	}
	return strings.TrimPrefix(s, "SELECT "), nil
}

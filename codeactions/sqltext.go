package codeactions

import (
	"regexp"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v5"

	"github.com/migsafe/migsafe/engine"
	"github.com/migsafe/migsafe/engine/locks"
	"github.com/migsafe/migsafe/engine/migration"
	"github.com/migsafe/migsafe/engine/sqlast"
)

// site is the statement a fix rewrites, with the text of its file.
type site struct {
	res  *engine.Result
	st   *migration.Statement
	text string
	// titles is set when only the fixes' titles are wanted (AttachTitles): work that
	// only shapes the edits is skipped.
	titles bool
}

// locks is the knowledge base's analysis of the statement.
func (s site) locks() locks.Analysis {
	for _, sr := range s.res.Statements {
		if sr.Stmt == s.st {
			return sr.Locks
		}
	}
	return locks.Analysis{}
}

// sharesTx reports whether statements added next to this one would run in a
// transaction with it: it runs in one already, or the runner sends the file as one
// multi-statement query, which PostgreSQL runs as an implicit transaction once the
// fix makes it more than one statement (golang-migrate, Prisma, and dbmate and Diesel
// with their transaction turned off).
func (s site) sharesTx() bool {
	switch s.res.File.Runner {
	case migration.GolangMigrate, migration.Prisma, migration.Dbmate, migration.Diesel:
		return true
	}
	return s.st.Tx.In()
}

// sql is the statement as written, terminated by a semicolon.
func (s site) sql() string {
	t := s.st.Text
	if !strings.HasSuffix(t, ";") {
		t += ";"
	}
	return t
}

// indent is the white space before the statement on its line, and whether the
// statement is the first thing on that line.
func (s site) indent() (string, bool) {
	ls := strings.LastIndexByte(s.text[:s.st.Start], '\n') + 1
	prefix := s.text[ls:s.st.Start]
	if strings.TrimSpace(prefix) != "" {
		return "", false
	}
	return prefix, true
}

// before inserts statements in front of the statement, each on a line of its own at
// the statement's indentation.
func (s site) before(stmts ...string) engine.Edit {
	ind, own := s.indent()
	sep := "\n" + ind
	if !own {
		sep = " "
	}
	return engine.Edit{Start: s.st.Start, End: s.st.Start, NewText: strings.Join(stmts, sep) + sep}
}

// after inserts statements on new lines after the statement, past a comment that
// ends its line, so the comment stays with the statement it annotates.
func (s site) after(stmts ...string) engine.Edit {
	ind, _ := s.indent()
	at := s.st.End
	rest := s.text[at:]
	nl := strings.IndexByte(rest, '\n')
	if nl < 0 {
		nl = len(rest)
	}
	if tail := strings.TrimSpace(rest[:nl]); tail == "" || strings.HasPrefix(tail, "--") {
		at += nl
	}
	return engine.Edit{Start: at, End: at, NewText: "\n" + ind + strings.Join(stmts, "\n"+ind)}
}

// replace replaces the statement (with its semicolon) by statements on lines of
// their own.
func (s site) replace(stmts ...string) engine.Edit {
	ind, _ := s.indent()
	return engine.Edit{Start: s.st.Start, End: s.st.End, NewText: strings.Join(stmts, "\n"+ind)}
}

// remove deletes the statement; when it has its lines to itself, the lines go too,
// with a comment that ends the last one.
func (s site) remove() engine.Edit {
	start, end := s.st.Start, s.st.End
	_, own := s.indent()
	if !own {
		return engine.Edit{Start: start, End: end}
	}
	start = strings.LastIndexByte(s.text[:start], '\n') + 1
	rest := s.text[end:]
	nl := strings.IndexByte(rest, '\n')
	if nl < 0 {
		nl = len(rest) - 1
	}
	if tail := strings.TrimSpace(rest[:nl+1]); tail == "" || strings.HasPrefix(tail, "--") {
		end += nl + 1
	}
	return engine.Edit{Start: start, End: end}
}

// tokenAt is the index of the first token starting at or after off, or -1.
func (s site) tokenAt(off int) int {
	for i, t := range s.st.Tokens {
		if t.Start >= off {
			return i
		}
	}
	return -1
}

// tokenText is the text of token i.
func (s site) tokenText(i int) string {
	t := s.st.Tokens[i]
	return s.text[t.Start:t.End]
}

// clauseEnd is the end of the last token of the clause that starts at token i: the
// token before the next comma at parenthesis depth zero, or the statement's last token.
func (s site) clauseEnd(i int) int {
	depth := 0
	end := s.st.Tokens[i].End
	for ; i < len(s.st.Tokens); i++ {
		switch s.tokenText(i) {
		case "(":
			depth++
		case ")":
			depth--
		case ",":
			if depth == 0 {
				return end
			}
		}
		if depth < 0 {
			return end
		}
		end = s.st.Tokens[i].End
	}
	return end
}

// cut removes [start, end) together with the white space before it, so `a NOT NULL`
// becomes `a`.
func (s site) cut(start, end int) engine.Edit {
	if i := s.tokenAt(start); i > 0 {
		start = s.st.Tokens[i-1].End
	}
	return engine.Edit{Start: start, End: end}
}

var plainIdent = regexp.MustCompile(`^[a-z_][a-z0-9_$]*$`)

// ident quotes an identifier when PostgreSQL would not read it back unchanged: upper
// case, special characters, or a reserved keyword (asked of pg_query's scanner).
func ident(name string) string {
	if plainIdent.MatchString(name) {
		if r, err := pg.Scan(name); err == nil && len(r.Tokens) == 1 {
			k := r.Tokens[0].KeywordKind
			if k == pg.KeywordKind_NO_KEYWORD || k == pg.KeywordKind_UNRESERVED_KEYWORD {
				return name
			}
		}
	}
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// relation is a table name ready to write back: schema.name, quoted where needed.
func relation(rv *pg.RangeVar) string {
	if rv == nil {
		return ""
	}
	if rv.Schemaname != "" {
		return ident(rv.Schemaname) + "." + ident(rv.Relname)
	}
	return ident(rv.Relname)
}

// literal quotes a string constant.
func literal(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// deparseExpr prints an expression with pg_query's deparser (by way of a SELECT list).
func deparseExpr(n *pg.Node) (string, bool) {
	sel := &pg.SelectStmt{TargetList: []*pg.Node{{Node: &pg.Node_ResTarget{ResTarget: &pg.ResTarget{Val: n}}}}}
	out, err := pg.Deparse(&pg.ParseResult{Stmts: []*pg.RawStmt{{Stmt: &pg.Node{Node: &pg.Node_SelectStmt{SelectStmt: sel}}}}})
	if err != nil || !strings.HasPrefix(out, "SELECT ") {
		return "", false
	}
	return strings.TrimPrefix(out, "SELECT "), true
}

// constraintName is PostgreSQL's default name for a constraint on table over cols:
// table_col1_col2_suffix. Past the 63-byte identifier limit PostgreSQL shortens the
// parts in its own way; this cuts the end, which is enough because fixes always write
// the name out.
func constraintName(table string, cols []string, suffix string) string {
	parts := append([]string{table}, cols...)
	name := strings.Join(parts, "_")
	if max := 63 - len(suffix) - 1; len(name) > max {
		name = name[:max]
	}
	return name + "_" + suffix
}

// strings of a name list such as a constraint's keys.
func names(nodes []*pg.Node) []string {
	out := make([]string, 0, len(nodes))
	for _, n := range nodes {
		out = append(out, n.GetString_().GetSval())
	}
	return out
}

func identList(cols []string) string {
	q := make([]string, len(cols))
	for i, c := range cols {
		q[i] = ident(c)
	}
	return strings.Join(q, ", ")
}

// alterTable is the statement's ALTER TABLE with its commands, or nil.
func alterTable(st *migration.Statement) (*pg.AlterTableStmt, []*pg.AlterTableCmd) {
	at := st.Node.GetAlterTableStmt()
	if at == nil {
		return nil, nil
	}
	var cmds []*pg.AlterTableCmd
	for _, c := range at.Cmds {
		if cmd := c.GetAlterTableCmd(); cmd != nil {
			cmds = append(cmds, cmd)
		}
	}
	return at, cmds
}

// contains reports whether pred holds for n or any node below it.
func contains(n *pg.Node, pred func(*pg.Node) bool) bool {
	found := false
	sqlast.Walk(n, func(x *pg.Node) {
		found = found || pred(x)
	})
	return found
}

// block marks a statement whose body holds semicolons (DO, CREATE FUNCTION) for
// runners that would otherwise split it at them: goose needs StatementBegin/End.
func (s site) block(stmt string) string {
	if s.res.File.Runner == migration.Goose {
		return "-- +goose StatementBegin\n" + stmt + "\n-- +goose StatementEnd"
	}
	return stmt
}

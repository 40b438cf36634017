package codeactions

import (
	"strings"

	pg "github.com/pganalyze/pg_query_go/v5"

	"github.com/migsafe/migsafe/engine/config"
	"github.com/migsafe/migsafe/engine/locks"
	"github.com/migsafe/migsafe/engine/migration"
	"github.com/migsafe/migsafe/engine/sqlast"
)

// Site is the statement a fix rewrites, with what the fix may read about it. A rule
// builds it from its Pass when it reports; the fix is built from it later, on demand.
type Site struct {
	File   *migration.File
	Stmt   *migration.Statement
	Config *config.Config
	// Locks is the knowledge base's analysis of Stmt.
	Locks locks.Analysis
	// TitlesOnly: the fixes are built for their titles, kinds and preference alone (a
	// report lists them), so a builder may return them without edits, files or phases.
	// It must return the same fixes, in the same order, as a full build would.
	TitlesOnly bool
}

// Text is the text of the statement's file.
func (s Site) Text() string { return s.File.Source.Text }

// PG is the target PostgreSQL major.
func (s Site) PG() int { return s.Config.PGVersion }

// SharesTx reports whether statements added next to this one would run in a
// transaction with it: it runs in one already, or the runner sends the file as one
// multi-statement query, which PostgreSQL runs as an implicit transaction once the
// fix makes it more than one statement (golang-migrate, Prisma, and dbmate and Diesel
// with their transaction turned off).
func (s Site) SharesTx() bool {
	switch s.File.Runner {
	case migration.GolangMigrate, migration.Prisma, migration.Dbmate, migration.Diesel:
		return true
	}
	return s.Stmt.Tx.In()
}

// SQL is the statement as written, terminated by a semicolon.
func (s Site) SQL() string {
	t := s.Stmt.Text
	if !strings.HasSuffix(t, ";") {
		t += ";"
	}
	return t
}

// Indent is the white space before the statement on its line, and whether the
// statement is the first thing on that line.
func (s Site) Indent() (string, bool) {
	ls := strings.LastIndexByte(s.Text()[:s.Stmt.Start], '\n') + 1
	prefix := s.Text()[ls:s.Stmt.Start]
	if strings.TrimSpace(prefix) != "" {
		return "", false
	}
	return prefix, true
}

// Before inserts statements in front of the statement, each on a line of its own at
// the statement's indentation.
func (s Site) Before(stmts ...string) Edit {
	ind, own := s.Indent()
	sep := "\n" + ind
	if !own {
		sep = " "
	}
	return Edit{Start: s.Stmt.Start, End: s.Stmt.Start, NewText: strings.Join(stmts, sep) + sep}
}

// After inserts statements on new lines after the statement, past a comment that
// ends its line, so the comment stays with the statement it annotates.
func (s Site) After(stmts ...string) Edit {
	ind, _ := s.Indent()
	at := s.Stmt.End
	rest := s.Text()[at:]
	nl := strings.IndexByte(rest, '\n')
	if nl < 0 {
		nl = len(rest)
	}
	if tail := strings.TrimSpace(rest[:nl]); tail == "" || strings.HasPrefix(tail, "--") {
		at += nl
	}
	return Edit{Start: at, End: at, NewText: "\n" + ind + strings.Join(stmts, "\n"+ind)}
}

// Replace replaces the statement (with its semicolon) by statements on lines of
// their own.
func (s Site) Replace(stmts ...string) Edit { return replaceStatement(s.Text(), s.Stmt, stmts...) }

// Remove deletes the statement; when it has its lines to itself, the lines go too,
// with a comment that ends the last one.
func (s Site) Remove() Edit { return removeStatement(s.Text(), s.Stmt) }

// MoveOut removes the statement for a fix that moves it into a later phase; when it was
// the only statement of the up section, a comment saying where it went is left in its
// place, so the migration does not read as empty.
func (s Site) MoveOut(where string) Edit {
	for _, other := range s.File.Statements {
		if other != s.Stmt && other.Section == migration.Up {
			return s.Remove()
		}
	}
	return s.Replace("-- migsafe: " + where + ".")
}

// TokenAt is the index of the first token starting at or after off, or -1.
func (s Site) TokenAt(off int) int {
	for i, t := range s.Stmt.Tokens {
		if int(t.Start) >= off {
			return i
		}
	}
	return -1
}

// TokenText is the text of token i.
func (s Site) TokenText(i int) string {
	t := s.Stmt.Tokens[i]
	return s.Text()[t.Start:t.End]
}

// ClauseEnd is the end of the last token of the clause that starts at token i: the
// token before the next comma at parenthesis depth zero, or the statement's last token.
func (s Site) ClauseEnd(i int) int {
	depth := 0
	end := int(s.Stmt.Tokens[i].End)
	for ; i < len(s.Stmt.Tokens); i++ {
		switch s.TokenText(i) {
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
		end = int(s.Stmt.Tokens[i].End)
	}
	return end
}

// Cut removes [start, end) together with the white space before it, so `a NOT NULL`
// becomes `a`.
func (s Site) Cut(start, end int) Edit {
	if i := s.TokenAt(start); i > 0 {
		start = int(s.Stmt.Tokens[i-1].End)
	}
	return Edit{Start: start, End: end}
}

// Ident quotes an identifier when PostgreSQL would not read it back unchanged: upper
// case, special characters, or a keyword other than an unreserved one (from the
// lexer's keyword table, which is PostgreSQL's own).
func Ident(name string) string {
	if plainIdent(name, true) {
		return name
	}
	return quoted(name)
}

// plainIdent says whether name reads back unchanged unquoted: [a-z_][a-z0-9_$]*
// (dollar only where dollar is true) and no keyword a bare name cannot be.
func plainIdent(name string, dollar bool) bool {
	if name == "" || !(name[0] >= 'a' && name[0] <= 'z' || name[0] == '_') {
		return false
	}
	for i := 1; i < len(name); i++ {
		c := name[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '$' && dollar) {
			return false
		}
	}
	k := migration.KeywordKind(name)
	return k == pg.KeywordKind_NO_KEYWORD || k == pg.KeywordKind_UNRESERVED_KEYWORD
}

func quoted(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// Relation is a table name ready to write back: schema.name, quoted where needed.
func Relation(rv *pg.RangeVar) string {
	if rv == nil {
		return ""
	}
	if rv.Schemaname != "" {
		return Ident(rv.Schemaname) + "." + Ident(rv.Relname)
	}
	return Ident(rv.Relname)
}

// Literal quotes a string constant.
func Literal(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// DeparseExpr prints an expression with pg_query's deparser (by way of a SELECT list).
func DeparseExpr(n *pg.Node) (string, bool) {
	sel := &pg.SelectStmt{TargetList: []*pg.Node{{Node: &pg.Node_ResTarget{ResTarget: &pg.ResTarget{Val: n}}}}}
	out, err := pg.Deparse(&pg.ParseResult{Stmts: []*pg.RawStmt{{Stmt: &pg.Node{Node: &pg.Node_SelectStmt{SelectStmt: sel}}}}})
	if err != nil || !strings.HasPrefix(out, "SELECT ") {
		return "", false
	}
	return strings.TrimPrefix(out, "SELECT "), true
}

// Deparses reports whether DeparseExpr writes every one of the expressions (nil ones
// aside). Expressions made only of plainExpr's nodes it writes (see plainExpr); the
// others are asked of the deparser, all in one call: it fails on the whole when it
// fails on a part.
func Deparses(exprs ...*pg.Node) bool {
	sel := &pg.SelectStmt{}
	for _, n := range exprs {
		if n != nil && !plainExpr(n) {
			sel.TargetList = append(sel.TargetList, &pg.Node{Node: &pg.Node_ResTarget{ResTarget: &pg.ResTarget{Val: n}}})
		}
	}
	if len(sel.TargetList) == 0 {
		return true
	}
	_, err := pg.Deparse(&pg.ParseResult{Stmts: []*pg.RawStmt{{Stmt: &pg.Node{Node: &pg.Node_SelectStmt{SelectStmt: sel}}}}})
	return err == nil
}

// plainExpr reports whether the expression holds only nodes that pg_query's deparser
// writes wherever PostgreSQL's grammar puts them in an expression: its errors are for
// node types outside its expression switch (deparseExpr, deparseFuncExpr), value nodes
// of unknown kinds and statements it does not handle, and none of those can be below
// these. A subquery of the same nodes is plain too: deparseSelectStmt writes its
// targets, FROM tables and joins, WHERE, GROUP BY, HAVING, ORDER BY and LIMIT with the
// same expression functions (the corpus's UPDATEs set columns from such subqueries),
// and a function call among its FROM items (jsonb_each_text(x) AS kv(key, value)).
// WITH, locking clauses, window functions, ordered aggregates, grouping sets, other
// FROM items, XML and JSON are left to the deparser itself. TestPlainExprsDeparse
// checks it on the corpus.
func plainExpr(n *pg.Node) bool {
	plain := true
	var noColumnDefs *pg.Node // the empty slot of a FROM function's column definitions
	sqlast.Walk(n, func(n *pg.Node) {
		switch x := n.Node.(type) {
		case *pg.Node_RangeFunction:
			// FROM f(...) [WITH ORDINALITY] [AS alias(columns)]: deparseRangeFunction
			// writes its one function by deparseFuncExprWindowless, which writes a
			// FuncCall with deparseFuncCall; ROWS FROM and column definitions are left
			// to the deparser.
			rf := x.RangeFunction
			pair := (*pg.List)(nil)
			if len(rf.Functions) == 1 {
				pair = rf.Functions[0].GetList()
			}
			if rf.IsRowsfrom || len(rf.Coldeflist) > 0 || pair == nil || len(pair.Items) != 2 ||
				pair.Items[0].GetFuncCall() == nil || pair.Items[1] == nil || pair.Items[1].Node != nil {
				plain = false
				return
			}
			noColumnDefs = pair.Items[1]
		case nil:
			if n != noColumnDefs {
				plain = false
			}
		case *pg.Node_ColumnRef, *pg.Node_AConst, *pg.Node_ParamRef, *pg.Node_AIndirection,
			*pg.Node_AIndices, *pg.Node_AStar, *pg.Node_String_, *pg.Node_Integer, *pg.Node_Float,
			*pg.Node_Boolean, *pg.Node_BitString, *pg.Node_List, *pg.Node_CaseExpr, *pg.Node_CaseWhen,
			*pg.Node_AArrayExpr, *pg.Node_RowExpr, *pg.Node_TypeCast, *pg.Node_CollateClause,
			*pg.Node_AExpr, *pg.Node_BoolExpr, *pg.Node_NullTest, *pg.Node_BooleanTest,
			*pg.Node_NamedArgExpr, *pg.Node_SqlvalueFunction, *pg.Node_MinMaxExpr, *pg.Node_CoalesceExpr,
			*pg.Node_SubLink, *pg.Node_ResTarget, *pg.Node_RangeVar, *pg.Node_JoinExpr, *pg.Node_SortBy:
		case *pg.Node_SelectStmt:
			if x.SelectStmt.WithClause != nil || len(x.SelectStmt.LockingClause) > 0 || x.SelectStmt.IntoClause != nil {
				plain = false
			}
		case *pg.Node_FuncCall:
			if x.FuncCall.Over != nil || len(x.FuncCall.AggOrder) > 0 || x.FuncCall.AggFilter != nil {
				plain = false
			}
		default:
			plain = false
		}
	})
	return plain
}

// ConstraintName is PostgreSQL's default name for a constraint on table over cols:
// table_col1_col2_suffix. Past the 63-byte identifier limit PostgreSQL shortens the
// parts in its own way; this cuts the end, which is enough because fixes always write
// the name out.
func ConstraintName(table string, cols []string, suffix string) string {
	parts := append([]string{table}, cols...)
	name := strings.Join(parts, "_")
	if max := 63 - len(suffix) - 1; len(name) > max {
		name = name[:max]
	}
	return name + "_" + suffix
}

// Names are the strings of a name list such as a constraint's keys.
func Names(nodes []*pg.Node) []string {
	out := make([]string, 0, len(nodes))
	for _, n := range nodes {
		out = append(out, n.GetString_().GetSval())
	}
	return out
}

// IdentList writes column names as a list.
func IdentList(cols []string) string {
	q := make([]string, len(cols))
	for i, c := range cols {
		q[i] = Ident(c)
	}
	return strings.Join(q, ", ")
}

// AlterTable is the statement's ALTER TABLE with its commands, or nil.
func AlterTable(st *migration.Statement) (*pg.AlterTableStmt, []*pg.AlterTableCmd) {
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

// Contains reports whether pred holds for n or any node below it.
func Contains(n *pg.Node, pred func(*pg.Node) bool) bool {
	found := false
	sqlast.Walk(n, func(x *pg.Node) {
		found = found || pred(x)
	})
	return found
}

// Block marks a statement whose body holds semicolons (DO, CREATE FUNCTION) for
// runners that would otherwise split it at them: goose needs StatementBegin/End, unless
// the statement already sits in such a block, which goose does not nest.
func (s Site) Block(stmt string) string {
	if s.File.Runner == migration.Goose && !s.File.InGooseBlock(s.Stmt.Start) {
		return "-- +goose StatementBegin\n" + stmt + "\n-- +goose StatementEnd"
	}
	return stmt
}

package coderefs

import (
	"regexp"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v5"

	"github.com/migsafe/migsafe/engine/migration"
	"github.com/migsafe/migsafe/engine/sqlast"
)

// sqlcName is sqlc's query annotation: "-- name: GetUser :one".
var sqlcName = regexp.MustCompile(`^--\s*name:\s*(\w+)`)

// schemaWords spot a schema or migration file before parsing it: DDL, or a runner's
// directives. Parsing would say the same (isDDL), at the cost of a parse per file.
var schemaWords = regexp.MustCompile(`(?i)\b(?:create|alter|drop)\s+(?:(?:unique\s+)?index|table|schema|type|view|sequence|extension|function)\b|--\s*\+goose|--\s*migrate:`)

// sqlFileRefs reads a .sql file of queries (sqlc's query files, a repository's
// queries). A file with DDL is a schema or a migration, not code: it has no uses.
func sqlFileRefs(p, text string) []ref {
	if schemaWords.MatchString(text) {
		return nil
	}
	f := migration.Parse(p, normalizeSQL(text), migration.Options{Runner: migration.Plain})
	var out []ref
	ci := 0
	for _, st := range f.Statements {
		if st.Node == nil {
			continue
		}
		if isDDL(st.Node) {
			return nil
		}
		detail := "SQL"
		// The sqlc annotation is the last comment before the statement.
		for ci < len(f.Comments) && f.Comments[ci].Start < st.Start {
			if m := sqlcName.FindStringSubmatch(f.Comments[ci].Text); m != nil {
				detail = "sqlc query " + m[1]
			}
			ci++
		}
		out = append(out, stmtRefs(st.Node, st.Pos, detail)...)
	}
	return out
}

// isDDL reports statements that define schema rather than use it.
func isDDL(n *pg.Node) bool {
	switch n.Node.(type) {
	case *pg.Node_SelectStmt, *pg.Node_InsertStmt, *pg.Node_UpdateStmt, *pg.Node_DeleteStmt,
		*pg.Node_MergeStmt, *pg.Node_CopyStmt, *pg.Node_ExplainStmt, *pg.Node_TransactionStmt,
		*pg.Node_VariableSetStmt, *pg.Node_CallStmt, *pg.Node_LockStmt:
		return false
	}
	return true
}

// literalRefs parses a string literal that looks like SQL; text is already blanked
// outside the literal's content, and base is its offset in the file. ok is false when
// the literal is not a statement that parses.
func literalRefs(text string, base int, detail string) (refs []ref, ok bool) {
	if !looksLikeSQL(text) {
		return nil, false
	}
	tree, err := pg.Parse(normalizeSQL(text))
	if err != nil {
		return nil, false
	}
	var out []ref
	for _, raw := range tree.Stmts {
		pos := func(loc int32) int {
			if loc < 0 {
				return base + int(raw.StmtLocation)
			}
			return base + int(loc)
		}
		out = append(out, stmtRefs(raw.Stmt, pos, detail)...)
	}
	return out, true
}

var sqlStart = map[string]bool{"select": true, "insert": true, "update": true, "delete": true, "with": true, "merge": true}

// looksLikeSQL: the first word (after blanks, parentheses and comments) starts a query.
func looksLikeSQL(s string) bool {
	i := 0
	for i < len(s) {
		switch {
		case s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r' || s[i] == '(':
			i++
		case strings.HasPrefix(s[i:], "--"):
			for i < len(s) && s[i] != '\n' {
				i++
			}
		default:
			j := i
			for j < len(s) && identPart(s[j]) {
				j++
			}
			return j > i && j < len(s) && sqlStart[strings.ToLower(s[i:j])]
		}
	}
	return false
}

// normalizeSQL turns the placeholders of drivers and ORMs into identifiers of the same
// length, outside quotes and comments, so the statement parses and every offset still
// points at the same byte: ? and %s (database/sql, psycopg), :name (Rails, SQLAlchemy,
// sqlx), @name (sqlc), %(name)s (psycopg), {name} (str.format).
func normalizeSQL(s string) string {
	b := []byte(s)
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case c == '\'' || c == '"':
			i = skipQuoted(b, i, c)
		case c == '-' && i+1 < len(b) && b[i+1] == '-':
			for i < len(b) && b[i] != '\n' {
				i++
			}
		case c == '/' && i+1 < len(b) && b[i+1] == '*':
			if j := strings.Index(string(b[i+2:]), "*/"); j >= 0 {
				i += j + 3
			} else {
				i = len(b)
			}
		case c == '?' && (i+1 >= len(b) || (b[i+1] != '|' && b[i+1] != '&')):
			b[i] = '_'
		case (c == ':' || c == '@') && i+1 < len(b) && identStart(b[i+1]) && (i == 0 || b[i-1] != ':'):
			b[i] = '_'
		case c == '%' && i+1 < len(b) && (b[i+1] == 's' || b[i+1] == 'd' || b[i+1] == 'v'):
			b[i], b[i+1] = '_', 'x'
			i++
		case c == '%' && i+1 < len(b) && b[i+1] == '(':
			j := i + 1
			for j < len(b) && b[j] != ')' {
				j++
			}
			if j+1 < len(b) {
				blank(b, i, j+2)
				b[i] = '_'
				i = j + 1
			}
		case c == '{':
			j := i
			for j < len(b) && b[j] != '}' && b[j] != '\n' {
				j++
			}
			if j < len(b) && b[j] == '}' {
				blank(b, i, j+1)
				b[i] = '_'
				i = j
			}
		}
	}
	return string(b)
}

// skipQuoted returns the index of the quote closing the one at i; a doubled quote
// escapes itself.
func skipQuoted(b []byte, i int, q byte) int {
	for j := i + 1; j < len(b); j++ {
		if b[j] == q {
			if j+1 < len(b) && b[j+1] == q {
				j++
				continue
			}
			return j
		}
	}
	return len(b)
}

// blank replaces b[start:end] with spaces, keeping newlines so lines stay put.
func blank(b []byte, start, end int) {
	for i := start; i < end && i < len(b); i++ {
		if b[i] != '\n' {
			b[i] = ' '
		}
	}
}

// stmtRefs collects the tables and columns a statement names. Unqualified columns may
// belong to any table of the statement; qualified ones are resolved through aliases.
func stmtRefs(n *pg.Node, pos func(int32) int, detail string) []ref {
	ctes := map[string]bool{}
	aliases := map[string]string{}
	var tables []string
	var out []ref
	skip := map[*pg.ColumnRef]bool{}
	predicate := map[*pg.ColumnRef]bool{}
	markPredicate := func(ns ...*pg.Node) {
		for _, x := range ns {
			sqlast.Walk(x, func(m *pg.Node) {
				if cr := m.GetColumnRef(); cr != nil {
					predicate[cr] = true
				}
			})
		}
	}
	sqlast.Walk(n, func(m *pg.Node) {
		switch {
		case m.GetCommonTableExpr() != nil:
			ctes[strings.ToLower(m.GetCommonTableExpr().Ctename)] = true
		case m.GetFuncCall() != nil:
			// sqlc.arg(name), sqlc.narg(name), sqlc.slice(name) name parameters, not columns.
			fc := m.GetFuncCall()
			if len(fc.Funcname) == 2 && fc.Funcname[0].GetString_().GetSval() == "sqlc" {
				for _, a := range fc.Args {
					sqlast.Walk(a, func(x *pg.Node) {
						if cr := x.GetColumnRef(); cr != nil {
							skip[cr] = true
						}
					})
				}
			}
		case m.GetSelectStmt() != nil:
			s := m.GetSelectStmt()
			markPredicate(s.WhereClause, s.HavingClause)
			markPredicate(s.GroupClause...)
			markPredicate(s.SortClause...)
		case m.GetJoinExpr() != nil:
			markPredicate(m.GetJoinExpr().Quals)
		case m.GetUpdateStmt() != nil:
			markPredicate(m.GetUpdateStmt().WhereClause)
		case m.GetDeleteStmt() != nil:
			markPredicate(m.GetDeleteStmt().WhereClause)
		}
	})
	sqlast.Walk(n, func(m *pg.Node) {
		rv := m.GetRangeVar()
		if rv == nil {
			return
		}
		t := strings.ToLower(rv.Relname)
		if rv.Schemaname == "" && ctes[t] {
			return
		}
		tables = append(tables, t)
		aliases[t] = t
		if rv.Alias != nil && rv.Alias.Aliasname != "" {
			aliases[strings.ToLower(rv.Alias.Aliasname)] = t
		}
		out = append(out, ref{table: t, off: pos(rv.Location), kind: SQL, detail: detail})
	})
	column := func(table, col string, loc int32, pred bool) {
		r := ref{table: table, column: strings.ToLower(col), off: pos(loc), kind: SQL, detail: detail, predicate: pred}
		if table == "" {
			r.tables = tables
		}
		out = append(out, r)
	}
	sqlast.Walk(n, func(m *pg.Node) {
		switch {
		case m.GetColumnRef() != nil:
			cr := m.GetColumnRef()
			if skip[cr] {
				return
			}
			var names []string
			for _, f := range cr.Fields {
				if f.GetAStar() != nil {
					return
				}
				names = append(names, f.GetString_().GetSval())
			}
			switch len(names) {
			case 0:
			case 1:
				column("", names[0], cr.Location, predicate[cr])
			default:
				q := strings.ToLower(names[len(names)-2])
				t, ok := aliases[q]
				if !ok {
					t = q
				}
				column(t, names[len(names)-1], cr.Location, predicate[cr])
			}
		case m.GetInsertStmt() != nil:
			is := m.GetInsertStmt()
			t := strings.ToLower(is.Relation.GetRelname())
			for _, c := range is.Cols {
				if rt := c.GetResTarget(); rt != nil {
					column(t, rt.Name, rt.Location, false)
				}
			}
			if oc := is.OnConflictClause; oc != nil && oc.Infer != nil {
				for _, e := range oc.Infer.IndexElems {
					if ie := e.GetIndexElem(); ie != nil && ie.Name != "" {
						column(t, ie.Name, is.Relation.GetLocation(), true)
					}
				}
			}
		case m.GetUpdateStmt() != nil:
			us := m.GetUpdateStmt()
			t := strings.ToLower(us.Relation.GetRelname())
			for _, c := range us.TargetList {
				if rt := c.GetResTarget(); rt != nil {
					column(t, rt.Name, rt.Location, false)
				}
			}
		}
	})
	return out
}

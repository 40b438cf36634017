package codeactions

import (
	"strings"

	pg "github.com/pganalyze/pg_query_go/v5"
	"google.golang.org/protobuf/proto"

	"github.com/migsafe/migsafe/engine/migration"
	"github.com/migsafe/migsafe/engine/sqlast"
)

// A fix that moves part of a migration into later phases must change the migration's
// down too: rolling back runs each phase's down in reverse order and then this one, so
// this one must no longer undo what the phases undo (dropping a constraint that a
// phase's down already dropped fails the rollback), and must undo what the fix now does
// here instead (the expand half of a rename).

// Undo is an edit to the migration's down: the down statements that match are replaced
// by Stmts; with no Stmts, a DROP is made IF EXISTS (a phase's down already dropped
// it, and the down keeps its statement) and anything else is removed.
type Undo struct {
	Match func(*pg.Node) bool
	Stmts []string
	// Keep keeps the matched statement, with Stmts after it.
	Keep bool
}

// DownEdits turns undos into edits: in this file for runners that keep the down as a
// section (goose, dbmate), of the down file otherwise. A down that is missing, or has
// no statement an undo matches, is left alone.
func (s Site) DownEdits(undos ...Undo) (inFile []Edit, others []FileEdit) {
	d := s.File.Down
	text := d.Text
	if d.Where == "section" {
		text = s.Text()
	}
	if !d.Found || len(d.Statements) == 0 {
		return nil, nil
	}
	var edits []Edit
	for _, st := range d.Statements {
		if st.Node == nil {
			continue
		}
		// Every undo that matches the statement has its say in one edit of it.
		matched, keep := false, false
		var stmts []string
		for _, u := range undos {
			if u.Match(st.Node) {
				matched = true
				keep = keep || u.Keep
				stmts = append(stmts, u.Stmts...)
			}
		}
		switch {
		case !matched:
		case keep:
			edits = append(edits, replaceStatement(text, st, append([]string{strings.TrimSpace(st.Text)}, stmts...)...))
		case len(stmts) > 0:
			edits = append(edits, replaceStatement(text, st, stmts...))
		default:
			if drop, ok := ifExists(st); ok {
				edits = append(edits, replaceStatement(text, st, drop))
			} else {
				edits = append(edits, removeStatement(text, st))
			}
		}
	}
	if len(edits) == 0 {
		return nil, nil
	}
	if d.Where == "section" {
		return edits, nil
	}
	return nil, []FileEdit{{Path: d.Path, Base: text, Edits: edits}}
}

// ifExists is a DROP statement (DROP INDEX, ALTER TABLE ... DROP CONSTRAINT or DROP
// COLUMN) that does nothing when its object is gone.
func ifExists(st *migration.Statement) (string, bool) {
	n := proto.Clone(st.Node).(*pg.Node)
	switch {
	case n.GetDropStmt() != nil:
		n.GetDropStmt().MissingOk = true
	case n.GetAlterTableStmt() != nil:
		for _, c := range n.GetAlterTableStmt().Cmds {
			cmd := c.GetAlterTableCmd()
			if cmd.GetSubtype() != pg.AlterTableType_AT_DropConstraint && cmd.GetSubtype() != pg.AlterTableType_AT_DropColumn {
				return "", false
			}
			cmd.MissingOk = true
		}
	default:
		return "", false
	}
	out, err := pg.Deparse(&pg.ParseResult{Stmts: []*pg.RawStmt{{Stmt: n}}})
	if err != nil {
		return "", false
	}
	return out + ";", true
}

// DropsIndex matches DROP INDEX of the index name (schema-qualified or not).
func DropsIndex(name string) func(*pg.Node) bool {
	return func(n *pg.Node) bool {
		d := n.GetDropStmt()
		if d == nil || d.RemoveType != pg.ObjectType_OBJECT_INDEX {
			return false
		}
		for _, o := range d.Objects {
			if l := o.GetList(); l != nil && strings.EqualFold(sqlast.LastName(l.Items), name) {
				return true
			}
		}
		return false
	}
}

// DropsConstraint matches ALTER TABLE table DROP CONSTRAINT name.
func DropsConstraint(table, name string) func(*pg.Node) bool {
	return altersTable(table, func(c *pg.AlterTableCmd) bool {
		return c.Subtype == pg.AlterTableType_AT_DropConstraint && strings.EqualFold(c.Name, name)
	})
}

// DropsColumn matches ALTER TABLE table DROP COLUMN column.
func DropsColumn(table, column string) func(*pg.Node) bool {
	return altersTable(table, func(c *pg.AlterTableCmd) bool {
		return c.Subtype == pg.AlterTableType_AT_DropColumn && strings.EqualFold(c.Name, column)
	})
}

// AddsColumn matches ALTER TABLE table ADD COLUMN column.
func AddsColumn(table, column string) func(*pg.Node) bool {
	return altersTable(table, func(c *pg.AlterTableCmd) bool {
		cd := c.GetDef().GetColumnDef()
		return c.Subtype == pg.AlterTableType_AT_AddColumn && cd != nil && strings.EqualFold(cd.Colname, column)
	})
}

// AltersColumnType matches ALTER TABLE table ALTER COLUMN column TYPE.
func AltersColumnType(table, column string) func(*pg.Node) bool {
	return altersTable(table, func(c *pg.AlterTableCmd) bool {
		return c.Subtype == pg.AlterTableType_AT_AlterColumnType && strings.EqualFold(c.Name, column)
	})
}

// DropsNotNull matches ALTER TABLE table ALTER COLUMN column DROP NOT NULL.
func DropsNotNull(table, column string) func(*pg.Node) bool {
	return altersTable(table, func(c *pg.AlterTableCmd) bool {
		return c.Subtype == pg.AlterTableType_AT_DropNotNull && strings.EqualFold(c.Name, column)
	})
}

// RenamesColumn matches ALTER TABLE table RENAME COLUMN from TO to.
func RenamesColumn(table, from, to string) func(*pg.Node) bool {
	return func(n *pg.Node) bool {
		r := n.GetRenameStmt()
		return r != nil && r.RenameType == pg.ObjectType_OBJECT_COLUMN && sameTable(r.Relation, table) &&
			strings.EqualFold(r.Subname, from) && strings.EqualFold(r.Newname, to)
	}
}

// RenamesTable matches ALTER TABLE from RENAME TO to.
func RenamesTable(from, to string) func(*pg.Node) bool {
	return func(n *pg.Node) bool {
		r := n.GetRenameStmt()
		return r != nil && r.RenameType == pg.ObjectType_OBJECT_TABLE && sameTable(r.Relation, from) && strings.EqualFold(r.Newname, to)
	}
}

// CreatesTable matches CREATE TABLE name.
func CreatesTable(name string) func(*pg.Node) bool {
	return func(n *pg.Node) bool {
		c := n.GetCreateStmt()
		return c != nil && sameTable(c.Relation, name)
	}
}

func altersTable(table string, cmd func(*pg.AlterTableCmd) bool) func(*pg.Node) bool {
	return func(n *pg.Node) bool {
		at := n.GetAlterTableStmt()
		if at == nil || !sameTable(at.Relation, table) {
			return false
		}
		for _, c := range at.Cmds {
			if ac := c.GetAlterTableCmd(); ac != nil && cmd(ac) {
				return true
			}
		}
		return false
	}
}

// sameTable compares a table reference with a name as the fix writes it (the
// statement's relation); a schema on one side only still matches.
func sameTable(rv *pg.RangeVar, name string) bool {
	if rv == nil {
		return false
	}
	name = strings.ToLower(strings.ReplaceAll(name, `"`, ""))
	if i := strings.LastIndexByte(name, '.'); i >= 0 && rv.Schemaname == "" {
		name = name[i+1:]
	}
	got := strings.ToLower(rv.Relname)
	if rv.Schemaname != "" && strings.Contains(name, ".") {
		got = strings.ToLower(rv.Schemaname) + "." + got
	}
	return got == name
}

// removeStatement deletes a statement of text; when it has its lines to itself, the
// lines go too, with a comment that ends the last one.
func removeStatement(text string, st *migration.Statement) Edit {
	start, end := st.Start, st.End
	ls := strings.LastIndexByte(text[:start], '\n') + 1
	if strings.TrimSpace(text[ls:start]) != "" {
		return Edit{Start: start, End: end}
	}
	start = ls
	rest := text[end:]
	nl := strings.IndexByte(rest, '\n')
	if nl < 0 {
		nl = len(rest) - 1
	}
	if tail := strings.TrimSpace(rest[:nl+1]); tail == "" || strings.HasPrefix(tail, "--") {
		end += nl + 1
	}
	return Edit{Start: start, End: end}
}

// replaceStatement replaces a statement of text (with its semicolon) by statements on
// lines of their own, at its indentation.
func replaceStatement(text string, st *migration.Statement, stmts ...string) Edit {
	ls := strings.LastIndexByte(text[:st.Start], '\n') + 1
	ind := text[ls:st.Start]
	if strings.TrimSpace(ind) != "" {
		ind = ""
	}
	newText := strings.Join(stmts, "\n"+ind)
	// Text ending in a line comment ("-- +goose StatementEnd" after a DO block) would
	// take in what follows the statement on its line: a trailing comment made goose
	// refuse the file ("StatementEnd -- note" is no annotation), and a next statement
	// would have become part of the comment. Then what follows goes on a line of its
	// own (a comment after a comment of migsafe's stays where it was).
	rest := text[st.End:]
	if i := strings.IndexByte(rest, '\n'); i >= 0 {
		rest = rest[:i]
	}
	lastLine := strings.TrimSpace(newText[strings.LastIndexByte(newText, '\n')+1:])
	after := strings.TrimSpace(rest)
	if strings.HasPrefix(lastLine, "--") && after != "" && (strings.HasPrefix(lastLine, "-- +goose") || !strings.HasPrefix(after, "--")) {
		newText += "\n" + ind
		if trimmed := strings.TrimLeft(rest, " \t"); len(trimmed) < len(rest) {
			return Edit{Start: st.Start, End: st.End + len(rest) - len(trimmed), NewText: newText}
		}
	}
	return Edit{Start: st.Start, End: st.End, NewText: newText}
}

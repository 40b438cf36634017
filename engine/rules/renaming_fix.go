package rules

import (
	"fmt"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v5"
	"google.golang.org/protobuf/proto"

	ca "github.com/migsafe/migsafe/codeactions"
	"github.com/migsafe/migsafe/engine/sqlast"
)

// renameColumnFixes replaces RENAME COLUMN, which breaks every running query that
// names the old column, by expand/contract (see column). The batch job commits inside
// a DO block, which needs PostgreSQL 11.
func renameColumnFixes(s ca.Site) []ca.Fix {
	r := s.Stmt.Node.GetRenameStmt()
	if r == nil || r.RenameType != pg.ObjectType_OBJECT_COLUMN || r.Relation == nil || r.Subname == "" || r.Newname == "" || s.PG() < 11 {
		return nil
	}
	c := column{table: r.Relation, old: r.Subname, new: r.Newname, from: "%s", back: "%s"}
	table := ca.Relation(r.Relation)
	oldCol, newCol := ca.Ident(c.old), ca.Ident(c.new)
	fix := ca.Fix{
		Title:     fmt.Sprintf("Rename %s to %s by expand/contract: add, sync and fill %s now; drop %s in a contract phase once the code has moved", oldCol, newCol, newCol, oldCol),
		Kind:      "refactor.rewrite",
		Preferred: true,
	}
	if s.TitlesOnly {
		return []ca.Fix{fix}
	}
	expand, sync, syncFn, check := c.expandSQL(s)
	head := fmt.Sprintf("-- Expand/contract instead of RENAME COLUMN %s TO %s: code still running during the deploy keeps\n"+
		"-- working. %s is added and kept in step with %s by a trigger; the phases that follow fill it,\n"+
		"-- copy %s's indexes and NOT NULL; %s is dropped once no deployed code uses it (.migsafe/pending).", oldCol, newCol, newCol, oldCol, oldCol, oldCol)
	wait := fmt.Sprintf("every deployed version of the application reads and writes %s.%s instead of %s", table, c.new, c.old)
	contract := []string{fmt.Sprintf("ALTER TABLE %s DROP COLUMN %s;", table, oldCol)}
	readd := []string{
		ca.Dynamic("re-adds " + c.old + " with the type of " + c.new + ", read from the catalog when it runs"),
		"DO $migsafe$",
		"BEGIN",
		fmt.Sprintf("  EXECUTE format('ALTER TABLE %%s ADD COLUMN %%I %%s', %s::regclass, %s,", ca.Literal(table), ca.Literal(c.old)),
		fmt.Sprintf("    (SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = %s::regclass AND attname = %s));", ca.Literal(table), ca.Literal(c.new)),
		"END",
		"$migsafe$;",
	}
	contractDown := []string{
		"-- Re-adds " + oldCol + " (its data copied back from " + newCol + ") and the trigger; its indexes are not re-created.",
		strings.Join(readd, "\n"),
		fmt.Sprintf("UPDATE %s SET %s = %s;", table, oldCol, newCol),
	}
	contractDown = append(contractDown, expand[1:]...)
	phases := c.phases(s, sync, syncFn, check, wait, contract, contractDown)
	if readsLater(s, c.table, c.new) {
		// The rest of this migration reads the new name (UPDATE t SET a = new), which the
		// rename had filled: it must be filled before them, not in a phase after, or they
		// read NULL (and a NOT NULL they add fails, its NOT VALID check left failing
		// every UPDATE of a row not filled yet).
		expand = append(expand, c.fillNow(s))
		phases = phases[1:]
	}
	undo := []string{
		fmt.Sprintf("DROP TRIGGER IF EXISTS %s ON %s;", sync, table),
		fmt.Sprintf("DROP FUNCTION IF EXISTS %s();", syncFn),
		fmt.Sprintf("ALTER TABLE %s DROP COLUMN IF EXISTS %s;", table, newCol),
	}
	downEdits, others := s.DownEdits(ca.Undo{Match: ca.RenamesColumn(table, c.new, c.old), Stmts: undo})
	fix.Edits = append([]ca.Edit{s.Replace(append([]string{head}, inFile(s, expand)...)...)}, downEdits...)
	fix.Others, fix.Phases = others, phases
	return []ca.Fix{fix}
}

// changeTypeFixes replaces ALTER COLUMN ... TYPE, which rewrites the table and its
// indexes under ACCESS EXCLUSIVE, by expand/contract: a new column of the new type,
// filled through the statement's USING expression (or a cast) by the trigger and a
// batch job, and a contract phase that swaps the names once the code handles the new
// type.
func changeTypeFixes(s ca.Site) []ca.Fix {
	at, cmds := ca.AlterTable(s.Stmt)
	if at == nil || len(cmds) != 1 || cmds[0].Subtype != pg.AlterTableType_AT_AlterColumnType || s.PG() < 11 {
		return nil
	}
	cmd := cmds[0]
	cd := cmd.GetDef().GetColumnDef()
	if cd == nil || cd.TypeName == nil || cmd.Name == "" {
		return nil
	}
	typ, ok := ca.TypeName(cd.TypeName)
	if !ok {
		return nil
	}
	var using string // the USING template, when a full build needs it
	hasUsing := false
	if cd.RawDefault != nil && !(s.TitlesOnly && usingNames(cd.RawDefault, cmd.Name) && ca.Deparses(cd.RawDefault)) {
		// USING expr names the column: the expression is kept with the column's
		// reference replaced by the value (NEW.col in the trigger, col in the backfill).
		// A title needs only to know that the template exists, which it does for an
		// expression naming the column that the deparser writes: the copy of the tree
		// and the deparse are for the fix's edits (and made protobuf build its message
		// infos for every node type, ~1.5 MB that stayed alive for the rest of a check).
		e, ok := usingTemplate(cd.RawDefault, cmd.Name)
		if !ok {
			return nil
		}
		using, hasUsing = e, true
	}
	fix := ca.Fix{
		Title:     "Change " + ca.Ident(cmd.Name) + "'s type by expand/contract: a new column kept in step and filled in batches, swapped in a contract phase",
		Kind:      "refactor.rewrite",
		Preferred: true,
	}
	if s.TitlesOnly {
		return []ca.Fix{fix}
	}
	from := "(%s)::" + typ
	if hasUsing {
		from = using
	}
	table := ca.Relation(at.Relation)
	tmp := cmd.Name + "_new"
	// Writes of new code reach the old column by PL/pgSQL's assignment cast when its
	// old type is not known here.
	back := "%s"
	oldType := oldTypeOf(s, table, cmd.Name)
	if oldType != "" {
		back = "(%s)::" + oldType
	}
	c := column{table: at.Relation, old: cmd.Name, new: tmp, typ: typ, from: from, back: back}
	oldCol, tmpCol := ca.Ident(c.old), ca.Ident(tmp)
	expand, sync, syncFn, check := c.expandSQL(s)
	head := fmt.Sprintf("-- Expand/contract instead of ALTER COLUMN %s TYPE %s, which rewrites %s under ACCESS EXCLUSIVE:\n"+
		"-- %s of the new type is added and kept in step by a trigger; the phases that follow fill it and\n"+
		"-- copy %s's indexes and NOT NULL; a contract phase swaps the names once the code handles the new type.", oldCol, typ, table, tmpCol, oldCol)
	wait := fmt.Sprintf("every deployed version of the application handles %s.%s as %s", table, c.old, typ)
	contract := []string{
		fmt.Sprintf("ALTER TABLE %s DROP COLUMN %s;", table, oldCol),
		fmt.Sprintf("ALTER TABLE %s RENAME COLUMN %s TO %s;", table, tmpCol, oldCol),
	}
	contractDown := []string{fmt.Sprintf("-- Undoing the swap needs %s's old type, which is not known here: write it back from %s.", oldCol, tmpCol)}
	if oldType != "" {
		// The old column back, of its old type, filled from the new one (in one UPDATE:
		// a rollback), and the trigger that keeps them in step.
		contractDown = append([]string{
			fmt.Sprintf("ALTER TABLE %s RENAME COLUMN %s TO %s;", table, oldCol, tmpCol),
			fmt.Sprintf("ALTER TABLE %s ADD COLUMN %s %s;", table, oldCol, oldType),
			fmt.Sprintf("UPDATE %s SET %s = (%s)::%s;", table, oldCol, tmpCol, oldType),
		}, expand[1:]...)
	}
	phases := c.phases(s, sync, syncFn, check, wait, contract, contractDown)
	undo := []string{
		fmt.Sprintf("DROP TRIGGER IF EXISTS %s ON %s;", sync, table),
		fmt.Sprintf("DROP FUNCTION IF EXISTS %s();", syncFn),
		fmt.Sprintf("ALTER TABLE %s DROP COLUMN IF EXISTS %s;", table, tmpCol),
	}
	downEdits, others := s.DownEdits(ca.Undo{Match: ca.AltersColumnType(table, c.old), Stmts: undo})
	fix.Edits = append([]ca.Edit{s.Replace(append([]string{head}, inFile(s, expand)...)...)}, downEdits...)
	fix.Others, fix.Phases = others, phases
	return []ca.Fix{fix}
}

// usingTemplate turns ALTER COLUMN ... USING expr into a template of the column's
// value (%s), so the trigger and the batch job compute the same value.
func usingTemplate(expr *pg.Node, col string) (string, bool) {
	const marker = "migsafe_column_value"
	cp := proto.Clone(expr).(*pg.Node)
	ca.Contains(cp, func(n *pg.Node) bool {
		if isColumnRef(n, col) {
			n.GetColumnRef().Fields = []*pg.Node{{Node: &pg.Node_String_{String_: &pg.String{Sval: marker}}}}
		}
		return false
	})
	out, ok := ca.DeparseExpr(cp)
	if !ok || !strings.Contains(out, marker) {
		return "", false
	}
	return "(" + strings.ReplaceAll(strings.ReplaceAll(out, "%", "%%"), marker, "%[1]s") + ")", true
}

// usingNames reports whether expr references col, the references usingTemplate
// replaces by the value.
func usingNames(expr *pg.Node, col string) bool {
	return ca.Contains(expr, func(n *pg.Node) bool { return isColumnRef(n, col) })
}

// isColumnRef reports whether n is a reference to col (qualified or not).
func isColumnRef(n *pg.Node, col string) bool {
	cr := n.GetColumnRef()
	return cr != nil && len(cr.Fields) > 0 && strings.EqualFold(cr.Fields[len(cr.Fields)-1].GetString_().GetSval(), col)
}

// oldTypeOf is the column's type before the statement, from the migration's down (which
// changes it back) when it says; "" when unknown.
func oldTypeOf(s ca.Site, table, col string) string {
	for _, st := range s.File.Down.Statements {
		at, cmds := ca.AlterTable(st)
		if at == nil || !ca.AltersColumnType(table, col)(st.Node) {
			continue
		}
		for _, c := range cmds {
			if c.Subtype == pg.AlterTableType_AT_AlterColumnType && strings.EqualFold(c.Name, col) {
				if t, ok := ca.TypeName(c.GetDef().GetColumnDef().GetTypeName()); ok {
					return t
				}
			}
		}
	}
	return ""
}

// renameTableFixes replaces RENAME TO, which breaks every running query that names the
// old table, by the rename and an updatable view under the old name, which old code
// keeps reading and writing through; a contract phase drops the view once no deployed
// code uses the old name.
func renameTableFixes(s ca.Site) []ca.Fix {
	r := s.Stmt.Node.GetRenameStmt()
	if r == nil || r.RenameType != pg.ObjectType_OBJECT_TABLE || r.Relation == nil || r.Newname == "" {
		return nil
	}
	oldName := ca.Relation(r.Relation)
	newName := ca.Ident(r.Newname)
	if r.Relation.Schemaname != "" {
		newName = ca.Ident(r.Relation.Schemaname) + "." + newName
	}
	view := fmt.Sprintf("CREATE VIEW %s AS SELECT * FROM %s;", oldName, newName)
	note := fmt.Sprintf("-- The view %s keeps code that still uses the old name working (a simple view is updatable);\n"+
		"-- it lists the columns %s has now. It is dropped in a contract phase once no deployed code uses the old name.", oldName, newName)
	wait := fmt.Sprintf("every deployed version of the application uses %s instead of %s", newName, oldName)
	inFile, others := s.DownEdits(ca.Undo{Match: ca.RenamesTable(r.Newname, r.Relation.Relname),
		Stmts: []string{fmt.Sprintf("DROP VIEW IF EXISTS %s;", oldName), fmt.Sprintf("ALTER TABLE %s RENAME TO %s;", newName, ca.Ident(r.Relation.Relname))}})
	return []ca.Fix{{
		Title:     fmt.Sprintf("Rename to %s and keep an updatable view under the old name, dropped in a contract phase once the code has moved", newName),
		Kind:      "refactor.rewrite",
		Preferred: true,
		Edits:     append([]ca.Edit{s.After(note, view)}, inFile...),
		Others:    others,
		Phases: []ca.Phase{{Name: "drop_view_" + r.Relation.Relname, Wait: wait, Brief: true,
			Up: ca.Lines(fmt.Sprintf("DROP VIEW %s;", oldName)), Down: ca.Lines(view)}},
	}}
}

// readsLater reports whether a statement after s's in its file reads col of table.
func readsLater(s ca.Site, table *pg.RangeVar, col string) bool {
	for _, st := range s.File.Statements {
		if st.Index > s.Stmt.Index && st.Node != nil && touches(st.Node, table) && mentions(st.Node, col) {
			return true
		}
	}
	return false
}

// touches reports whether a statement names table: as its target (a field, not a
// node the walk visits) or in a FROM.
func touches(n *pg.Node, table *pg.RangeVar) bool {
	same := func(rv *pg.RangeVar) bool {
		return rv != nil && strings.EqualFold(sqlast.RangeVarName(rv), sqlast.RangeVarName(table))
	}
	switch {
	case same(n.GetUpdateStmt().GetRelation()), same(n.GetInsertStmt().GetRelation()),
		same(n.GetDeleteStmt().GetRelation()), same(n.GetAlterTableStmt().GetRelation()):
		return true
	}
	return ca.Contains(n, func(x *pg.Node) bool { return same(x.GetRangeVar()) })
}

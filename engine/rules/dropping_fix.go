package rules

import (
	"fmt"

	pg "github.com/pganalyze/pg_query_go/v5"

	ca "github.com/migsafe/migsafe/codeactions"
	"github.com/migsafe/migsafe/engine/migration"
	"github.com/migsafe/migsafe/engine/sqlast"
)

// dropContractFixes, the fix of dropping-column, dropping-table and
// removing-used-object, moves the DROP into a contract phase that waits in
// .migsafe/pending until the code that no longer uses the column or table has shipped,
// with the command that backs its data up first. The migration's down no longer
// re-creates what it no longer drops: the contract phase's down does.
func dropContractFixes(s ca.Site) []ca.Fix {
	n := s.Stmt.Node
	// The title needs only what is dropped: the wait and the backup command are the
	// phase's, written only for a full build.
	var what, table, col string
	var at *pg.AlterTableStmt
	switch {
	case n.GetDropStmt() != nil && n.GetDropStmt().RemoveType == pg.ObjectType_OBJECT_TABLE:
		d := n.GetDropStmt()
		if len(d.Objects) != 1 {
			return nil
		}
		table = sqlast.ObjectName(d.Objects[0])
		what = "DROP TABLE " + table
	case n.GetAlterTableStmt() != nil:
		var cmds []*pg.AlterTableCmd
		at, cmds = ca.AlterTable(s.Stmt)
		if len(cmds) != 1 || cmds[0].Subtype != pg.AlterTableType_AT_DropColumn {
			return nil
		}
		table, col = ca.Relation(at.Relation), cmds[0].Name
		what = "DROP COLUMN " + table + "." + col
	default:
		return nil
	}
	if dropsWhatItMayUse(s) {
		return nil
	}
	fix := ca.Fix{
		Title:     "Move " + what + " to a contract phase that waits until the code no longer uses it, with a backup command",
		Kind:      "refactor.rewrite",
		Preferred: true,
	}
	if s.TitlesOnly {
		return []ca.Fix{fix}
	}
	var wait, backup string
	var undo []ca.Undo
	if at == nil {
		wait = fmt.Sprintf("no deployed version of the application reads or writes %s", table)
		backup = fmt.Sprintf("pg_dump --format=custom --table=%s --file=%s.dump \"$DATABASE_URL\"", table, table)
		undo = []ca.Undo{{Match: ca.CreatesTable(table)}}
	} else {
		wait = fmt.Sprintf("no deployed version of the application reads or writes %s.%s", table, col)
		backup = fmt.Sprintf("psql \"$DATABASE_URL\" -c \"\\copy (SELECT * FROM %s) TO '%s.csv' CSV HEADER\"", table, sqlast.RangeVarName(at.Relation))
		undo = []ca.Undo{{Match: ca.AddsColumn(table, col)}}
	}
	down := ""
	for _, st := range s.File.Down.Statements {
		for _, u := range undo {
			if st.Node != nil && u.Match(st.Node) {
				down += st.Text + "\n"
			}
		}
	}
	inFile, others := s.DownEdits(undo...)
	edits := append([]ca.Edit{s.MoveOut(fmt.Sprintf("%s waits as a contract phase in .migsafe/pending until %s", what, wait))}, inFile...)
	if s.File.Runner == migration.Plain || down == "" {
		down = "-- The down of this phase re-creates nothing: restore from the backup taken before it ran.\n"
	}
	fix.Edits, fix.Others = edits, others
	fix.Phases = []ca.Phase{{Name: "contract", Wait: wait, Brief: true,
		Up:   ca.Lines("-- Back up the data first: "+backup, s.SQL()),
		Down: down}}
	return []ca.Fix{fix}
}

// dropsWhatItMayUse: a later statement of the up section drops a type, domain,
// sequence, function or collation without CASCADE, which the dropped column or
// table may be what still uses (Prisma drops an enum column, then its type). Moved
// to a contract phase, the DROP would leave that object in use and the migration
// would fail where it ran before; the DROP stays where it is.
func dropsWhatItMayUse(s ca.Site) bool {
	for _, other := range s.File.Statements {
		if other.Section != s.Stmt.Section || other.Start <= s.Stmt.Start || other.Node == nil {
			continue
		}
		d := other.Node.GetDropStmt()
		if d == nil || d.Behavior == pg.DropBehavior_DROP_CASCADE {
			continue
		}
		switch d.RemoveType {
		case pg.ObjectType_OBJECT_TYPE, pg.ObjectType_OBJECT_DOMAIN, pg.ObjectType_OBJECT_SEQUENCE,
			pg.ObjectType_OBJECT_FUNCTION, pg.ObjectType_OBJECT_COLLATION:
			return true
		}
	}
	return false
}

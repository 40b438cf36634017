package rules

import (
	"fmt"
	"path/filepath"
	"slices"
	"sort"

	pg "github.com/pganalyze/pg_query_go/v5"

	"github.com/migsafe/migsafe/engine/migration"
	"github.com/migsafe/migsafe/engine/project"
)

// IrreversibleDownMigration finds down migrations that do not undo what the up
// migration creates, or that drop data the up migration did not create.
var IrreversibleDownMigration = &Rule{
	ID:       "irreversible-down-migration",
	Category: MissingRollback,
	Status:   Flag,
	Severity: Safety,
	Summary:  "the down migration does not drop what the up creates, or drops data the up did not create",
	Doc: `FLAG: a down migration that does not mirror its up leaves the schema half rolled
back — the next up then fails on objects that already exist — or, worse, destroys
data that existed before the migration: a rollback meant to be harmless becomes a data
loss. migsafe matches names, not semantics, so the author verifies the finding.

**What is matched.** The up and the down are replayed into the schema catalog the
earlier migrations leave (see ` + "`migsafe explain`" + ` on the catalog in the README). Every
table (CREATE TABLE, CREATE TABLE AS, SELECT INTO), view, materialized view, index,
standalone sequence and column the up creates must be gone after the down, whether the
down drops it by name, drops its table, column or schema, or takes it along with
` + "`CASCADE`" + `. A ` + "`CREATE ... IF NOT EXISTS`" + ` of an object an earlier migration already made
creates nothing. Every table, view and column the down removes must be one the up
created; otherwise the rollback deletes what existed before the migration — including
what ` + "`DROP ... CASCADE`" + ` takes along (a view an earlier migration made on the table).
Renames, types, functions and data changes are not judged.

**Passes when** there is no down migration (` + "`missing-down-migration`" + `) or it is empty
(` + "`empty-down-migration`" + `): those rules report it.

` + "```sql" + `
-- good
-- 0007_tags.up.sql
CREATE TABLE tags (id bigint PRIMARY KEY);
ALTER TABLE posts ADD COLUMN tag_id bigint;
-- 0007_tags.down.sql: must drop both
ALTER TABLE posts DROP COLUMN tag_id;
DROP TABLE tags;
` + "```",
	CheckFile: func(p *Pass) {
		f := p.File
		// A rollback stops at an operation the ORM cannot reverse (missing-down-migration).
		if !f.Down.Found || len(f.Down.Statements) == 0 || f.Down.Opaque || len(f.Down.Irreversible) > 0 {
			return
		}
		first := firstUp(f)
		downPath, where := f.Down.Path, filepath.Base(f.Down.Path)
		if f.Down.Where == "section" {
			downPath, where = f.Path, "the down section"
		}
		// lost reports something that existed before the migration and the down removes.
		lost := func(st *migration.Statement, what string) {
			start, end := st.Start, st.End
			if f.Down.Where != "section" {
				if first == nil {
					return
				}
				start, end = first.Start, first.End
			}
			p.Report(Diagnostic{Start: start, End: end,
				Message: Verify(fmt.Sprintf("the data in %s is disposable: %s drops it, but the up migration did not create it, so a rollback deletes data that existed before the migration", what, where)),
				Help:    "A down migration should only undo what its up did; restore a dropped object's structure instead of dropping pre-existing ones."})
		}
		upBlind := p.State.Catalog.Blind() && !p.State.Begin.Blind()
		// The down is replayed in place, each statement telling what it removed.
		down := p.State.Catalog.BeginFile(downPath).RemovalReplayer()
		for _, st := range project.InOrder(f.Down.Statements) {
			if st.Node == nil || (f.Down.Where == "section" && st.Section != migration.Down) {
				continue
			}
			// What the up's dynamic SQL made (a DO block's EXECUTE) is out of the
			// catalog's sight: an unknown object the down drops may be one of them.
			if !upBlind {
				for _, what := range unknownDrops(down.Catalog(), st) {
					lost(st, what)
				}
			}
			named := namedBy(st, down.Catalog())
			for _, rm := range down.ApplyRemovals(st) {
				switch {
				case rm.Column != nil && rm.Column.Origin.Path != f.Path:
					lost(st, "column "+displayName(rm.Rel.Name)+"."+rm.Column.Name)
				case rm.Column == nil && rm.Rel.Origin.Path != f.Path && rm.Rel.Kind != project.Index && rm.Rel.Kind != project.Sequence:
					what := rm.Rel.Kind.String() + " " + displayName(rm.Rel.Name)
					if !slices.Contains(named, rm.Rel.Name) {
						what += " (which " + displayName(droppedBy(st)) + " CASCADE takes along)"
					}
					lost(st, what)
				}
			}
		}
		for _, o := range leftBehind(p.State.Begin, p.State.Catalog, down.Catalog(), f.Path) {
			st := statementAt(f, o.offset)
			if st == nil {
				continue
			}
			left := "after a rollback it is left behind and re-running the up fails"
			if ifNotExists(st) {
				left = "after a rollback it is left behind (re-running the up skips it, keeping whatever definition it had)"
			}
			p.Report(Diagnostic{Start: st.Start, End: st.End,
				Message: Verify(fmt.Sprintf("the down migration removes %s some other way: the up creates it and the down does not drop it, so %s", o.what, left)),
				Help:    fmt.Sprintf("Drop %s in the down migration, in reverse order of creation.", o.what)})
		}
	},
}

// created is an object the up created, by the offset of the statement that did.
type created struct {
	what   string
	offset int
}

// leftBehind lists what the up (path) created that is still there after the down:
// tables, views, standalone sequences, and the indexes and columns it added to tables
// it did not create (a table's own indexes and columns go with it).
func leftBehind(before, afterUp, afterDown *project.Catalog, path string) []created {
	var out []created
	for _, id := range afterUp.ChangedSince(before) {
		r, there := afterUp.Rel(id)
		if !there {
			continue // created and dropped again by the up
		}
		still, ok := afterDown.Rel(r.ID)
		if r.Origin.Path == path {
			if !ok {
				continue
			}
			switch r.Kind {
			case project.Index:
				if t, ok := afterUp.Rel(r.Index.Table); ok && t.Origin.Path == path || r.Index.Constraint != "" {
					continue // goes with its table, or with the constraint that made it
				}
			case project.Sequence:
				if r.OwnedBy != nil {
					continue // goes with its column
				}
			}
			out = append(out, created{r.Kind.String() + " " + displayName(r.Name), r.Origin.Offset})
			continue
		}
		if !ok || !r.Kind.TableLike() {
			continue
		}
		for _, col := range r.Columns {
			if col.Origin.Path != path {
				continue
			}
			if kept, ok := still.Column(col.Name); ok && kept.Origin == col.Origin {
				out = append(out, created{"column " + displayName(r.Name) + "." + col.Name, col.Origin.Offset})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].offset != out[j].offset {
			return out[i].offset < out[j].offset
		}
		return out[i].what < out[j].what
	})
	return out
}

// unknownDrops names what a down statement drops that the catalog does not know: a
// table, or a column of a table, that existed before the history (or that it could
// not follow). Dropping it deletes data the up did not create.
func unknownDrops(c *project.Catalog, st *migration.Statement) []string {
	var out []string
	if ds := st.Node.GetDropStmt(); ds != nil && ds.RemoveType == pg.ObjectType_OBJECT_TABLE {
		for _, obj := range ds.Objects {
			name := project.ObjectName(obj)
			if _, ok := c.Relation(name); !ok && !c.Absent(name) {
				out = append(out, "table "+displayName(c.Resolve(name)))
			}
		}
	}
	if at := st.Node.GetAlterTableStmt(); at != nil && at.Objtype == pg.ObjectType_OBJECT_TABLE {
		name := project.RangeVarName(at.Relation)
		t, known := c.Table(name)
		if !known && c.Absent(name) {
			return out
		}
		for _, cmd := range at.Cmds {
			cmd := cmd.GetAlterTableCmd()
			if cmd.GetSubtype() != pg.AlterTableType_AT_DropColumn {
				continue
			}
			if known {
				if _, ok := t.Column(cmd.Name); ok {
					continue // the catalog's diff reports it
				}
			}
			out = append(out, "column "+displayName(c.Resolve(name))+"."+cmd.Name)
		}
	}
	return out
}

// namedBy lists the relations a DROP statement names itself (rather than taking them
// along with CASCADE), resolved in c, the catalog before it.
func namedBy(st *migration.Statement, c *project.Catalog) []project.Name {
	ds := st.Node.GetDropStmt()
	if ds == nil {
		return nil
	}
	out := make([]project.Name, 0, len(ds.Objects))
	for _, obj := range ds.Objects {
		out = append(out, c.Resolve(project.ObjectName(obj)))
	}
	return out
}

// droppedBy names what a statement drops or alters, for a CASCADE message.
func droppedBy(st *migration.Statement) project.Name {
	if ds := st.Node.GetDropStmt(); ds != nil && len(ds.Objects) > 0 {
		return project.ObjectName(ds.Objects[0])
	}
	if at := st.Node.GetAlterTableStmt(); at != nil {
		return project.RangeVarName(at.Relation)
	}
	return project.Name{}
}

// displayName shows a name as migrations usually write it: without public.
func displayName(n project.Name) string {
	if n.Schema == "public" {
		n.Schema = ""
	}
	return n.SQL()
}

// statementAt is the statement of f that starts at offset.
func statementAt(f *migration.File, offset int) *migration.Statement {
	for _, st := range f.Statements {
		if st.Start == offset {
			return st
		}
	}
	return nil
}

// ifNotExists reports a creating statement written IF NOT EXISTS.
func ifNotExists(st *migration.Statement) bool {
	n := st.Node
	switch {
	case n.GetCreateStmt() != nil:
		return n.GetCreateStmt().IfNotExists
	case n.GetIndexStmt() != nil:
		return n.GetIndexStmt().IfNotExists
	case n.GetCreateTableAsStmt() != nil:
		return n.GetCreateTableAsStmt().IfNotExists
	case n.GetCreateSeqStmt() != nil:
		return n.GetCreateSeqStmt().IfNotExists
	case n.GetAlterTableStmt() != nil:
		for _, c := range n.GetAlterTableStmt().Cmds {
			if cmd := c.GetAlterTableCmd(); cmd.GetSubtype() == pg.AlterTableType_AT_AddColumn && cmd.MissingOk {
				return true
			}
		}
	}
	return false
}

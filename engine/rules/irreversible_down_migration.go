package rules

import (
	"fmt"
	"path/filepath"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v5"

	"github.com/migsafe/migsafe/engine/migration"
	"github.com/migsafe/migsafe/engine/sqlast"
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

**What is matched.** Every table (CREATE TABLE), named index (CREATE INDEX) and column
(ADD COLUMN) the up creates must be dropped by the down: ` + "`DROP TABLE`" + `, ` + "`DROP INDEX`" + `,
` + "`DROP COLUMN`" + `, or a drop of the table they belong to (or of its schema with CASCADE).
Every ` + "`DROP TABLE`" + ` and ` + "`DROP COLUMN`" + ` in the down must name something the up created;
otherwise the rollback deletes pre-existing data. Renames, types, functions and data
changes are not judged.

**Passes when** there is no down migration (` + "`missing-down-migration`" + `) or it is empty
(` + "`empty-down-migration`" + `): those rules report it.

` + "```sql" + `
-- 0007_tags.up.sql
CREATE TABLE tags (id bigint PRIMARY KEY);
ALTER TABLE posts ADD COLUMN tag_id bigint;
-- 0007_tags.down.sql: must drop both
ALTER TABLE posts DROP COLUMN tag_id;
DROP TABLE tags;
` + "```",
	CheckFile: func(p *Pass) {
		f := p.File
		if !f.Down.Found || len(f.Down.Statements) == 0 {
			return
		}
		up := collectObjects(f.Statements, migration.Up, false)
		down := collectObjects(f.Down.Statements, migration.Down, f.Down.Where == "file")
		for _, o := range up.created {
			if down.drops(o) {
				continue
			}
			left := "after a rollback it is left behind and re-running the up fails"
			if o.ifNotExists {
				left = "after a rollback it is left behind (re-running the up skips it, keeping whatever definition it had)"
			}
			p.Report(Diagnostic{Start: o.stmt.Start, End: o.stmt.End,
				Message: Verify(fmt.Sprintf("the down migration removes %s some other way: the up creates it and the down does not drop it, so %s", o, left)),
				Help:    fmt.Sprintf("Drop %s in the down migration, in reverse order of creation.", o)})
		}
		first := firstUp(f)
		if first == nil {
			return
		}
		for _, o := range down.created {
			if o.kind == "index" || up.creates(o) {
				continue
			}
			start, end := first.Start, first.End
			where := filepath.Base(f.Down.Path)
			if f.Down.Where == "section" {
				start, end, where = o.stmt.Start, o.stmt.End, "the down section"
			}
			p.Report(Diagnostic{Start: start, End: end,
				Message: Verify(fmt.Sprintf("the data in %s is disposable: %s drops it, but the up migration did not create it, so a rollback deletes data that existed before the migration", o, where)),
				Help:    "A down migration should only undo what its up did; restore a dropped object's structure instead of dropping pre-existing ones."})
		}
	},
}

// object is a table, index or column a statement creates or drops.
type object struct {
	kind  string // "table", "index", "column"
	table string // key() of the table (for a column or an index on a known table)
	name  string // lower-case name (the column or the index; the table for "table")
	// cols are the columns an index uses (keys, expressions, predicate): dropping any of
	// them drops the index.
	cols        map[string]bool
	ifNotExists bool
	stmt        *migration.Statement
}

func (o object) String() string {
	if o.kind == "column" {
		return fmt.Sprintf("column %s.%s", o.table, o.name)
	}
	return o.kind + " " + o.name
}

// objects holds what one side of a migration creates (the up) or drops (the down,
// collected in created too: its "creations" are its drops) plus the schemas dropped
// with CASCADE.
type objects struct {
	created []object
	schemas map[string]bool
}

// collectObjects gathers creations (up) or drops (down) from a section's statements.
// all is true when every statement belongs to the section (a sibling file).
func collectObjects(stmts []*migration.Statement, sec migration.Section, all bool) objects {
	out := objects{schemas: map[string]bool{}}
	for _, st := range stmts {
		if st.Node == nil || (!all && st.Section != sec) {
			continue
		}
		n := st.Node
		add := func(kind, table, name string) *object {
			out.created = append(out.created, object{kind: kind, table: key(table), name: key(name), stmt: st})
			return &out.created[len(out.created)-1]
		}
		if sec == migration.Up {
			if cs := n.GetCreateStmt(); cs != nil {
				add("table", "", sqlast.RangeVarName(cs.Relation)).ifNotExists = cs.IfNotExists
			}
			if is := n.GetIndexStmt(); is != nil && is.Idxname != "" {
				o := add("index", sqlast.RangeVarName(is.Relation), is.Idxname)
				o.ifNotExists, o.cols = is.IfNotExists, indexColumns(n)
			}
		} else if ds := n.GetDropStmt(); ds != nil {
			for _, obj := range ds.Objects {
				switch ds.RemoveType {
				case pg.ObjectType_OBJECT_TABLE:
					add("table", "", sqlast.ObjectName(obj))
				case pg.ObjectType_OBJECT_INDEX:
					add("index", "", lastPart(sqlast.ObjectName(obj)))
				case pg.ObjectType_OBJECT_SCHEMA:
					if ds.Behavior == pg.DropBehavior_DROP_CASCADE {
						out.schemas[strings.ToLower(sqlast.ObjectName(obj))] = true
					}
				}
			}
		}
		if at := n.GetAlterTableStmt(); at != nil && at.Objtype == pg.ObjectType_OBJECT_TABLE {
			table := sqlast.RangeVarName(at.Relation)
			for _, c := range at.Cmds {
				cmd := c.GetAlterTableCmd()
				switch {
				case sec == migration.Up && cmd.GetSubtype() == pg.AlterTableType_AT_AddColumn:
					if cd := cmd.Def.GetColumnDef(); cd != nil {
						add("column", table, cd.Colname).ifNotExists = cmd.MissingOk
					}
				case sec != migration.Up && cmd.GetSubtype() == pg.AlterTableType_AT_DropColumn:
					add("column", table, cmd.Name)
				}
			}
		}
	}
	return out
}

// drops reports whether the down's drops undo an object the up created.
func (d objects) drops(o object) bool {
	for _, x := range d.created {
		switch {
		case x.kind == o.kind && x.name == o.name && (o.kind != "column" || x.table == o.table):
			return true
		case x.kind == "table" && o.kind != "table" && x.name == o.table:
			return true // dropping the table drops its columns and indexes
		case o.kind == "index" && x.kind == "index" && x.name == lastPart(o.name):
			return true
		case o.kind == "index" && x.kind == "column" && x.table == o.table && o.cols[x.name]:
			return true // dropping a column drops the indexes that use it
		}
	}
	for _, name := range []string{o.name, o.table} {
		if i := strings.IndexByte(name, '.'); i > 0 && d.schemas[name[:i]] {
			return true
		}
	}
	return false
}

// creates reports whether the up created what the down drops (or the table it is on).
func (u objects) creates(o object) bool {
	for _, x := range u.created {
		switch {
		case x.kind == o.kind && x.name == o.name && (o.kind != "column" || x.table == o.table):
			return true
		case x.kind == "table" && o.kind == "column" && x.name == o.table:
			return true
		}
	}
	return false
}

func lastPart(name string) string {
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		return name[i+1:]
	}
	return name
}

// indexColumns lists the lower-case columns an index statement mentions.
func indexColumns(n *pg.Node) map[string]bool {
	cols := map[string]bool{}
	sqlast.Walk(n, func(x *pg.Node) {
		if ie := x.GetIndexElem(); ie != nil && ie.Name != "" {
			cols[strings.ToLower(ie.Name)] = true
		}
		if cr := x.GetColumnRef(); cr != nil {
			cols[strings.ToLower(sqlast.LastName(cr.Fields))] = true
		}
	})
	return cols
}

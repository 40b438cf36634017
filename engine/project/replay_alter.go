package project

import (
	pg "github.com/pganalyze/pg_query_go/v5"

	"github.com/migsafe/migsafe/engine/sqlast"
)

// alterTable replays ALTER TABLE subcommand by subcommand.
func (r replay) alterTable(at *pg.AlterTableStmt) {
	kind := Table
	switch at.Objtype {
	case pg.ObjectType_OBJECT_TABLE:
	case pg.ObjectType_OBJECT_MATVIEW:
		kind = MatView
	case pg.ObjectType_OBJECT_FOREIGN_TABLE:
		kind = ForeignTable
	default:
		return // ALTER INDEX / VIEW / SEQUENCE options change nothing the catalog holds
	}
	name := RangeVarName(at.Relation)
	if at.MissingOk {
		if _, ok := r.Relation(name); !ok {
			if r.Absent(name) {
				return // ALTER TABLE IF EXISTS of a dropped table does nothing
			}
		}
	}
	t := r.existing(name, kind)
	for _, c := range at.Cmds {
		if cmd := c.GetAlterTableCmd(); cmd != nil {
			r.alterTableCmd(t.ID, cmd)
		}
	}
}

func (r replay) alterTableCmd(id ID, cmd *pg.AlterTableCmd) {
	t, ok := r.rel(id)
	if !ok {
		return
	}
	switch cmd.Subtype {
	case pg.AlterTableType_AT_AddColumn:
		cd := cmd.Def.GetColumnDef()
		if cd == nil {
			return
		}
		if _, exists := t.Column(cd.Colname); exists && cmd.MissingOk {
			return
		}
		col, seq := r.column(cd)
		r.edit(id, func(t *Relation) { t.Columns, t.columnTail = t.columnTail.appendTo(t.Columns, col) })
		if seq {
			r.ownedSequence(id, col.Name)
		}
		for _, c := range cd.Constraints {
			if con := c.GetConstraint(); con != nil {
				r.addConstraint(id, con, cd.Colname)
			}
		}
	case pg.AlterTableType_AT_DropColumn:
		r.dropColumn(t, cmd.Name, cmd.Behavior == pg.DropBehavior_DROP_CASCADE, cmd.MissingOk)
	case pg.AlterTableType_AT_AlterColumnType:
		cd := cmd.Def.GetColumnDef()
		if cd == nil {
			return
		}
		r.editColumn(id, cmd.Name, func(c *Column) { c.Type, c.TypeAt, c.Collation = cd.TypeName, r.seq, sqlast.Collation(cd.CollClause) })
	case pg.AlterTableType_AT_ColumnDefault:
		r.editColumn(id, cmd.Name, func(c *Column) { c.Default = cmd.Def })
	case pg.AlterTableType_AT_SetNotNull:
		r.editColumn(id, cmd.Name, func(c *Column) { c.NotNull, c.NotNullAt = true, r.seq })
	case pg.AlterTableType_AT_DropNotNull:
		r.editColumn(id, cmd.Name, func(c *Column) { c.NotNull = false })
	case pg.AlterTableType_AT_AddIdentity:
		con := cmd.Def.GetConstraint()
		r.editColumn(id, cmd.Name, func(c *Column) {
			c.Identity, c.NotNull = 'd', true
			if con != nil && con.GeneratedWhen != "" {
				c.Identity = con.GeneratedWhen[0]
			}
		})
		r.ownedSequence(id, cmd.Name)
	case pg.AlterTableType_AT_DropIdentity:
		r.editColumn(id, cmd.Name, func(c *Column) { c.Identity = 0 })
		r.dropOwnedSequences(id, cmd.Name)
	case pg.AlterTableType_AT_DropExpression:
		r.editColumn(id, cmd.Name, func(c *Column) { c.Generated = false })
	case pg.AlterTableType_AT_AddConstraint:
		if con := cmd.Def.GetConstraint(); con != nil {
			if con.Conname != "" && cmd.MissingOk {
				if _, exists := t.Constraint(con.Conname); exists {
					return
				}
			}
			r.addConstraint(id, con, "")
		}
	case pg.AlterTableType_AT_ValidateConstraint:
		r.editConstraint(id, cmd.Name, func(c *Constraint) { c.Validated, c.ValidatedAt = true, r.seq })
	case pg.AlterTableType_AT_DropConstraint:
		r.dropConstraint(t, cmd.Name, cmd.Behavior == pg.DropBehavior_DROP_CASCADE)
	case pg.AlterTableType_AT_AttachPartition:
		if pc := cmd.Def.GetPartitionCmd(); pc != nil {
			part := r.existing(RangeVarName(pc.Name), Table)
			r.edit(part.ID, func(p *Relation) { p.Parent = id })
			r.addReferrer(id, part.ID)
		}
	case pg.AlterTableType_AT_DetachPartition:
		if pc := cmd.Def.GetPartitionCmd(); pc != nil {
			if part, ok := r.Relation(RangeVarName(pc.Name)); ok {
				r.edit(part.ID, func(p *Relation) { p.Parent = 0 })
			}
		}
	}
}

// editColumn applies fn to a copy of a column. A column the history never showed on
// a partial table is added, since the statement shows it exists; fn's facts are then
// the only ones known.
func (r replay) editColumn(id ID, name string, fn func(*Column)) {
	r.edit(id, func(t *Relation) {
		col, ok := t.Column(name)
		if !ok {
			if !t.Partial {
				r.unknownFacts(t) // the history does not show this column: something it could not model made it
			}
			nc := &Column{Name: name}
			fn(nc)
			t.Columns = append(append([]*Column(nil), t.Columns...), nc)
			return
		}
		nc := *col
		fn(&nc)
		cols := append([]*Column(nil), t.Columns...)
		for i, c := range cols {
			if c == col {
				cols[i] = &nc
			}
		}
		t.Columns = cols
	})
}

// editConstraint applies fn to a copy of a named constraint.
func (r replay) editConstraint(id ID, name string, fn func(*Constraint)) {
	r.edit(id, func(t *Relation) {
		out := make([]*Constraint, len(t.Constraints))
		for i, c := range t.Constraints {
			out[i] = c
			if c.Name == name {
				nc := *c
				fn(&nc)
				out[i] = &nc
			}
		}
		t.Constraints = out
	})
}

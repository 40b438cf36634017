package project

import (
	pg "github.com/pganalyze/pg_query_go/v5"
)

// rename replays ALTER ... RENAME of relations, columns, constraints, schemas and types.
func (r replay) rename(rs *pg.RenameStmt) {
	switch rs.RenameType {
	case pg.ObjectType_OBJECT_TABLE, pg.ObjectType_OBJECT_VIEW, pg.ObjectType_OBJECT_MATVIEW,
		pg.ObjectType_OBJECT_INDEX, pg.ObjectType_OBJECT_SEQUENCE, pg.ObjectType_OBJECT_FOREIGN_TABLE:
		name := RangeVarName(rs.Relation)
		if rs.MissingOk && r.Absent(name) {
			return
		}
		rel := r.existing(name, relKindOf(rs.RenameType))
		r.renameRelation(rel, rs.Newname)
	case pg.ObjectType_OBJECT_COLUMN:
		if rs.MissingOk && r.Absent(RangeVarName(rs.Relation)) {
			return
		}
		t := r.existing(RangeVarName(rs.Relation), Table)
		r.renameColumn(t, rs.Subname, rs.Newname)
	case pg.ObjectType_OBJECT_TABCONSTRAINT:
		t := r.existing(RangeVarName(rs.Relation), Table)
		con, ok := t.Constraint(rs.Subname)
		r.editConstraint(t.ID, rs.Subname, func(c *Constraint) { c.Name = rs.Newname })
		if ok && con.Index != 0 {
			if ix, ok := r.rel(con.Index); ok {
				r.renameRelation(ix, rs.Newname)
			}
		}
	case pg.ObjectType_OBJECT_SCHEMA:
		r.renameSchema(rs.Subname, rs.Newname)
	case pg.ObjectType_OBJECT_TYPE, pg.ObjectType_OBJECT_DOMAIN:
		old := r.resolveType(ObjectName(rs.Object))
		r.moveType(old, Name{Schema: old.Schema, Name: rs.Newname})
	}
}

func relKindOf(t pg.ObjectType) RelKind {
	switch t {
	case pg.ObjectType_OBJECT_VIEW:
		return View
	case pg.ObjectType_OBJECT_MATVIEW:
		return MatView
	case pg.ObjectType_OBJECT_INDEX:
		return Index
	case pg.ObjectType_OBJECT_SEQUENCE:
		return Sequence
	case pg.ObjectType_OBJECT_FOREIGN_TABLE:
		return ForeignTable
	}
	return Table
}

// renameRelation gives a relation a new name in its schema; an index that backs a
// constraint renames the constraint too, as PostgreSQL does.
func (r replay) renameRelation(rel *Relation, newName string) {
	r.moveRelation(rel, Name{Schema: rel.Name.Schema, Name: newName})
	if rel.Kind == Index && rel.Index != nil && rel.Index.Constraint != "" {
		old := rel.Index.Constraint
		r.editConstraint(rel.Index.Table, old, func(c *Constraint) { c.Name = newName })
		r.edit(rel.ID, func(i *Relation) {
			info := *i.Index
			info.Constraint = newName
			i.Index = &info
		})
	}
}

// moveRelation changes a relation's name (and schema), keeping its ID.
func (r replay) moveRelation(rel *Relation, to Name) {
	cur, ok := r.rel(rel.ID)
	if !ok {
		return
	}
	old := cur.Name.key()
	if id, ok := r.names.Get(old); ok && id == cur.ID {
		r.names = r.names.deleteIn(r.batch, old)
	}
	r.dropped = r.dropped.setIn(r.batch, old, struct{}{})
	r.edit(cur.ID, func(x *Relation) { x.Name = to })
	r.names = r.names.setIn(r.batch, to.key(), cur.ID)
	r.dropped = r.dropped.deleteIn(r.batch, to.key())
}

// renameColumn renames a column everywhere it is named: the table, its indexes and
// constraints, foreign keys that reference it, sequences it owns. Views keep working
// (PostgreSQL binds them to the column, not its name) and are left as they are.
func (r replay) renameColumn(t *Relation, from, to string) {
	if t.Kind == View && t.Outputs != nil {
		// ALTER VIEW ... RENAME COLUMN renames an output column, which a later
		// CREATE OR REPLACE VIEW must then keep.
		outs := make([]*Column, len(t.Outputs))
		for i, c := range t.Outputs {
			nc := *c
			if c.Name == from {
				nc.Name = to
			}
			outs[i] = &nc
		}
		r.edit(t.ID, func(v *Relation) { v.Outputs = outs })
		return
	}
	if _, ok := t.Column(from); !ok && !t.Partial {
		r.uncertain(t.ID)
	}
	r.editColumn(t.ID, from, func(c *Column) { c.Name = to })
	rename := func(list []string) []string {
		if !contains(list, from) {
			return list
		}
		out := make([]string, len(list))
		for i, s := range list {
			out[i] = s
			if s == from {
				out[i] = to
			}
		}
		return out
	}
	cur, _ := r.rel(t.ID)
	for _, id := range cur.Indexes {
		r.edit(id, func(ix *Relation) {
			info := *ix.Index
			info.Columns, info.Uses = rename(info.Columns), rename(info.Uses)
			ix.Index = &info
		})
	}
	for _, o := range append([]*Relation{cur}, r.referrers(t.ID)...) {
		switch {
		case o.ID == t.ID:
			r.edit(o.ID, func(x *Relation) {
				out := make([]*Constraint, len(x.Constraints))
				for i, c := range x.Constraints {
					nc := *c
					nc.Columns = rename(c.Columns)
					if c.NotNullColumn == from {
						nc.NotNullColumn = to
					}
					if c.Kind == ForeignKey && c.References == t.ID {
						nc.RefColumns = rename(c.RefColumns)
					}
					out[i] = &nc
				}
				x.Constraints = out
			})
		case o.Kind.TableLike() && referencesTable(o, t.ID):
			r.edit(o.ID, func(x *Relation) {
				out := make([]*Constraint, len(x.Constraints))
				for i, c := range x.Constraints {
					out[i] = c
					if c.Kind == ForeignKey && c.References == t.ID {
						nc := *c
						nc.RefColumns = rename(c.RefColumns)
						out[i] = &nc
					}
				}
				x.Constraints = out
			})
		case o.Kind == Sequence && o.OwnedBy != nil && o.OwnedBy.Table == t.ID && o.OwnedBy.Column == from:
			r.edit(o.ID, func(s *Relation) { s.OwnedBy = &ColumnRef{Table: t.ID, Column: to} })
		}
	}
}

// renameSchema moves every object of a schema to its new name.
func (r replay) renameSchema(from, to string) {
	if s, ok := r.schemas.Get(from); ok {
		ns := *s
		ns.Name = to
		r.schemas = r.schemas.deleteIn(r.batch, from).Set(to, &ns)
	}
	for _, o := range inSchema(r.rels, from, relNameOf) {
		r.moveRelation(o, Name{Schema: to, Name: o.Name.Name})
	}
	for _, t := range inSchema(r.types, from, typeNameOf) {
		r.moveType(t.Name, Name{Schema: to, Name: t.Name.Name})
	}
}

// moveType renames a type or moves it to another schema.
func (r replay) moveType(from, to Name) {
	if t, ok := r.types.getName(from); ok {
		nt := *t
		nt.Name = to
		r.types = r.types.deleteIn(r.batch, from.key()).Set(to.key(), &nt)
	}
}

// setSchema replays ALTER ... SET SCHEMA: a table moves with its indexes and owned
// sequences.
func (r replay) setSchema(as *pg.AlterObjectSchemaStmt) {
	switch as.ObjectType {
	case pg.ObjectType_OBJECT_TABLE, pg.ObjectType_OBJECT_VIEW, pg.ObjectType_OBJECT_MATVIEW,
		pg.ObjectType_OBJECT_SEQUENCE, pg.ObjectType_OBJECT_FOREIGN_TABLE:
		name := RangeVarName(as.Relation)
		if as.MissingOk && r.Absent(name) {
			return
		}
		rel := r.existing(name, relKindOf(as.ObjectType))
		r.moveRelation(rel, Name{Schema: as.Newschema, Name: rel.Name.Name})
		for _, id := range rel.Indexes {
			if ix, ok := r.rel(id); ok {
				r.moveRelation(ix, Name{Schema: as.Newschema, Name: ix.Name.Name})
			}
		}
		for _, o := range r.referrers(rel.ID) {
			if o.Kind == Sequence && o.OwnedBy != nil && o.OwnedBy.Table == rel.ID {
				r.moveRelation(o, Name{Schema: as.Newschema, Name: o.Name.Name})
			}
		}
	case pg.ObjectType_OBJECT_TYPE, pg.ObjectType_OBJECT_DOMAIN:
		old := r.resolveType(ObjectName(as.Object))
		r.moveType(old, Name{Schema: as.Newschema, Name: old.Name})
	}
}

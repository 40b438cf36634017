package project

import (
	pg "github.com/pganalyze/pg_query_go/v5"
)

// drop replays DROP of relations, schemas, types and functions.
func (r replay) drop(ds *pg.DropStmt) {
	cascade := ds.Behavior == pg.DropBehavior_DROP_CASCADE
	for _, obj := range ds.Objects {
		name := ObjectName(obj)
		switch ds.RemoveType {
		case pg.ObjectType_OBJECT_TABLE, pg.ObjectType_OBJECT_VIEW, pg.ObjectType_OBJECT_MATVIEW,
			pg.ObjectType_OBJECT_INDEX, pg.ObjectType_OBJECT_SEQUENCE, pg.ObjectType_OBJECT_FOREIGN_TABLE:
			if rel, ok := r.Relation(name); ok {
				r.dropRelation(rel, cascade)
			} else {
				// Not in the history, but gone now either way.
				r.dropped = r.dropped.setIn(r.batch, r.Resolve(name).key(), struct{}{})
			}
		case pg.ObjectType_OBJECT_SCHEMA:
			r.dropSchema(name.Name)
		case pg.ObjectType_OBJECT_TYPE, pg.ObjectType_OBJECT_DOMAIN:
			r.dropType(name, cascade)
		case pg.ObjectType_OBJECT_FUNCTION, pg.ObjectType_OBJECT_PROCEDURE, pg.ObjectType_OBJECT_ROUTINE:
			if owa := obj.GetObjectWithArgs(); owa != nil {
				r.funcs = r.funcs.deleteIn(r.batch, r.resolveFunc(ListName(owa.Objname)).key())
			}
		}
	}
}

// dropRelation removes a relation and what goes with it: a table's indexes,
// constraints and owned sequences, foreign keys of other tables that reference it,
// its partitions, and the views that read it (PostgreSQL drops the last two only
// with CASCADE; without it the DROP fails, so when it ran there were none).
func (r replay) dropRelation(rel *Relation, cascade bool) {
	rel, ok := r.rel(rel.ID)
	if !ok {
		return // already dropped as a dependent of another
	}
	dependents := r.referrers(rel.ID)
	r.delRel(rel)
	if rel.Kind == Index {
		if t, ok := r.rel(rel.Index.Table); ok {
			r.edit(t.ID, func(t *Relation) {
				t.Indexes = removeID(t.Indexes, rel.ID)
				if rel.Index.Constraint != "" {
					t.Constraints = removeConstraint(t.Constraints, rel.Index.Constraint)
				}
			})
		}
		return
	}
	for _, id := range rel.Indexes {
		if ix, ok := r.rel(id); ok {
			r.delRel(ix)
		}
	}
	var drop, unreference []*Relation
	for _, o := range dependents {
		if o, _ = r.rel(o.ID); o == nil {
			continue
		}
		switch {
		case o.Kind == Sequence && o.OwnedBy != nil && o.OwnedBy.Table == rel.ID,
			o.Parent == rel.ID,
			(o.Kind == View || o.Kind == MatView) && hasID(o.Uses, rel.ID):
			drop = append(drop, o)
		case o.Kind.TableLike() && referencesTable(o, rel.ID):
			unreference = append(unreference, o)
		}
	}
	for _, o := range unreference {
		r.edit(o.ID, func(t *Relation) { t.Constraints = withoutForeignKeysTo(t.Constraints, rel.ID, nil) })
	}
	for _, o := range drop {
		r.dropRelation(o, cascade)
	}
}

// dropColumn removes a column and what depends on it: indexes and constraints that
// use it (PostgreSQL drops those even without CASCADE), foreign keys of other tables
// that reference it, owned sequences, and views that read it.
func (r replay) dropColumn(t *Relation, column string, cascade, missingOk bool) {
	if _, ok := t.Column(column); !ok {
		if missingOk {
			return // DROP COLUMN IF EXISTS of a column that is not there does nothing
		}
		if !t.Partial {
			r.uncertain(t.ID) // it was there after all: made by something the replay missed
		}
	}
	r.edit(t.ID, func(t *Relation) {
		cols := make([]*Column, 0, len(t.Columns))
		for _, c := range t.Columns {
			if c.Name != column {
				cols = append(cols, c)
			}
		}
		t.Columns = cols
	})
	t, _ = r.rel(t.ID)
	for _, id := range t.Indexes {
		if ix, ok := r.rel(id); ok && contains(ix.Index.Uses, column) {
			r.dropRelation(ix, cascade)
		}
	}
	t, _ = r.rel(t.ID)
	r.edit(t.ID, func(t *Relation) {
		var kept []*Constraint
		for _, c := range t.Constraints {
			if !contains(c.Columns, column) {
				kept = append(kept, c)
			}
		}
		t.Constraints = kept
	})
	r.dropOwnedSequences(t.ID, column)
	var views []*Relation
	for _, o := range r.referrers(t.ID) {
		switch {
		case o.Kind.TableLike() && o.ID != t.ID && referencesTable(o, t.ID):
			onColumn := func(c *Constraint) bool { return contains(c.RefColumns, column) }
			if hasForeignKeyTo(o.Constraints, t.ID, onColumn) {
				r.edit(o.ID, func(x *Relation) { x.Constraints = withoutForeignKeysTo(x.Constraints, t.ID, onColumn) })
			}
		case (o.Kind == View || o.Kind == MatView) && hasID(o.Uses, t.ID) && (contains(o.UsesColumns, column) || contains(o.UsesColumns, "*")):
			views = append(views, o)
		}
	}
	for _, v := range views {
		r.dropRelation(v, cascade)
	}
}

// dropConstraint removes a named constraint and the index behind it.
func (r replay) dropConstraint(t *Relation, name string, cascade bool) {
	con, ok := t.Constraint(name)
	if !ok {
		return
	}
	r.edit(t.ID, func(t *Relation) { t.Constraints = removeConstraint(t.Constraints, name) })
	if con.Index != 0 {
		if ix, ok := r.rel(con.Index); ok {
			r.delRel(ix)
			r.edit(t.ID, func(t *Relation) { t.Indexes = removeID(t.Indexes, ix.ID) })
		}
	}
	if cascade && (con.Kind == PrimaryKey || con.Kind == Unique) {
		for _, o := range r.referrers(t.ID) {
			onKey := func(c *Constraint) bool { return len(c.RefColumns) == 0 || sameSet(c.RefColumns, con.Columns) }
			if o.Kind.TableLike() && referencesTable(o, t.ID) && hasForeignKeyTo(o.Constraints, t.ID, onKey) {
				r.edit(o.ID, func(x *Relation) { x.Constraints = withoutForeignKeysTo(x.Constraints, t.ID, onKey) })
			}
		}
	}
}

// dropOwnedSequences drops the sequences a column owns (serial, identity).
func (r replay) dropOwnedSequences(table ID, column string) {
	for _, o := range r.referrers(table) {
		if o.Kind == Sequence && o.OwnedBy != nil && o.OwnedBy.Table == table && o.OwnedBy.Column == column {
			r.delRel(o)
		}
	}
}

// dropSchema removes a schema and everything in it (DROP SCHEMA without CASCADE
// fails unless it is empty, so either way nothing of it is left).
func (r replay) dropSchema(name string) {
	r.schemas = r.schemas.deleteIn(r.batch, name)
	for _, o := range inSchema(r.rels, name, relNameOf) {
		r.dropRelation(o, true)
	}
	for _, t := range inSchema(r.types, name, typeNameOf) {
		r.types = r.types.deleteIn(r.batch, t.Name.key())
	}
	for _, f := range inSchema(r.funcs, name, funcNameOf) {
		r.funcs = r.funcs.deleteIn(r.batch, f.Name.key())
	}
}

// dropType removes a type; with CASCADE, PostgreSQL also drops the columns of that type.
func (r replay) dropType(name Name, cascade bool) {
	name = r.resolveType(name)
	r.types = r.types.deleteIn(r.batch, name.key())
	if !cascade {
		return
	}
	var tables []*Relation
	r.rels.Range(func(_ string, o *Relation) bool {
		if o.Kind.TableLike() {
			for _, c := range o.Columns {
				if r.columnTypeName(c) == name {
					tables = append(tables, o)
					break
				}
			}
		}
		return true
	})
	for _, t := range tables {
		for _, c := range t.Columns {
			if r.columnTypeName(c) == name {
				cur, _ := r.rel(t.ID)
				r.dropColumn(cur, c.Name, true, false)
			}
		}
	}
}

// columnTypeName is the resolved name of a column's type.
func (r replay) columnTypeName(c *Column) Name {
	if c.Type == nil {
		return Name{}
	}
	return r.resolveType(ListName(c.Type.Names))
}

func referencesTable(t *Relation, id ID) bool {
	for _, c := range t.Constraints {
		if c.Kind == ForeignKey && c.References == id {
			return true
		}
	}
	return false
}

// withoutForeignKeysTo removes the foreign keys referencing table (those match
// selects, when given).
// hasForeignKeyTo reports a foreign key to table among cons that match accepts (nil:
// any): a referrer without one is left as it is, not copied to change nothing.
func hasForeignKeyTo(cons []*Constraint, table ID, match func(*Constraint) bool) bool {
	for _, c := range cons {
		if c.Kind == ForeignKey && c.References == table && (match == nil || match(c)) {
			return true
		}
	}
	return false
}

func withoutForeignKeysTo(cons []*Constraint, table ID, match func(*Constraint) bool) []*Constraint {
	var out []*Constraint
	for _, c := range cons {
		if c.Kind == ForeignKey && c.References == table && (match == nil || match(c)) {
			continue
		}
		out = append(out, c)
	}
	return out
}

func removeConstraint(cons []*Constraint, name string) []*Constraint {
	var out []*Constraint
	for _, c := range cons {
		if c.Name != name {
			out = append(out, c)
		}
	}
	return out
}

func removeID(ids []ID, id ID) []ID {
	var out []ID
	for _, x := range ids {
		if x != id {
			out = append(out, x)
		}
	}
	return out
}

func hasID(ids []ID, id ID) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for _, x := range a {
		if !contains(b, x) {
			return false
		}
	}
	return true
}

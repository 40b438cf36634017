package project

import (
	pg "github.com/pganalyze/pg_query_go/v5"

	"github.com/migsafe/migsafe/engine/sqlast"
)

// createSchema replays CREATE SCHEMA, with the objects it creates inside.
func (r replay) createSchema(cs *pg.CreateSchemaStmt) {
	name := cs.Schemaname
	if name == "" {
		return // CREATE SCHEMA AUTHORIZATION role: named after a role migsafe cannot know
	}
	if _, ok := r.schemas.Get(name); ok && cs.IfNotExists {
		return
	}
	r.schemas = r.schemas.Set(name, &Schema{Name: name, Origin: r.origin})
	// Objects inside CREATE SCHEMA are created in it, whatever the search_path says.
	saved := r.path
	r.path = []string{name}
	for _, elt := range cs.SchemaElts {
		r.statement(elt)
	}
	r.path = saved
}

// createView replays CREATE [OR REPLACE] VIEW; OR REPLACE keeps the view (and where it
// came from).
func (r replay) createView(vs *pg.ViewStmt) {
	name := r.createName(vs.View)
	uses, cols := r.queryUses(vs.Query)
	outs := r.ViewOutputs(vs)
	var id ID
	if old, ok := r.Relation(name); ok && old.Kind == View && vs.Replace {
		r.edit(old.ID, func(v *Relation) { v.Uses, v.UsesColumns, v.Outputs = uses, cols, outs })
		id = old.ID
	} else {
		if ok {
			r.dropRelation(old, true)
		}
		v := &Relation{Kind: View, Name: name, Origin: r.origin, Uses: uses, UsesColumns: cols, Outputs: outs}
		r.putRel(v)
		id = v.ID
	}
	for _, u := range uses {
		r.addReferrer(u, id)
	}
}

// ViewOutputs lists a view's output columns as PostgreSQL names them: the target's
// alias, else the column or function it is, renamed by CREATE VIEW v (a, b). A type is
// set where the statement shows it: a cast, or a column of the one relation the query
// reads, as the catalog knows it; * stands for that relation's columns. It is nil when
// a name cannot be told (* over a relation the catalog does not know whole or over a
// join; an expression PostgreSQL names "?column?"; VALUES).
func (c *Catalog) ViewOutputs(vs *pg.ViewStmt) []*Column {
	sel := vs.Query.GetSelectStmt()
	// A UNION's columns are its first branch's.
	for sel != nil && sel.Op != pg.SetOperation_SETOP_NONE {
		sel = sel.Larg
	}
	if sel == nil || len(sel.TargetList) == 0 {
		return nil
	}
	var from *Relation
	if len(sel.FromClause) == 1 && sel.WithClause == nil {
		if rv := sel.FromClause[0].GetRangeVar(); rv != nil {
			if rel, ok := c.Relation(RangeVarName(rv)); ok && rel.Known() {
				from = rel
			}
		}
	}
	var out []*Column
	for _, t := range sel.TargetList {
		rt := t.GetResTarget()
		if rt == nil {
			return nil
		}
		name, v := rt.Name, rt.Val
		var typ *pg.TypeName
		if tc := v.GetTypeCast(); tc != nil {
			typ, v = tc.TypeName, tc.Arg
		}
		switch {
		case v.GetColumnRef() != nil:
			f := v.GetColumnRef().Fields
			if len(f) > 0 && f[len(f)-1].GetAStar() != nil && from != nil && name == "" && typ == nil {
				// PostgreSQL expands * when the view is made, into the columns the
				// relation has then, in their order.
				for _, c := range from.Columns {
					out = append(out, &Column{Name: c.Name, Type: c.Type})
				}
				continue
			}
			if len(f) == 0 || f[len(f)-1].GetAStar() != nil {
				return nil
			}
			col := f[len(f)-1].GetString_().GetSval()
			if name == "" {
				name = col
			}
			if typ == nil && from != nil {
				if fc, ok := from.Column(col); ok {
					typ = fc.Type
				}
			}
		case v.GetFuncCall() != nil && name == "":
			name = sqlast.LastName(v.GetFuncCall().Funcname)
		}
		if name == "" {
			return nil
		}
		out = append(out, &Column{Name: name, Type: typ})
	}
	for i, a := range vs.Aliases {
		if i < len(out) {
			out[i].Name = a.GetString_().GetSval()
		}
	}
	return out
}

// queryUses lists the relations a query reads (those the catalog knows) and the
// column names it mentions ("*" for SELECT *).
func (r replay) queryUses(q *pg.Node) ([]ID, []string) {
	var ids []ID
	var cols []string
	seen := map[string]bool{}
	sqlast.Walk(q, func(x *pg.Node) {
		switch {
		case x.GetRangeVar() != nil:
			if rel, ok := r.Relation(RangeVarName(x.GetRangeVar())); ok && !hasID(ids, rel.ID) {
				ids = append(ids, rel.ID)
			}
		case x.GetColumnRef() != nil:
			f := x.GetColumnRef().Fields
			name := sqlast.LastName(f)
			if len(f) > 0 && f[len(f)-1].GetAStar() != nil {
				name = "*"
			}
			if name != "" && !seen[name] {
				seen[name] = true
				cols = append(cols, name)
			}
		}
	})
	return ids, cols
}

// createSequence replays CREATE SEQUENCE (with OWNED BY).
func (r replay) createSequence(cs *pg.CreateSeqStmt) {
	name := r.Resolve(RangeVarName(cs.Sequence))
	if _, ok := r.Relation(name); ok && cs.IfNotExists {
		return
	}
	seq := &Relation{Kind: Sequence, Name: name, Origin: r.origin}
	seq.OwnedBy = r.ownedBy(cs.Options)
	r.putRel(seq)
	if seq.OwnedBy != nil {
		r.addReferrer(seq.OwnedBy.Table, seq.ID)
	}
}

// alterSequence replays ALTER SEQUENCE ... OWNED BY.
func (r replay) alterSequence(as *pg.AlterSeqStmt) {
	seq := r.existing(RangeVarName(as.Sequence), Sequence)
	if owner := r.ownedBy(as.Options); owner != nil {
		r.edit(seq.ID, func(s *Relation) { s.OwnedBy = owner })
		r.addReferrer(owner.Table, seq.ID)
	}
}

// ownedBy reads OWNED BY table.column from sequence options (nil for none or NONE).
func (r replay) ownedBy(opts []*pg.Node) *ColumnRef {
	for _, o := range opts {
		d := o.GetDefElem()
		if d == nil || d.Defname != "owned_by" {
			continue
		}
		l := d.Arg.GetList()
		if l == nil || len(l.Items) < 2 {
			return nil
		}
		var parts []string
		for _, it := range l.Items {
			parts = append(parts, it.GetString_().GetSval())
		}
		table := partsName(parts[:len(parts)-1])
		t := r.existing(table, Table)
		return &ColumnRef{Table: t.ID, Column: parts[len(parts)-1]}
	}
	return nil
}

// createEnum replays CREATE TYPE ... AS ENUM.
func (r replay) createEnum(ce *pg.CreateEnumStmt) {
	name := r.typeName(ListName(ce.TypeName))
	r.types = r.types.Set(name.key(), &Type{Kind: Enum, Name: name, Values: nodeStrings(ce.Vals), Origin: r.origin})
}

// alterEnum replays ALTER TYPE ... ADD VALUE and RENAME VALUE.
func (r replay) alterEnum(ae *pg.AlterEnumStmt) {
	name := r.resolveType(ListName(ae.TypeName))
	t, ok := r.types.getName(name)
	if !ok {
		return
	}
	nt := *t
	nt.Values = append([]string(nil), t.Values...)
	switch {
	case ae.OldVal != "":
		for i, v := range nt.Values {
			if v == ae.OldVal {
				nt.Values[i] = ae.NewVal
			}
		}
	case contains(nt.Values, ae.NewVal):
		return // ADD VALUE IF NOT EXISTS of a value it has
	case ae.NewValNeighbor != "":
		at := len(nt.Values)
		for i, v := range nt.Values {
			if v == ae.NewValNeighbor {
				at = i
				if ae.NewValIsAfter {
					at++
				}
			}
		}
		nt.Values = append(nt.Values[:at], append([]string{ae.NewVal}, nt.Values[at:]...)...)
	default:
		nt.Values = append(nt.Values, ae.NewVal)
	}
	r.types = r.types.Set(name.key(), &nt)
}

// createType records a domain, composite or range type.
func (r replay) createType(n Name, kind TypeKind) {
	name := r.typeName(n)
	r.types = r.types.Set(name.key(), &Type{Kind: kind, Name: name, Origin: r.origin})
}

// typeName is where CREATE TYPE puts a type.
func (r replay) typeName(n Name) Name {
	if n.Schema == "" {
		n.Schema = r.creationSchema()
	}
	return n
}

package project

import (
	pg "github.com/pganalyze/pg_query_go/v5"

	"github.com/migsafe/migsafe/engine/sqlast"
)

// createTable replays CREATE TABLE (with its column and table constraints, LIKE,
// INHERITS and PARTITION OF).
func (r replay) createTable(cs *pg.CreateStmt) {
	name := r.createName(cs.Relation)
	if old, ok := r.Relation(name); ok {
		if cs.IfNotExists {
			return // CREATE TABLE IF NOT EXISTS of an existing table does nothing
		}
		r.dropRelation(old, true)
	}
	kind := Table
	if cs.Partspec != nil {
		kind = PartitionedTable
	}
	r.lastID++
	t := &Relation{ID: r.lastID, Kind: kind, Name: name, Origin: r.origin}
	var parents []ID
	var sequences []string // columns that own a sequence (serial, identity)
	for _, in := range cs.InhRelations {
		parent := r.existing(RangeVarName(in.GetRangeVar()), Table)
		t.Parent = parent.ID
		parents = append(parents, parent.ID)
		if !parent.Known() {
			r.unknownFacts(t)
		}
		for _, col := range parent.Columns {
			c := *col
			c.Origin, c.TypeAt = r.origin, r.seq
			t.Columns = append(t.Columns, &c)
		}
	}
	type constraint struct {
		con    *pg.Constraint
		column string // for a column constraint
	}
	var deferred []constraint
	for _, elt := range cs.TableElts {
		switch {
		case elt.GetColumnDef() != nil:
			cd := elt.GetColumnDef()
			if existing, ok := t.Column(cd.Colname); ok {
				// PARTITION OF and INHERITS list the parent's columns: a definition
				// here only adds options to one of them.
				if columnOptions(existing, cd) {
					sequences = append(sequences, existing.Name)
				}
				continue
			}
			col, seq := r.column(cd)
			t.Columns = append(t.Columns, col)
			if seq {
				sequences = append(sequences, col.Name)
			}
			for _, c := range cd.Constraints {
				if con := c.GetConstraint(); con != nil {
					deferred = append(deferred, constraint{con, cd.Colname})
				}
			}
		case elt.GetConstraint() != nil:
			deferred = append(deferred, constraint{con: elt.GetConstraint()})
		case elt.GetTableLikeClause() != nil:
			r.likeClause(t, elt.GetTableLikeClause())
		}
	}
	for _, c := range cs.Constraints {
		if con := c.GetConstraint(); con != nil {
			deferred = append(deferred, constraint{con: con})
		}
	}
	r.putRel(t)
	for _, p := range parents {
		r.addReferrer(p, t.ID)
	}
	for _, c := range sequences {
		r.ownedSequence(t.ID, c)
	}
	for _, d := range deferred {
		r.addConstraint(t.ID, d.con, d.column)
	}
}

// createName is the name CREATE gives a relation: in pg_temp for a temporary one
// (it lasts until the file's session ends), else resolved on the search_path.
func (r replay) createName(rv *pg.RangeVar) Name {
	if rv.GetRelpersistence() == "t" {
		return Name{Schema: tempSchema, Name: rv.Relname}
	}
	return r.Resolve(RangeVarName(rv))
}

// column reads a column definition (its NOT NULL, DEFAULT, identity and generated
// options; its constraints are added by the caller). seq is true when the column owns
// a sequence (serial, identity), which the caller creates once the table is stored.
func (r replay) column(cd *pg.ColumnDef) (col *Column, seq bool) {
	col = &Column{Name: cd.Colname, Type: cd.TypeName, Default: cd.RawDefault, Origin: r.origin, TypeAt: r.seq, Collation: sqlast.Collation(cd.CollClause)}
	seq = columnOptions(col, cd)
	if serial, ok := serialTypes[sqlast.TypeName(cd.TypeName)]; ok {
		col.Type = &pg.TypeName{Names: []*pg.Node{pg.MakeStrNode("pg_catalog"), pg.MakeStrNode(serial)}, Location: cd.TypeName.GetLocation()}
		col.NotNull = true
		col.Default = &pg.Node{Node: &pg.Node_FuncCall{FuncCall: &pg.FuncCall{Funcname: []*pg.Node{pg.MakeStrNode("nextval")}}}}
		seq = true
	}
	return col, seq
}

// serialTypes maps the serial pseudo-types to the integer types they create.
var serialTypes = map[string]string{"serial": "int4", "serial4": "int4", "bigserial": "int8", "serial8": "int8", "smallserial": "int2", "serial2": "int2"}

// columnOptions applies the options of a column definition that are not table
// constraints; true when it makes the column an identity column (which owns a
// sequence).
func columnOptions(col *Column, cd *pg.ColumnDef) (identity bool) {
	if cd.IsNotNull {
		col.NotNull = true
	}
	if cd.RawDefault != nil {
		col.Default = cd.RawDefault
	}
	for _, c := range cd.Constraints {
		con := c.GetConstraint()
		if con == nil {
			continue
		}
		switch con.Contype {
		case pg.ConstrType_CONSTR_NOTNULL, pg.ConstrType_CONSTR_PRIMARY:
			col.NotNull = true
		case pg.ConstrType_CONSTR_NULL:
			col.NotNull = false
		case pg.ConstrType_CONSTR_DEFAULT:
			col.Default = con.RawExpr
		case pg.ConstrType_CONSTR_IDENTITY:
			col.Identity = 'd'
			if con.GeneratedWhen != "" {
				col.Identity = con.GeneratedWhen[0]
			}
			col.NotNull = true
			identity = true
		case pg.ConstrType_CONSTR_GENERATED:
			col.Generated = true
		}
	}
	return identity
}

// ownedSequence records the sequence a serial or identity column of a stored table
// owns, under the name PostgreSQL gives it.
func (r replay) ownedSequence(table ID, column string) {
	t, ok := r.rel(table)
	if !ok {
		return
	}
	name := Name{Schema: t.Name.Schema, Name: r.chooseRelationName(t.Name.Schema, t.Name.Name, column, "seq")}
	seq := &Relation{Kind: Sequence, Name: name, Origin: r.origin, OwnedBy: &ColumnRef{Table: t.ID, Column: column}}
	r.putRel(seq)
	r.addReferrer(t.ID, seq.ID)
}

// likeClause copies the columns of LIKE source (with its NOT NULLs; defaults,
// constraints and indexes only as INCLUDING asks, which the replay does not model:
// the new table is then uncertain).
func (r replay) likeClause(t *Relation, like *pg.TableLikeClause) {
	src, ok := r.Table(RangeVarName(like.Relation))
	if !ok || !src.Known() || like.Options != 0 {
		r.unknownFacts(t)
	}
	if !ok {
		return
	}
	for _, col := range src.Columns {
		c := &Column{Name: col.Name, Type: col.Type, NotNull: col.NotNull, Origin: r.origin, TypeAt: r.seq, Collation: col.Collation}
		t.Columns = append(t.Columns, c)
	}
}

// createTableAs replays CREATE TABLE AS and CREATE MATERIALIZED VIEW: the table holds
// the query's rows; its columns come from the query, which the replay does not type.
func (r replay) createTableAs(cta *pg.CreateTableAsStmt) {
	if cta.Into == nil {
		return
	}
	kind := Table
	if cta.Objtype == pg.ObjectType_OBJECT_MATVIEW {
		kind = MatView
	}
	r.createFromQuery(cta.Into, kind, cta.IfNotExists, cta.Query)
}

func (r replay) createFromQuery(into *pg.IntoClause, kind RelKind, ifNotExists bool, query *pg.Node) {
	name := r.createName(into.Rel)
	if old, ok := r.Relation(name); ok {
		if ifNotExists {
			return
		}
		r.dropRelation(old, true)
	}
	t := &Relation{Kind: kind, Name: name, Origin: r.origin, FromQuery: !into.SkipData}
	for _, c := range into.ColNames {
		t.Columns = append(t.Columns, &Column{Name: c.GetString_().GetSval(), Origin: r.origin})
	}
	if len(into.ColNames) == 0 {
		t.Columns = r.queryColumns(query)
	}
	if t.Columns == nil {
		r.unknownFacts(t) // its columns are the query's, which the replay cannot list
	}
	t.Uses, t.UsesColumns = r.queryUses(query)
	r.putRel(t)
	for _, u := range t.Uses {
		r.addReferrer(u, t.ID)
	}
}

// selectStmt replays SELECT ... INTO (a table created from a query) and the calls a
// SELECT makes for their side effects (set_config of the search_path, functions).
func (r replay) selectStmt(s *pg.SelectStmt) bool {
	if s.IntoClause != nil {
		r.createFromQuery(s.IntoClause, Table, false, &pg.Node{Node: &pg.Node_SelectStmt{SelectStmt: s}})
		return true
	}
	changed := false
	for _, target := range s.TargetList {
		rt := target.GetResTarget()
		if rt == nil {
			continue
		}
		if fc := rt.Val.GetFuncCall(); fc != nil {
			if r.call(fc) {
				changed = true
			}
		}
	}
	return changed
}

// queryColumns lists the output columns of a simple query whose every target is a
// named column or has an alias; nil when it cannot tell (SELECT *, expressions).
func (r replay) queryColumns(q *pg.Node) []*Column {
	sel := q.GetSelectStmt()
	if sel == nil || len(sel.TargetList) == 0 {
		return nil
	}
	var cols []*Column
	for _, t := range sel.TargetList {
		rt := t.GetResTarget()
		if rt == nil {
			return nil
		}
		name := rt.Name
		if name == "" {
			cr := rt.Val.GetColumnRef()
			if cr == nil || cr.Fields[len(cr.Fields)-1].GetAStar() != nil {
				return nil
			}
			name = sqlast.LastName(cr.Fields)
		}
		cols = append(cols, &Column{Name: name, Origin: r.origin})
	}
	return cols
}

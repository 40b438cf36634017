package project

import (
	"strconv"
	"strings"
	"unicode/utf8"

	pg "github.com/pganalyze/pg_query_go/v5"

	"github.com/migsafe/migsafe/engine/sqlast"
)

// addConstraint replays a table constraint (from CREATE TABLE or ADD CONSTRAINT), or
// a column constraint of column: PRIMARY KEY and UNIQUE create their index, PRIMARY
// KEY makes its columns NOT NULL, NOT VALID leaves a CHECK or FOREIGN KEY unvalidated.
func (r replay) addConstraint(table ID, con *pg.Constraint, column string) {
	t, ok := r.rel(table)
	if !ok {
		return
	}
	c := &Constraint{Name: con.Conname, Validated: !con.SkipValidation, ValidatedAt: r.seq, Origin: r.origin}
	switch con.Contype {
	case pg.ConstrType_CONSTR_CHECK:
		c.Kind = Check
		c.NotNullColumn = notNullCheckColumn(con)
		c.Columns = checkColumns(con)
		if c.Name == "" {
			col := ""
			if len(c.Columns) == 1 {
				col = c.Columns[0]
			}
			c.Name = r.chooseConstraintName(t, col, "check")
		}
	case pg.ConstrType_CONSTR_PRIMARY, pg.ConstrType_CONSTR_UNIQUE, pg.ConstrType_CONSTR_EXCLUSION:
		c.Kind, c.Columns = Unique, nodeStrings(con.Keys)
		if len(c.Columns) == 0 && column != "" {
			c.Columns = []string{column}
		}
		label := "key"
		switch con.Contype {
		case pg.ConstrType_CONSTR_PRIMARY:
			c.Kind, label = PrimaryKey, "pkey"
		case pg.ConstrType_CONSTR_EXCLUSION:
			c.Kind, label = Exclusion, "excl"
			c.Columns = exclusionColumns(con)
		}
		if con.Indexname != "" {
			// ADD CONSTRAINT ... USING INDEX: the index becomes the constraint's and
			// takes its name.
			idx, ok := r.Relation(Name{Schema: t.Name.Schema, Name: con.Indexname})
			if !ok || idx.Kind != Index {
				idx = nil
			}
			if c.Name == "" {
				c.Name = con.Indexname
			}
			if idx != nil {
				c.Columns = idx.Index.Columns
				r.renameRelation(idx, c.Name)
				c.Index = idx.ID
				r.edit(idx.ID, func(i *Relation) {
					info := *i.Index
					info.Constraint, info.Unique, info.Primary = c.Name, true, c.Kind == PrimaryKey
					i.Index = &info
				})
			}
		} else {
			if c.Name == "" {
				if c.Kind == PrimaryKey {
					c.Name = r.chooseRelationName(t.Name.Schema, t.Name.Name, "", label)
				} else {
					c.Name = r.chooseRelationName(t.Name.Schema, t.Name.Name, strings.Join(nonEmpty(c.Columns, "expr"), "_"), label)
				}
			}
			idx := &Relation{Kind: Index, Name: Name{Schema: t.Name.Schema, Name: c.Name}, Origin: r.origin,
				Index: &IndexInfo{Table: t.ID, Columns: c.Columns, Uses: c.Columns, Unique: c.Kind != Exclusion,
					Primary: c.Kind == PrimaryKey, Valid: true, Constraint: c.Name}}
			r.putRel(idx)
			c.Index = idx.ID
			r.edit(table, func(t *Relation) { t.Indexes, t.indexTail = t.indexTail.appendTo(t.Indexes, idx.ID) })
		}
		if c.Kind == PrimaryKey {
			r.setNotNull(table, c.Columns)
		}
	case pg.ConstrType_CONSTR_FOREIGN:
		c.Kind = ForeignKey
		c.Columns = nodeStrings(con.FkAttrs)
		if len(c.Columns) == 0 && column != "" {
			c.Columns = []string{column}
		}
		c.RefColumns = nodeStrings(con.PkAttrs)
		ref := RangeVarName(con.Pktable)
		if r.Resolve(ref) == t.Name {
			c.References = t.ID
		} else {
			c.References = r.existing(ref, Table).ID
		}
		if c.Name == "" {
			c.Name = r.chooseConstraintName(t, strings.Join(c.Columns, "_"), "fkey")
		}
		r.addReferrer(c.References, table)
	default:
		return // NOT NULL, DEFAULT and the like are column options, not constraints
	}
	r.edit(table, func(t *Relation) {
		t.Constraints = append(append([]*Constraint(nil), t.Constraints...), c)
	})
}

// setNotNull marks columns NOT NULL.
func (r replay) setNotNull(table ID, cols []string) {
	r.edit(table, func(t *Relation) {
		for _, name := range cols {
			if col, ok := t.Column(name); ok && !col.NotNull {
				nc := *col
				nc.NotNull = true
				t.Columns = replaceColumn(t.Columns, &nc)
			}
		}
	})
}

// createIndex replays CREATE INDEX.
func (r replay) createIndex(is *pg.IndexStmt) {
	t := r.existing(RangeVarName(is.Relation), Table)
	var cols, uses, names []string
	for _, p := range is.IndexParams {
		ie := p.GetIndexElem()
		if ie == nil {
			continue
		}
		cols = append(cols, ie.Name)
		if ie.Name != "" {
			uses = append(uses, ie.Name)
			names = append(names, ie.Name)
		} else {
			uses = append(uses, columnRefs(ie.Expr)...)
			names = append(names, indexColname(ie.Expr))
		}
	}
	for _, p := range is.IndexIncludingParams {
		if ie := p.GetIndexElem(); ie != nil && ie.Name != "" {
			uses = append(uses, ie.Name)
		}
	}
	uses = append(uses, columnRefs(is.WhereClause)...)
	name := is.Idxname
	if name != "" {
		if old, ok := r.Relation(Name{Schema: t.Name.Schema, Name: name}); ok {
			if is.IfNotExists {
				return
			}
			r.dropRelation(old, true)
		}
	} else {
		// ChooseIndexName: "key" only for an index made by a constraint; a CREATE
		// UNIQUE INDEX is an _idx like any other.
		label := "idx"
		switch {
		case is.Primary:
			label = "pkey"
		case is.Unique && is.Isconstraint:
			label = "key"
		}
		name = r.chooseRelationName(t.Name.Schema, t.Name.Name, strings.Join(names, "_"), label)
	}
	idx := &Relation{Kind: Index, Name: Name{Schema: t.Name.Schema, Name: name}, Origin: r.origin,
		Index: &IndexInfo{Table: t.ID, Columns: cols, Uses: uses, Unique: is.Unique, Primary: is.Primary,
			Valid: is.Relation.GetInh() || t.Kind != PartitionedTable, Partial: is.WhereClause != nil}}
	r.putRel(idx)
	r.edit(t.ID, func(t *Relation) { t.Indexes, t.indexTail = t.indexTail.appendTo(t.Indexes, idx.ID) })
}

// chooseRelationName is PostgreSQL's ChooseRelationName: name1_name2_label cut to
// fit 63 bytes, with a number added to the label until no relation of the schema
// has the name.
func (r replay) chooseRelationName(schema, name1, name2, label string) string {
	for i := 0; ; i++ {
		l := label
		if i > 0 {
			l = label + strconv.Itoa(i)
		}
		name := makeObjectName(name1, name2, l)
		if _, taken := r.names.getName(Name{schema, name}); !taken {
			return name
		}
	}
}

// chooseConstraintName is ChooseConstraintName for constraints without an index:
// unique among the table's constraints.
func (r replay) chooseConstraintName(t *Relation, name2, label string) string {
	for i := 0; ; i++ {
		l := label
		if i > 0 {
			l = label + strconv.Itoa(i)
		}
		name := makeObjectName(t.Name.Name, name2, l)
		if _, taken := t.Constraint(name); !taken {
			return name
		}
	}
}

// namedatalen is PostgreSQL's NAMEDATALEN: names hold at most 63 bytes.
const namedatalen = 64

// makeObjectName is PostgreSQL's makeObjectName: name1_name2_label, shortening the
// longer of name1 and name2 a byte at a time (never inside a character) until it fits.
func makeObjectName(name1, name2, label string) string {
	overhead := 0
	if label != "" {
		overhead += len(label) + 1
	}
	if name2 != "" {
		overhead += 1
	}
	avail := namedatalen - 1 - overhead
	n1, n2 := len(name1), len(name2)
	for n1+n2 > avail {
		if n1 > n2 {
			n1--
		} else {
			n2--
		}
	}
	name := clip(name1, n1)
	if name2 != "" {
		name += "_" + clip(name2, n2)
	}
	if label != "" {
		name += "_" + label
	}
	return name
}

// clip cuts s to at most n bytes without splitting a character.
func clip(s string, n int) string {
	if n >= len(s) {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// notNullCheckColumn returns col for CHECK (col IS NOT NULL), else "".
func notNullCheckColumn(con *pg.Constraint) string {
	if con.RawExpr == nil {
		return ""
	}
	nt := con.RawExpr.GetNullTest()
	if nt == nil || nt.Nulltesttype != pg.NullTestType_IS_NOT_NULL {
		return ""
	}
	if cr := nt.Arg.GetColumnRef(); cr != nil && len(cr.Fields) == 1 {
		return sqlast.LastName(cr.Fields)
	}
	return ""
}

// checkColumns are the distinct columns a CHECK reads. PostgreSQL names an unnamed
// CHECK after its column only when it reads exactly one, whether it was written as a
// column or a table constraint.
func checkColumns(con *pg.Constraint) []string {
	return columnRefs(con.RawExpr)
}

func exclusionColumns(con *pg.Constraint) []string {
	var cols []string
	for _, ex := range con.Exclusions {
		l := ex.GetList()
		if l == nil || len(l.Items) == 0 {
			continue
		}
		cols = append(cols, l.Items[0].GetIndexElem().GetName())
	}
	return cols
}

// columnRefs lists the distinct column names an expression mentions, in order.
func columnRefs(n *pg.Node) []string {
	var out []string
	seen := map[string]bool{}
	sqlast.Walk(n, func(x *pg.Node) {
		if cr := x.GetColumnRef(); cr != nil {
			if name := sqlast.LastName(cr.Fields); name != "" && !seen[name] {
				seen[name] = true
				out = append(out, name)
			}
		}
	})
	return out
}

func nodeStrings(nodes []*pg.Node) []string {
	out := make([]string, 0, len(nodes))
	for _, n := range nodes {
		out = append(out, n.GetString_().GetSval())
	}
	return out
}

// indexColname is what PostgreSQL calls an index expression when it names the index
// (FigureIndexColname): a function's name, a cast column's name, else "expr".
func indexColname(n *pg.Node) string {
	switch {
	case n.GetFuncCall() != nil:
		return sqlast.LastName(n.GetFuncCall().Funcname)
	case n.GetColumnRef() != nil:
		return sqlast.LastName(n.GetColumnRef().Fields)
	case n.GetTypeCast() != nil:
		if cr := n.GetTypeCast().Arg.GetColumnRef(); cr != nil {
			return sqlast.LastName(cr.Fields)
		}
		return sqlast.LastName(n.GetTypeCast().TypeName.GetNames())
	case n.GetCoalesceExpr() != nil:
		return "coalesce"
	case n.GetCaseExpr() != nil:
		return "case"
	}
	return "expr"
}

// nonEmpty replaces empty names (index expressions) with what PostgreSQL calls them.
func nonEmpty(names []string, empty string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = n
		if n == "" {
			out[i] = empty
		}
	}
	return out
}

func appendID(ids []ID, id ID) []ID {
	return append(append([]ID(nil), ids...), id)
}

func replaceColumn(cols []*Column, col *Column) []*Column {
	out := make([]*Column, len(cols))
	for i, c := range cols {
		out[i] = c
		if c.Name == col.Name {
			out[i] = col
		}
	}
	return out
}

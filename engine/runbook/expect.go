package runbook

import (
	"strings"

	pg "github.com/pganalyze/pg_query_go/v5"

	"github.com/migsafe/migsafe/engine/project"
	"github.com/migsafe/migsafe/engine/sqlast"
)

// factKind is what a verification fact is about.
type factKind int

const (
	tableFact factKind = iota
	columnFact
	indexFact
	constraintFact
	noNullsFact
)

// fact is one thing true of the schema at some point: after the up migration, or
// before it (which is what the down must restore). Unknown parts are left nil or "".
type fact struct {
	kind  factKind
	table string // as written (schema-qualified when it was)
	name  string // the column, index or constraint; "" for an unnamed index or constraint
	// cols and contype identify an unnamed index or constraint by its columns.
	cols    []string
	contype string // p, u, f, c, x

	exists     bool
	typ        string // format_type spelling, "" when unknown
	notNull    *bool
	hasDefault *bool
	validated  *bool
	// unique and partial describe an index; a named index's cols, when known, are
	// its leading key columns.
	unique, partial *bool
}

func (f *fact) key() string {
	k := []string{string(rune('0' + f.kind)), lower(f.table), f.name}
	if f.name == "" {
		k = append(k, f.contype, strings.Join(f.cols, ","))
	}
	if f.kind == indexFact && f.name != "" {
		k[1] = "" // index names are unique per schema, whatever the table
	}
	return strings.Join(k, "\x00")
}

func lower(s string) string {
	s = strings.ToLower(s)
	return strings.TrimPrefix(s, "public.")
}

// facts is an ordered set of facts, by key.
type facts struct {
	order []string
	byKey map[string]*fact
	// first is set for before-state facts: only the first statement touching an object
	// says what it was before.
	first bool
}

func newFacts(first bool) *facts { return &facts{byKey: map[string]*fact{}, first: first} }

// set records f, or (after-state) replaces what an earlier statement said about the
// same object; for a before-state the first word stands.
func (fs *facts) set(f fact) *fact {
	k := f.key()
	if old, ok := fs.byKey[k]; ok {
		if fs.first {
			return old
		}
		*old = f
		return old
	}
	fs.order = append(fs.order, k)
	fs.byKey[k] = &f
	return &f
}

// get is the fact about an object, creating an "exists" one for after-state updates
// that only change a part of it (SET NOT NULL on a column the file did not add).
func (fs *facts) get(f fact) *fact {
	if old, ok := fs.byKey[f.key()]; ok {
		return old
	}
	f.exists = true
	return fs.set(f)
}

func (fs *facts) list() []*fact {
	out := make([]*fact, 0, len(fs.order))
	for _, k := range fs.order {
		out = append(out, fs.byKey[k])
	}
	return out
}

func boolPtr(b bool) *bool { return &b }

// afterUp is what the up statements leave: each statement applied in order. What
// they do not state about a column they change (its type, when SET NOT NULL says only
// its nullability) comes from the catalog after the up section.
func afterUp(steps []*stmt, after *project.Catalog) *facts {
	fs := newFacts(false)
	for _, s := range steps {
		applyAfter(fs, s.node)
	}
	for _, f := range fs.list() {
		if f.kind == columnFact && f.exists {
			known := existingColumn(f.table, f.name, after)
			if f.typ == "" {
				f.typ = known.typ
			}
			if f.notNull == nil {
				f.notNull = known.notNull
			}
			if f.hasDefault == nil {
				f.hasDefault = known.hasDefault
			}
		}
	}
	return fs
}

func applyAfter(fs *facts, n *pg.Node) {
	switch {
	case n.GetCreateStmt() != nil:
		cs := n.GetCreateStmt()
		t := sqlast.RangeVarName(cs.Relation)
		fs.set(fact{kind: tableFact, table: t, exists: true})
		for _, elt := range cs.TableElts {
			if cd := elt.GetColumnDef(); cd != nil {
				fs.set(columnDef(t, cd))
			}
		}
	case n.GetDropStmt() != nil:
		ds := n.GetDropStmt()
		for _, obj := range ds.Objects {
			switch ds.RemoveType {
			case pg.ObjectType_OBJECT_TABLE:
				fs.set(fact{kind: tableFact, table: sqlast.ObjectName(obj)})
			case pg.ObjectType_OBJECT_INDEX:
				fs.set(fact{kind: indexFact, name: sqlast.ObjectName(obj)})
			}
		}
	case n.GetIndexStmt() != nil:
		fs.set(indexOf(n.GetIndexStmt(), true))
	case n.GetRenameStmt() != nil:
		rs := n.GetRenameStmt()
		t := sqlast.RangeVarName(rs.Relation)
		switch rs.RenameType {
		case pg.ObjectType_OBJECT_COLUMN:
			moved := *fs.get(fact{kind: columnFact, table: t, name: rs.Subname})
			fs.set(fact{kind: columnFact, table: t, name: rs.Subname})
			moved.name = rs.Newname
			fs.set(moved)
		case pg.ObjectType_OBJECT_TABLE:
			fs.set(fact{kind: tableFact, table: t})
			fs.set(fact{kind: tableFact, table: renamedTable(t, rs.Newname), exists: true})
		case pg.ObjectType_OBJECT_INDEX:
			fs.set(fact{kind: indexFact, name: t})
			fs.set(fact{kind: indexFact, name: renamedTable(t, rs.Newname), exists: true})
		}
	case n.GetAlterTableStmt() != nil:
		t, cmds, _ := alterCmds(n)
		for _, cmd := range cmds {
			alterAfter(fs, t, cmd)
		}
	case n.GetUpdateStmt() != nil:
		us := n.GetUpdateStmt()
		t := sqlast.RangeVarName(us.Relation)
		for _, tl := range us.TargetList {
			rt := tl.GetResTarget()
			if rt == nil || rt.Val == nil || sqlast.IsNullConst(rt.Val) {
				continue
			}
			// A backfill fills every row (no WHERE) or every row still NULL.
			if us.WhereClause == nil || nullTestOf(us.WhereClause, rt.Name) {
				fs.set(fact{kind: noNullsFact, table: t, name: rt.Name, exists: true})
			}
		}
	}
}

func alterAfter(fs *facts, t string, cmd *pg.AlterTableCmd) {
	col := fact{kind: columnFact, table: t, name: cmd.Name}
	switch cmd.Subtype {
	case pg.AlterTableType_AT_AddColumn:
		if cd := cmd.Def.GetColumnDef(); cd != nil {
			fs.set(columnDef(t, cd))
		}
	case pg.AlterTableType_AT_DropColumn:
		fs.set(col)
	case pg.AlterTableType_AT_AlterColumnType:
		if cd := cmd.Def.GetColumnDef(); cd != nil {
			fs.get(col).typ = formatType(cd.TypeName)
		}
	case pg.AlterTableType_AT_SetNotNull:
		fs.get(col).notNull = boolPtr(true)
	case pg.AlterTableType_AT_DropNotNull:
		fs.get(col).notNull = boolPtr(false)
	case pg.AlterTableType_AT_ColumnDefault:
		fs.get(col).hasDefault = boolPtr(cmd.Def != nil)
	case pg.AlterTableType_AT_AddConstraint:
		if con := cmd.Def.GetConstraint(); con != nil {
			f := constraintOf(t, con)
			f.exists = true
			if con.Contype == pg.ConstrType_CONSTR_FOREIGN || con.Contype == pg.ConstrType_CONSTR_CHECK {
				f.validated = boolPtr(!con.SkipValidation)
			}
			fs.set(f)
		}
	case pg.AlterTableType_AT_ValidateConstraint:
		fs.get(fact{kind: constraintFact, table: t, name: cmd.Name}).validated = boolPtr(true)
	case pg.AlterTableType_AT_DropConstraint:
		fs.set(fact{kind: constraintFact, table: t, name: cmd.Name})
	}
}

// beforeUp is the state the up statements found: what they create did not exist,
// what they drop or rename did, with what the catalog before each statement knew of
// it (a dropped column's type, nullability and default; a dropped index's definition;
// a dropped table's columns).
func beforeUp(steps []*stmt) *facts {
	fs := newFacts(true)
	for _, s := range steps {
		n, schema := s.node, s.before
		switch {
		case n.GetCreateStmt() != nil:
			fs.set(fact{kind: tableFact, table: sqlast.RangeVarName(n.GetCreateStmt().Relation)})
		case n.GetDropStmt() != nil:
			ds := n.GetDropStmt()
			for _, obj := range ds.Objects {
				switch ds.RemoveType {
				case pg.ObjectType_OBJECT_TABLE:
					t := sqlast.ObjectName(obj)
					fs.set(fact{kind: tableFact, table: t, exists: true})
					if rel, ok := schema.Table(project.TreeName(t)); ok && rel.Known() {
						for _, col := range rel.Columns {
							fs.set(existingColumn(t, col.Name, schema))
						}
					}
				case pg.ObjectType_OBJECT_INDEX:
					fs.set(existingIndex(sqlast.ObjectName(obj), schema))
				}
			}
		case n.GetIndexStmt() != nil:
			if is := n.GetIndexStmt(); is.Idxname != "" {
				fs.set(fact{kind: indexFact, name: is.Idxname})
			}
		case n.GetRenameStmt() != nil:
			rs := n.GetRenameStmt()
			t := sqlast.RangeVarName(rs.Relation)
			switch rs.RenameType {
			case pg.ObjectType_OBJECT_COLUMN:
				fs.set(existingColumn(t, rs.Subname, schema))
				fs.set(fact{kind: columnFact, table: t, name: rs.Newname})
			case pg.ObjectType_OBJECT_TABLE:
				fs.set(fact{kind: tableFact, table: t, exists: true})
				fs.set(fact{kind: tableFact, table: renamedTable(t, rs.Newname)})
			case pg.ObjectType_OBJECT_INDEX:
				fs.set(existingIndex(t, schema))
				fs.set(fact{kind: indexFact, name: renamedTable(t, rs.Newname)})
			}
		case n.GetAlterTableStmt() != nil:
			t, cmds, _ := alterCmds(n)
			for _, cmd := range cmds {
				switch cmd.Subtype {
				case pg.AlterTableType_AT_AddColumn:
					if cd := cmd.Def.GetColumnDef(); cd != nil && !cmd.MissingOk {
						fs.set(fact{kind: columnFact, table: t, name: cd.Colname})
					}
				case pg.AlterTableType_AT_DropColumn:
					fs.set(existingColumn(t, cmd.Name, schema))
				case pg.AlterTableType_AT_AlterColumnType:
					fs.set(existingColumn(t, cmd.Name, schema))
				case pg.AlterTableType_AT_SetNotNull:
					f := existingColumn(t, cmd.Name, schema)
					f.notNull = boolPtr(false)
					fs.set(f)
				case pg.AlterTableType_AT_DropNotNull:
					f := existingColumn(t, cmd.Name, schema)
					f.notNull = boolPtr(true)
					fs.set(f)
				case pg.AlterTableType_AT_AddConstraint:
					if con := cmd.Def.GetConstraint(); con != nil {
						fs.set(constraintOf(t, con))
					}
				case pg.AlterTableType_AT_DropConstraint:
					fs.set(fact{kind: constraintFact, table: t, name: cmd.Name, exists: true})
				}
			}
		}
	}
	return fs
}

// existingColumn is a column that exists in the catalog, with its type, nullability
// and default when the catalog knows them: the column was defined by a migration and
// nothing the replay could not model touched its table since.
func existingColumn(t, c string, cat *project.Catalog) fact {
	f := fact{kind: columnFact, table: t, name: c, exists: true}
	rel, ok := cat.Table(project.TreeName(t))
	if !ok {
		return f
	}
	col, ok := rel.Column(c)
	if !ok || col.Origin.Path == "" || col.Type == nil || !rel.Trust(col.TypeAt) {
		return f
	}
	f.typ = formatType(col.Type)
	f.notNull = boolPtr(col.NotNull)
	if !col.Generated {
		// An identity column has no pg_attrdef entry; a generated one keeps its
		// expression there.
		f.hasDefault = boolPtr(col.Default != nil)
	}
	return f
}

// existingIndex is an index that exists in the catalog, with its definition (table,
// leading key columns, uniqueness, partial) when the catalog knows it.
func existingIndex(name string, cat *project.Catalog) fact {
	f := fact{kind: indexFact, name: name, exists: true}
	ix, ok := cat.Relation(project.TreeName(name))
	if !ok || ix.Kind != project.Index || ix.Index == nil {
		return f
	}
	t, ok := cat.Rel(ix.Index.Table)
	if !ok || !t.Trust(ix.Origin.Seq) {
		return f
	}
	f.table = cat.Spell(t.Name)
	f.unique, f.partial = boolPtr(ix.Index.Unique), boolPtr(ix.Index.Partial)
	f.cols = indexKeys(ix.Index.Columns)
	return f
}

// indexKeys is an index's key columns, or nil when one of them is an expression.
func indexKeys(cols []string) []string {
	for _, c := range cols {
		if c == "" {
			return nil
		}
	}
	return cols
}

func columnDef(t string, cd *pg.ColumnDef) fact {
	f := fact{kind: columnFact, table: t, name: cd.Colname, exists: true, typ: formatType(cd.TypeName),
		notNull: boolPtr(false), hasDefault: boolPtr(serialType(cd.TypeName))}
	for _, c := range cd.Constraints {
		switch c.GetConstraint().GetContype() {
		case pg.ConstrType_CONSTR_NOTNULL, pg.ConstrType_CONSTR_PRIMARY:
			f.notNull = boolPtr(true)
		case pg.ConstrType_CONSTR_DEFAULT:
			f.hasDefault = boolPtr(true)
		case pg.ConstrType_CONSTR_IDENTITY, pg.ConstrType_CONSTR_GENERATED:
			f.hasDefault = nil
			if c.GetConstraint().GetContype() == pg.ConstrType_CONSTR_IDENTITY {
				f.notNull = boolPtr(true)
			}
		}
	}
	return f
}

func indexOf(is *pg.IndexStmt, exists bool) fact {
	f := fact{kind: indexFact, table: sqlast.RangeVarName(is.Relation), name: is.Idxname, exists: exists,
		unique: boolPtr(is.Unique), partial: boolPtr(is.WhereClause != nil)}
	var cols []string
	for _, p := range is.IndexParams {
		cols = append(cols, p.GetIndexElem().GetName())
	}
	f.cols = cols
	if is.Idxname != "" {
		f.cols = indexKeys(cols)
	}
	return f
}

var contypes = map[pg.ConstrType]string{
	pg.ConstrType_CONSTR_PRIMARY: "p", pg.ConstrType_CONSTR_UNIQUE: "u", pg.ConstrType_CONSTR_FOREIGN: "f",
	pg.ConstrType_CONSTR_CHECK: "c", pg.ConstrType_CONSTR_EXCLUSION: "x",
}

// constraintOf identifies a constraint by its name, or an unnamed one by its kind and
// columns (PostgreSQL names those itself).
func constraintOf(t string, con *pg.Constraint) fact {
	f := fact{kind: constraintFact, table: t, name: con.Conname, contype: contypes[con.Contype]}
	if f.name == "" {
		keys := con.Keys
		if con.Contype == pg.ConstrType_CONSTR_FOREIGN {
			keys = con.FkAttrs
		}
		for _, k := range keys {
			f.cols = append(f.cols, k.GetString_().GetSval())
		}
		if con.Indexname != "" {
			f.cols = nil // USING INDEX: the index's columns
		}
	}
	return f
}

// alterCmds is the table and the subcommands of an ALTER TABLE of a table; ok is
// false for any other statement.
func alterCmds(n *pg.Node) (table string, cmds []*pg.AlterTableCmd, ok bool) {
	at := n.GetAlterTableStmt()
	if at == nil || at.Objtype != pg.ObjectType_OBJECT_TABLE {
		return "", nil, false
	}
	for _, c := range at.Cmds {
		if cmd := c.GetAlterTableCmd(); cmd != nil {
			cmds = append(cmds, cmd)
		}
	}
	return sqlast.RangeVarName(at.Relation), cmds, true
}

// renamedTable keeps the schema of a renamed relation: ALTER TABLE app.a RENAME TO b
// leaves app.b.
func renamedTable(old, newName string) string {
	if i := strings.LastIndexByte(old, '.'); i >= 0 {
		return old[:i+1] + newName
	}
	return newName
}

// nullTestOf reports WHERE col IS NULL and nothing else. Another condition ANDed to
// it (status = 'issued', other IS NULL) leaves some of the NULL rows as they were, by
// design: "no NULL left" would fail on a migration that did its job.
func nullTestOf(n *pg.Node, col string) bool {
	nt := n.GetNullTest()
	return nt != nil && nt.Nulltesttype == pg.NullTestType_IS_NULL && strings.EqualFold(sqlast.LastName(nt.Arg.GetColumnRef().GetFields()), col)
}

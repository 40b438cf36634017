package locks

import (
	"slices"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v5"

	"github.com/migsafe/migsafe/engine/plpgsql"
	"github.com/migsafe/migsafe/engine/sqlast"
)

// Lock is one lock a statement takes.
type Lock struct {
	Relation string // as written in the statement (schema-qualified when it was); "" when unknown
	Role     string // "table", "referenced table", "index", "partition"
	Mode     Mode
}

// Part is one action of a statement (an ALTER TABLE has one per subcommand).
type Part struct {
	Shape *Shape
	Facts Facts
	Table string // the statement's table ("" when only the index is named)
	Other string // the relation in Facts.OtherRole
	// Loc is the location, in the statement's node, of the clause that causes this
	// part (the subcommand, the column definition); -1 when unknown.
	Loc int32
	// Cmd is the ALTER TABLE subcommand, when the part comes from one.
	Cmd *pg.AlterTableCmd
	// OfNewColumn marks a constraint written on the column its ADD COLUMN adds: its
	// locks and work are the constraint's, its deploy order the column's.
	OfNewColumn bool
	// Redundant marks a dropped constraint the column's NOT NULL already enforces (the
	// CHECK (col IS NOT NULL) a SET NOT NULL was checked by): no code can tell it went.
	Redundant bool
}

// Deploy is the part's deploy order. A constraint on a column the statement adds
// binds only values the new code writes, so it deploys with the column; a redundant
// one binds nothing.
func (p Part) Deploy() Deploy {
	if p.OfNewColumn || p.Redundant {
		return AnyOrder
	}
	return p.Shape.Deploy()
}

// WorkTable is the relation whose rows the part's work (Facts.Work) goes over: the
// part's table, or the other relation for shapes whose work is there (the partition
// ATTACH PARTITION scans, the table INSERT ... SELECT reads).
func (p Part) WorkTable() string {
	if p.Facts.WorkOnOther {
		return p.Other
	}
	return p.Table
}

// Analysis is what one statement does to locks, by the knowledge base.
type Analysis struct {
	Parts []Part
	// Locks holds the strongest mode per relation, the statement's own table first.
	Locks         []Lock
	Rewrite, Scan bool
	NoTransaction bool
	Unsupported   bool
}

// Context answers questions the statement alone cannot, from what earlier statements
// established. A nil Context knows nothing.
type Context interface {
	// ColumnType returns the type a column had before the statement, when known.
	ColumnType(table, column string) (*pg.TypeName, bool)
	// ColumnCollation returns the collation it had with that type (sqlast.Collation).
	ColumnCollation(table, column string) string
	// HasNotNullCheck reports a validated CHECK (column IS NOT NULL) on the table.
	HasNotNullCheck(table, column string) bool
	// RedundantCheck reports a named CHECK (column IS NOT NULL) of the table whose column
	// is NOT NULL: dropping it relaxes nothing.
	RedundantCheck(table, constraint string) bool
	// ForeignKey returns the table a named foreign key of the table references, so
	// VALIDATE and DROP CONSTRAINT of a foreign key (which also lock the referenced
	// table) are told apart from other constraints.
	ForeignKey(table, constraint string) (referenced string, ok bool)
}

// Classify maps a parsed statement to its shapes and locks on PostgreSQL major v.
// Statements with no table-level lock worth stating return an empty Analysis.
func Classify(n *pg.Node, v int, ctx Context) Analysis {
	var parts []Part
	add := func(s *Shape, table, other string, loc int32, cmd *pg.AlterTableCmd) {
		parts = append(parts, Part{Shape: s, Facts: s.Facts(v), Table: table, Other: other, Loc: loc, Cmd: cmd})
	}
	switch {
	case n == nil:
	case n.GetCreateStmt() != nil:
		cs := n.GetCreateStmt()
		table := sqlast.RangeVarName(cs.Relation)
		if refs := referencedTables(cs); len(refs) > 0 {
			for _, r := range refs {
				add(CreateTableFK, table, r, cs.Relation.GetLocation(), nil)
			}
		} else {
			add(CreateTable, table, "", cs.Relation.GetLocation(), nil)
		}
	case n.GetIndexStmt() != nil:
		is := n.GetIndexStmt()
		if is.Concurrent {
			add(CreateIndexConcurrently, sqlast.RangeVarName(is.Relation), "", -1, nil)
		} else {
			add(CreateIndex, sqlast.RangeVarName(is.Relation), "", -1, nil)
		}
	case n.GetDropStmt() != nil:
		ds := n.GetDropStmt()
		for _, obj := range ds.Objects {
			name := sqlast.ObjectName(obj)
			switch ds.RemoveType {
			case pg.ObjectType_OBJECT_INDEX:
				if ds.Concurrent {
					add(DropIndexConcurrently, "", name, -1, nil)
				} else {
					add(DropIndex, "", name, -1, nil)
				}
			case pg.ObjectType_OBJECT_TABLE:
				add(DropTable, name, "", -1, nil)
			case pg.ObjectType_OBJECT_TRIGGER:
				add(DropTrigger, triggerTable(obj), "", -1, nil)
			case pg.ObjectType_OBJECT_SEQUENCE:
				add(DropSequence, name, "", -1, nil)
			case pg.ObjectType_OBJECT_VIEW, pg.ObjectType_OBJECT_MATVIEW:
				add(DropView, name, "", -1, nil)
			}
		}
	case n.GetTruncateStmt() != nil:
		for _, r := range n.GetTruncateStmt().Relations {
			add(Truncate, sqlast.RangeVarName(r.GetRangeVar()), "", r.GetRangeVar().GetLocation(), nil)
		}
	case n.GetRenameStmt() != nil:
		rs := n.GetRenameStmt()
		switch rs.RenameType {
		case pg.ObjectType_OBJECT_TABLE:
			add(RenameTable, sqlast.RangeVarName(rs.Relation), "", -1, nil)
		case pg.ObjectType_OBJECT_COLUMN:
			add(RenameColumn, sqlast.RangeVarName(rs.Relation), "", -1, nil)
		case pg.ObjectType_OBJECT_INDEX:
			add(RenameIndex, "", sqlast.RangeVarName(rs.Relation), -1, nil)
		case pg.ObjectType_OBJECT_TABCONSTRAINT:
			add(RenameConstraint, sqlast.RangeVarName(rs.Relation), "", -1, nil)
		case pg.ObjectType_OBJECT_SEQUENCE:
			add(RenameSequence, sqlast.RangeVarName(rs.Relation), "", -1, nil)
		case pg.ObjectType_OBJECT_VIEW, pg.ObjectType_OBJECT_MATVIEW:
			add(RenameView, sqlast.RangeVarName(rs.Relation), "", -1, nil)
		}
	case n.GetViewStmt() != nil:
		// A plain CREATE VIEW locks only the view it makes, which no other session can
		// see until the migration commits.
		if vs := n.GetViewStmt(); vs.Replace {
			add(ReplaceView, sqlast.RangeVarName(vs.View), "", -1, nil)
		}
	case n.GetAlterSeqStmt() != nil:
		add(AlterSequence, sqlast.RangeVarName(n.GetAlterSeqStmt().Sequence), "", -1, nil)
	case n.GetAlterTableStmt() != nil:
		at := n.GetAlterTableStmt()
		table := sqlast.RangeVarName(at.Relation)
		if at.Objtype != pg.ObjectType_OBJECT_TABLE {
			break
		}
		for _, c := range at.Cmds {
			cmd := c.GetAlterTableCmd()
			if cmd == nil {
				continue
			}
			from := len(parts)
			parts = alterTableCmd(parts, table, cmd, v, ctx, checksForeignKeys(at))
			for i := range parts[from:] {
				p := &parts[from+i]
				p.Facts, p.Cmd = p.Shape.Facts(v), cmd
			}
		}
	case n.GetReindexStmt() != nil:
		rs := n.GetReindexStmt()
		concurrent := false
		for _, p := range rs.Params {
			if d := p.GetDefElem(); d != nil && d.Defname == "concurrently" {
				concurrent = true
			}
		}
		name := sqlast.RangeVarName(rs.Relation)
		switch {
		case concurrent && rs.Kind == pg.ReindexObjectType_REINDEX_OBJECT_INDEX:
			add(ReindexConcurrently, "", name, -1, nil)
		case concurrent:
			add(ReindexConcurrently, name, "", -1, nil)
		case rs.Kind == pg.ReindexObjectType_REINDEX_OBJECT_INDEX:
			add(ReindexIndex, "", name, -1, nil)
		case rs.Kind == pg.ReindexObjectType_REINDEX_OBJECT_TABLE:
			add(ReindexTable, name, "", -1, nil)
		}
	case n.GetVacuumStmt() != nil:
		vs := n.GetVacuumStmt()
		full := false
		for _, o := range vs.Options {
			if d := o.GetDefElem(); d != nil && d.Defname == "full" {
				full = d.Arg == nil || !sqlast.IsFalse(d.Arg)
			}
		}
		shape := Analyze
		if vs.IsVacuumcmd {
			shape = Vacuum
			if full {
				shape = VacuumFull
			}
		}
		for _, r := range vs.Rels {
			add(shape, sqlast.RangeVarName(r.GetVacuumRelation().GetRelation()), "", -1, nil)
		}
		if len(vs.Rels) == 0 {
			add(shape, "", "", -1, nil)
		}
	case n.GetClusterStmt() != nil:
		add(Cluster, sqlast.RangeVarName(n.GetClusterStmt().Relation), "", -1, nil)
	case n.GetLockStmt() != nil:
		ls := n.GetLockStmt()
		for _, r := range ls.Relations {
			p := Part{Shape: LockTable, Facts: LockTable.Facts(v), Table: sqlast.RangeVarName(r.GetRangeVar()), Loc: -1}
			p.Facts.Table = Mode(ls.Mode)
			parts = append(parts, p)
		}
	case n.GetRefreshMatViewStmt() != nil:
		rm := n.GetRefreshMatViewStmt()
		if rm.Concurrent {
			add(RefreshMatViewConcurrently, sqlast.RangeVarName(rm.Relation), "", -1, nil)
		} else {
			add(RefreshMatView, sqlast.RangeVarName(rm.Relation), "", -1, nil)
		}
	case n.GetCreateTrigStmt() != nil:
		add(CreateTrigger, sqlast.RangeVarName(n.GetCreateTrigStmt().Relation), "", -1, nil)
	case n.GetCreatePolicyStmt() != nil:
		add(CreatePolicy, sqlast.RangeVarName(n.GetCreatePolicyStmt().Table), "", -1, nil)
	case n.GetAlterEnumStmt() != nil:
		if n.GetAlterEnumStmt().OldVal == "" {
			add(AlterEnumAddValue, "", "", -1, nil)
		}
	case n.GetUpdateStmt() != nil:
		add(Update, sqlast.RangeVarName(n.GetUpdateStmt().Relation), "", -1, nil)
	case n.GetDeleteStmt() != nil:
		add(Delete, sqlast.RangeVarName(n.GetDeleteStmt().Relation), "", -1, nil)
	case n.GetInsertStmt() != nil:
		ins := n.GetInsertStmt()
		target := sqlast.RangeVarName(ins.Relation)
		sources := insertSources(ins)
		for _, src := range sources {
			add(InsertSelect, target, src, -1, nil)
		}
		if len(sources) == 0 {
			add(Insert, target, "", -1, nil)
		}
	case n.GetDoStmt() != nil:
		if commits(n.GetDoStmt()) {
			add(DoCommit, "", "", -1, nil)
		}
	case n.GetCommentStmt() != nil:
		cs := n.GetCommentStmt()
		if cs.Objtype == pg.ObjectType_OBJECT_TABLE || cs.Objtype == pg.ObjectType_OBJECT_COLUMN {
			add(Comment, commentTable(cs), "", -1, nil)
		}
	}
	a := summarize(parts)
	if do := n.GetDoStmt(); do != nil && commitsInBody(do) {
		a.NoTransaction = true
	}
	return a
}

// MayLeaveTransaction reports whether Classify can find that n runs outside a
// transaction block or commits on its own (NoTransaction, or a
// DetachPartitionConcurrently or DoCommit part): only the statements that build those
// shapes can, so a caller asking only that (Flyway's transaction detection, on every
// statement of every file parsed) need not classify the others. False is certain;
// true means Classify decides. TestMayLeaveTransaction holds it to the shapes.
func MayLeaveTransaction(n *pg.Node) bool {
	switch {
	case n == nil:
		return false
	case n.GetIndexStmt() != nil, n.GetDropStmt() != nil, n.GetReindexStmt() != nil, n.GetVacuumStmt() != nil,
		n.GetAlterEnumStmt() != nil, n.GetDoStmt() != nil:
		return true
	case n.GetAlterTableStmt() != nil:
		for _, c := range n.GetAlterTableStmt().Cmds {
			if c.GetAlterTableCmd().GetSubtype() == pg.AlterTableType_AT_DetachPartition {
				return true
			}
		}
	}
	return false
}

// IndexesRole is the Lock role of the lock a statement takes on every index of its
// table (Relation names the table).
const IndexesRole = "indexes of"

// IndexesBlockMore reports a lock on the table's indexes that blocks reads or writes
// the table lock lets through: that lock belongs in what migsafe says the statement
// locks. Weaker index locks (ROW EXCLUSIVE during an UPDATE) add nothing.
func IndexesBlockMore(f Facts) bool {
	ib, tb := f.Indexes.Blocks(), f.Table.Blocks()
	return ib.Reads && !tb.Reads || ib.Writes && !tb.Writes
}

// Merge is the analysis of statements run as one: a DO statement and the statements of
// its body, whose locks the DO statement takes.
func Merge(as ...Analysis) Analysis {
	var parts []Part
	for _, a := range as {
		parts = append(parts, a.Parts...)
	}
	return summarize(parts)
}

func summarize(parts []Part) Analysis {
	a := Analysis{Parts: parts}
	// A statement takes a handful of locks: a scan finds the one to strengthen faster
	// than a map keyed by role and relation (this runs for every statement); the map
	// is built only for a statement locking many relations (DROP TABLE of hundreds).
	type lockKey struct{ role, rel string }
	var index map[lockKey]int
	put := func(rel, role string, m Mode) {
		if m == None {
			return
		}
		i, found := -1, false
		if index != nil {
			i, found = index[lockKey{role, rel}]
		} else {
			for j := range a.Locks {
				if a.Locks[j].Role == role && a.Locks[j].Relation == rel {
					i, found = j, true
					break
				}
			}
		}
		if found {
			a.Locks[i].Mode = max(a.Locks[i].Mode, m)
			return
		}
		if a.Locks == nil {
			a.Locks = make([]Lock, 0, 2*len(parts)) // a part's table and its other relation
		}
		a.Locks = append(a.Locks, Lock{Relation: rel, Role: role, Mode: m})
		if index == nil && len(a.Locks) > 16 {
			index = make(map[lockKey]int, 2*len(a.Locks))
			for j, l := range a.Locks {
				index[lockKey{l.Role, l.Relation}] = j
			}
		} else if index != nil {
			index[lockKey{role, rel}] = len(a.Locks) - 1
		}
	}
	for _, p := range parts {
		put(p.Table, "table", p.Facts.Table)
	}
	for _, p := range parts {
		if p.Facts.OtherRole != "" {
			put(p.Other, p.Facts.OtherRole, p.Facts.Other)
		}
		if IndexesBlockMore(p.Facts) {
			put(p.Table, IndexesRole, p.Facts.Indexes)
		}
		a.Rewrite = a.Rewrite || p.Facts.Rewrite
		a.Scan = a.Scan || p.Facts.Scan
		a.NoTransaction = a.NoTransaction || p.Facts.NoTransaction
		a.Unsupported = a.Unsupported || p.Facts.Unsupported
	}
	return a
}

// alterTableCmd appends the parts of one ALTER TABLE command to dst (the statement's
// parts so far: no slice of its own per command).
func alterTableCmd(dst []Part, table string, cmd *pg.AlterTableCmd, v int, ctx Context, checksFKs bool) []Part {
	one := func(s *Shape, loc int32) []Part { return append(dst, Part{Shape: s, Table: table, Loc: loc}) }
	switch cmd.Subtype {
	case pg.AlterTableType_AT_AddColumn:
		cd := cmd.Def.GetColumnDef()
		if cd == nil {
			return one(AlterTableOther, -1)
		}
		parts := one(addColumnShape(cd, v), cd.Location)
		for _, c := range cd.Constraints {
			con := c.GetConstraint()
			if con == nil {
				continue
			}
			// A column constraint is checked against every existing row as a table
			// constraint is, even when the new column holds only NULLs or its default:
			// UNIQUE and PRIMARY KEY build their index, CHECK scans the table.
			switch con.Contype {
			case pg.ConstrType_CONSTR_FOREIGN:
				s := AddForeignKey
				if !checksFKs {
					s = AddColumnForeignKey
				}
				parts = append(parts, Part{Shape: s, Table: table, Other: sqlast.RangeVarName(con.Pktable), Loc: con.Location, OfNewColumn: true})
			case pg.ConstrType_CONSTR_UNIQUE, pg.ConstrType_CONSTR_PRIMARY:
				parts = append(parts, Part{Shape: AddUnique, Table: table, Loc: con.Location, OfNewColumn: true})
			case pg.ConstrType_CONSTR_CHECK:
				parts = append(parts, Part{Shape: AddCheck, Table: table, Loc: con.Location, OfNewColumn: true})
			}
		}
		return parts
	case pg.AlterTableType_AT_DropColumn:
		return one(DropColumn, -1)
	case pg.AlterTableType_AT_AlterColumnType:
		cd := cmd.Def.GetColumnDef()
		if cd != nil && KeepsValues(cd, cmd.Name) && ctx != nil {
			if old, ok := ctx.ColumnType(table, cmd.Name); ok && BinaryCoercible(old, cd.TypeName) {
				if sqlast.Collation(cd.CollClause) != ctx.ColumnCollation(table, cmd.Name) {
					// A new collation, or none where the column had one (a type change
					// without COLLATE resets it), rebuilds the indexes on the column.
					return one(AlterColumnTypeCollation, -1)
				}
				return one(AlterColumnTypeCoercible, -1)
			}
		}
		return one(AlterColumnType, -1)
	case pg.AlterTableType_AT_ColumnDefault:
		return one(SetDefault, -1)
	case pg.AlterTableType_AT_SetNotNull:
		if ctx != nil && ctx.HasNotNullCheck(table, cmd.Name) {
			return one(SetNotNullChecked, -1)
		}
		return one(SetNotNull, -1)
	case pg.AlterTableType_AT_DropNotNull:
		return one(DropNotNull, -1)
	case pg.AlterTableType_AT_SetStatistics:
		return one(SetStatistics, -1)
	case pg.AlterTableType_AT_SetStorage:
		return one(SetStorage, -1)
	case pg.AlterTableType_AT_AddConstraint:
		con := cmd.Def.GetConstraint()
		if con == nil {
			return one(AlterTableOther, -1)
		}
		switch con.Contype {
		case pg.ConstrType_CONSTR_CHECK:
			if con.SkipValidation {
				return one(AddCheckNotValid, con.Location)
			}
			return one(AddCheck, con.Location)
		case pg.ConstrType_CONSTR_FOREIGN:
			s := AddForeignKey
			if con.SkipValidation {
				s = AddForeignKeyNotValid
			}
			return append(dst, Part{Shape: s, Table: table, Other: sqlast.RangeVarName(con.Pktable), Loc: con.Location})
		case pg.ConstrType_CONSTR_UNIQUE, pg.ConstrType_CONSTR_PRIMARY:
			if con.Indexname != "" {
				return one(AddUniqueUsingIndex, con.Location)
			}
			return one(AddUnique, con.Location)
		case pg.ConstrType_CONSTR_EXCLUSION:
			return one(AddExclusion, con.Location)
		}
		return one(AlterTableOther, con.Location)
	case pg.AlterTableType_AT_ValidateConstraint:
		if ref, ok := foreignKey(ctx, table, cmd.Name); ok {
			return append(dst, Part{Shape: ValidateForeignKey, Table: table, Other: ref, Loc: -1})
		}
		return one(ValidateConstraint, -1)
	case pg.AlterTableType_AT_DropConstraint:
		if ref, ok := foreignKey(ctx, table, cmd.Name); ok {
			return append(dst, Part{Shape: DropForeignKey, Table: table, Other: ref, Loc: -1})
		}
		if ctx != nil && ctx.RedundantCheck(table, cmd.Name) {
			return append(dst, Part{Shape: DropConstraint, Table: table, Loc: -1, Redundant: true})
		}
		return one(DropConstraint, -1)
	case pg.AlterTableType_AT_SetTableSpace:
		return one(SetTablespace, -1)
	case pg.AlterTableType_AT_SetLogged, pg.AlterTableType_AT_SetUnLogged:
		return one(SetLogged, -1)
	case pg.AlterTableType_AT_SetRelOptions, pg.AlterTableType_AT_ResetRelOptions:
		if lightRelOptions(cmd) {
			return one(SetReloptionsLight, -1)
		}
		return one(AlterTableOther, -1)
	case pg.AlterTableType_AT_EnableTrig, pg.AlterTableType_AT_DisableTrig, pg.AlterTableType_AT_EnableTrigAll,
		pg.AlterTableType_AT_DisableTrigAll, pg.AlterTableType_AT_EnableTrigUser, pg.AlterTableType_AT_DisableTrigUser,
		pg.AlterTableType_AT_EnableAlwaysTrig, pg.AlterTableType_AT_EnableReplicaTrig:
		return one(EnableTrigger, -1)
	case pg.AlterTableType_AT_AttachPartition:
		pc := cmd.Def.GetPartitionCmd()
		return append(dst, Part{Shape: AttachPartition, Table: table, Other: sqlast.RangeVarName(pc.GetName()), Loc: -1})
	case pg.AlterTableType_AT_DetachPartition:
		pc := cmd.Def.GetPartitionCmd()
		s := DetachPartition
		if pc.GetConcurrent() {
			s = DetachPartitionConcurrently
		}
		return append(dst, Part{Shape: s, Table: table, Other: sqlast.RangeVarName(pc.GetName()), Loc: -1})
	case pg.AlterTableType_AT_AddIdentity:
		return one(AlterTableOther, -1)
	}
	return one(AlterTableOther, -1)
}

func foreignKey(ctx Context, table, constraint string) (string, bool) {
	if ctx == nil {
		return "", false
	}
	return ctx.ForeignKey(table, constraint)
}

// checksForeignKeys reports whether PostgreSQL checks the existing rows against the
// foreign keys written on the columns an ALTER TABLE adds. It skips the check when no
// added column has a default (then the new columns are NULL in every row) and no
// ADD CONSTRAINT ... FOREIGN KEY is in the statement: up to PostgreSQL 12 that test
// is made once for the whole statement (parse_utilcmd.c), so it is made so here for
// every major, erring towards the check.
func checksForeignKeys(at *pg.AlterTableStmt) bool {
	for _, c := range at.Cmds {
		cmd := c.GetAlterTableCmd()
		if cmd == nil {
			continue
		}
		switch cmd.Subtype {
		case pg.AlterTableType_AT_AddConstraint:
			if con := cmd.Def.GetConstraint(); con != nil && con.Contype == pg.ConstrType_CONSTR_FOREIGN {
				return true
			}
		case pg.AlterTableType_AT_AddColumn:
			cd := cmd.Def.GetColumnDef()
			if cd == nil || cd.RawDefault != nil || IsSerial(cd.TypeName) {
				return true
			}
			for _, cc := range cd.Constraints {
				switch cc.GetConstraint().GetContype() {
				case pg.ConstrType_CONSTR_DEFAULT, pg.ConstrType_CONSTR_IDENTITY, pg.ConstrType_CONSTR_GENERATED:
					return true
				}
			}
		}
	}
	return false
}

// addColumnShape picks the ADD COLUMN shape from the column definition.
func addColumnShape(cd *pg.ColumnDef, v int) *Shape {
	var def *pg.Node = cd.RawDefault
	notNull := false
	for _, c := range cd.Constraints {
		con := c.GetConstraint()
		if con == nil {
			continue
		}
		switch con.Contype {
		case pg.ConstrType_CONSTR_DEFAULT:
			def = con.RawExpr
		case pg.ConstrType_CONSTR_NOTNULL, pg.ConstrType_CONSTR_PRIMARY:
			notNull = true
		case pg.ConstrType_CONSTR_IDENTITY, pg.ConstrType_CONSTR_GENERATED:
			return AddColumnGenerated
		}
	}
	if IsSerial(cd.TypeName) {
		return AddColumnGenerated
	}
	switch {
	case def != nil && volatileDefault(def, v):
		return AddColumnVolatileDefault
	case def != nil && !sqlast.IsNullConst(def) && notNull:
		return AddColumnNotNullDefault
	case def != nil && !sqlast.IsNullConst(def):
		return AddColumnDefault
	case notNull:
		return AddColumnNotNull
	}
	return AddColumn
}

// volatileDefault: a default that is, or may be, volatile is taken to rewrite the
// table; rules say Verify where it only may (see ExprVolatility).
func volatileDefault(def *pg.Node, v int) bool {
	vol, _ := ExprVolatility(def, v)
	return vol != NotVolatile
}

// IsSerial reports serial pseudo-types, which add a sequence default.
func IsSerial(t *pg.TypeName) bool {
	switch sqlast.TypeName(t) {
	case "serial", "serial4", "bigserial", "serial8", "smallserial", "serial2":
		return true
	}
	return false
}

// lightRelOptions: storage parameters PostgreSQL changes under SHARE UPDATE EXCLUSIVE.
func lightRelOptions(cmd *pg.AlterTableCmd) bool {
	list := cmd.Def.GetList()
	if list == nil {
		return false
	}
	for _, item := range list.Items {
		d := item.GetDefElem()
		if d == nil {
			return false
		}
		name := d.Defname
		if !(name == "fillfactor" || strings.HasPrefix(name, "autovacuum_") || strings.HasPrefix(name, "toast.autovacuum_") ||
			name == "parallel_workers" || name == "log_autovacuum_min_duration" || name == "vacuum_truncate" ||
			name == "vacuum_index_cleanup" || name == "toast_tuple_target" || name == "user_catalog_table") {
			return false
		}
	}
	return true
}

// KeepsValues reports an ALTER COLUMN ... TYPE whose USING clause, if any, is the
// column itself or the column cast to the new type (Django writes one on every type
// change): PostgreSQL then keeps the data in place as it does without USING
// when the change is binary-coercible. Any other expression rewrites.
func KeepsValues(cd *pg.ColumnDef, column string) bool {
	e := cd.RawDefault
	if e == nil {
		return true
	}
	if tc := e.GetTypeCast(); tc != nil {
		if sqlast.TypeName(tc.TypeName) != sqlast.TypeName(cd.TypeName) ||
			!slices.Equal(sqlast.Typmods(tc.TypeName), sqlast.Typmods(cd.TypeName)) ||
			len(tc.TypeName.GetArrayBounds()) != len(cd.TypeName.GetArrayBounds()) {
			return false
		}
		e = tc.Arg
	}
	ref := e.GetColumnRef()
	if ref == nil || len(ref.Fields) != 1 {
		return false
	}
	return ref.Fields[0].GetString_().GetSval() == column
}

// BinaryCoercible reports type changes that PostgreSQL does without rewriting:
// varchar(n) to varchar(m >= n), varchar to text and back to unbounded varchar,
// numeric(p,s) to numeric(q>=p,s), varbit(n) to varbit(m >= n), a fractional-seconds
// precision of timestamp, timestamptz, time or timetz raised, dropped or set to the
// maximum, 6 (their typmod support functions relabel these; checked on PostgreSQL 10 and 15:
// timestamp(3) to timestamp keeps the table's and the index's relfilenode), interval
// with its modifier dropped, and the same type with no modifier on either side.
func BinaryCoercible(from, to *pg.TypeName) bool {
	f, t := sqlast.TypeName(from), sqlast.TypeName(to)
	fm, tm := sqlast.Typmods(from), sqlast.Typmods(to)
	if len(from.GetArrayBounds()) != len(to.GetArrayBounds()) {
		return false // int[] to int is no relabeling
	}
	switch {
	case (f == "varchar" || f == "text") && t == "text":
		return true
	case f == "text" && t == "varchar" && len(tm) == 0:
		return true // verified on PostgreSQL 11, 12 and 15: no rewrite
	case f == "varchar" && t == "varchar":
		return len(tm) == 0 || (len(fm) == 1 && len(tm) == 1 && tm[0] >= fm[0])
	case f == "numeric" && t == "numeric":
		return len(tm) == 0 || (len(fm) == 2 && len(tm) == 2 && tm[1] == fm[1] && tm[0] >= fm[0])
	case f == "varbit" && t == "varbit":
		return len(tm) == 0 || (len(fm) == 1 && len(tm) == 1 && tm[0] >= fm[0])
	case f == t && (f == "timestamp" || f == "timestamptz" || f == "time" || f == "timetz"):
		return len(tm) == 0 || len(tm) == 1 && (tm[0] >= 6 || len(fm) == 1 && tm[0] >= fm[0])
	case f == "interval" && t == "interval":
		return len(tm) == 0
	case f == "cidr" && t == "inet":
		return true
	case f == t && len(tm) == 0 && len(fm) == 0:
		return true
	}
	return false
}

// triggerTable: DROP TRIGGER name ON table is stored as [schema.]table.name.
func triggerTable(obj *pg.Node) string {
	l := obj.GetList()
	if l == nil || len(l.Items) < 2 {
		return ""
	}
	var names []string
	for _, it := range l.Items[:len(l.Items)-1] {
		names = append(names, it.GetString_().GetSval())
	}
	return strings.Join(names, ".")
}

func commentTable(cs *pg.CommentStmt) string {
	name := sqlast.ObjectName(cs.Object)
	if cs.Objtype == pg.ObjectType_OBJECT_COLUMN {
		if i := strings.LastIndexByte(name, '.'); i >= 0 {
			return name[:i]
		}
	}
	return name
}

// insertSources lists the tables an INSERT ... SELECT reads rows from (in its FROM
// clauses, joins and subqueries, CTEs excluded), in order of appearance; none for
// INSERT ... VALUES and a SELECT of constants or set-returning functions.
func insertSources(ins *pg.InsertStmt) []string {
	if ins.SelectStmt.GetSelectStmt() == nil {
		return nil
	}
	ctes := map[string]bool{}
	var rels []*pg.RangeVar
	visit := func(x *pg.Node) {
		if ce := x.GetCommonTableExpr(); ce != nil {
			ctes[ce.Ctename] = true
		}
		if rv := x.GetRangeVar(); rv != nil {
			rels = append(rels, rv)
		}
	}
	sqlast.Walk(ins.SelectStmt, visit)
	if ins.WithClause != nil {
		sqlast.Walk(&pg.Node{Node: &pg.Node_WithClause{WithClause: ins.WithClause}}, visit)
	}
	var out []string
	seen := map[string]bool{}
	for _, rv := range rels {
		name := sqlast.RangeVarName(rv)
		if (rv.Schemaname == "" && ctes[rv.Relname]) || seen[name] {
			continue
		}
		seen[name] = true
		out = append(out, name)
	}
	return out
}

// commits reports a PL/pgSQL DO block whose body COMMITs or ROLLBACKs outside any
// block with an EXCEPTION clause (there it fails whatever the transaction, which is not
// a fact about transaction blocks; the rules report it).
func commits(do *pg.DoStmt) bool {
	body, language := "", "plpgsql"
	for _, a := range do.Args {
		switch d := a.GetDefElem(); d.GetDefname() {
		case "as":
			body = d.Arg.GetString_().GetSval()
		case "language":
			language = strings.ToLower(d.Arg.GetString_().GetSval())
		}
	}
	if language != "plpgsql" {
		return false
	}
	stmts, err := plpgsql.Parse(body)
	if err != nil {
		return false
	}
	for _, s := range stmts {
		if s.Kind == plpgsql.TxControl && !s.InException {
			return true
		}
	}
	return false
}

func referencedTables(cs *pg.CreateStmt) []string {
	var refs []string
	seen := map[string]bool{}
	addRef := func(con *pg.Constraint) {
		if con != nil && con.Contype == pg.ConstrType_CONSTR_FOREIGN {
			name := sqlast.RangeVarName(con.Pktable)
			if !seen[name] {
				seen[name] = true
				refs = append(refs, name)
			}
		}
	}
	for _, elt := range cs.TableElts {
		if cd := elt.GetColumnDef(); cd != nil {
			for _, c := range cd.Constraints {
				addRef(c.GetConstraint())
			}
		}
		addRef(elt.GetConstraint())
	}
	for _, c := range cs.Constraints {
		addRef(c.GetConstraint())
	}
	return refs
}

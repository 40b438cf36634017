package rules

import (
	"strings"

	pg "github.com/pganalyze/pg_query_go/v5"

	"github.com/migsafe/migsafe/engine/locks"
	"github.com/migsafe/migsafe/engine/migration"
	"github.com/migsafe/migsafe/engine/sqlast"
)

// State is what the statements of a file establish, in order. The engine updates it
// after each statement, so a rule sees the context of the statements before its own:
// tables created earlier are new and empty, a lock_timeout set earlier is in force.
type State struct {
	created  map[string]bool
	schemas  map[string]bool                    // schemas created in the file
	columns  map[string]map[string]*pg.TypeName // table -> column -> type, from CREATE/ADD COLUMN in the file
	notNullC map[string]map[string]bool         // table -> columns with a validated CHECK (col IS NOT NULL)
	// Indexes lists the column lists of indexes created in the file (and of primary
	// and unique keys of tables created in it), per table.
	Indexes map[string][][]string
	// LockTimeout is true once SET [LOCAL] lock_timeout has run (or the runner sets one).
	LockTimeout bool
	// Exclusive maps a transaction ID to the first statement in it that took ACCESS
	// EXCLUSIVE on an existing table, and that table.
	Exclusive map[int]ExclusiveHold
	// NotValid maps "table.constraint" to the transaction ID that added it NOT VALID.
	NotValid map[string]int
	// SchemaChanged and DataChanged map a transaction ID to the tables whose schema or
	// data a statement in it changed.
	SchemaChanged map[int]map[string]*migration.Statement
	DataChanged   map[int]map[string]*migration.Statement
	once          map[string]bool
	pendingNN     map[string]string // "table.constraint" -> column, for NOT VALID CHECK (col IS NOT NULL)
	foreignKeys   map[string]string // "table.constraint" -> referenced table

	// indexNames maps the name (lower case, unqualified) of each index created in the
	// file to its table.
	indexNames map[string]string
	// lockTimeoutSession is a session-level lock_timeout in force; lockTimeoutTx the
	// transaction a SET LOCAL lock_timeout applies to (0 for none).
	lockTimeoutSession bool
	lockTimeoutTx      int
}

// ExclusiveHold is a statement holding ACCESS EXCLUSIVE in a transaction.
type ExclusiveHold struct {
	Stmt  *migration.Statement
	Table string
}

// NewState is the state before a file's first statement.
func NewState() *State {
	return &State{
		created: map[string]bool{}, schemas: map[string]bool{}, columns: map[string]map[string]*pg.TypeName{},
		notNullC: map[string]map[string]bool{}, Indexes: map[string][][]string{},
		Exclusive: map[int]ExclusiveHold{}, NotValid: map[string]int{},
		SchemaChanged: map[int]map[string]*migration.Statement{}, DataChanged: map[int]map[string]*migration.Statement{},
		once: map[string]bool{}, pendingNN: map[string]string{}, foreignKeys: map[string]string{},
	}
}

func key(name string) string {
	k := strings.ToLower(name)
	return strings.TrimPrefix(k, "public.")
}

// Created reports a table created earlier in the file.
func (s *State) Created(table string) bool { return table != "" && s.created[key(table)] }

// CreatedSchema reports a schema created earlier in the file.
func (s *State) CreatedSchema(name string) bool { return s.schemas[strings.ToLower(name)] }

// Once returns true the first time it is called with k in a file.
func (s *State) Once(k string) bool {
	if s.once[k] {
		return false
	}
	s.once[k] = true
	return true
}

// ColumnType implements locks.Context.
func (s *State) ColumnType(table, column string) (*pg.TypeName, bool) {
	t, ok := s.columns[key(table)][strings.ToLower(column)]
	return t, ok
}

// HasNotNullCheck implements locks.Context.
func (s *State) HasNotNullCheck(table, column string) bool {
	return s.notNullC[key(table)][strings.ToLower(column)]
}

// ForeignKey implements locks.Context for foreign keys defined earlier in the file.
func (s *State) ForeignKey(table, constraint string) (string, bool) {
	ref, ok := s.foreignKeys[key(table)+"."+strings.ToLower(constraint)]
	return ref, ok
}

// addForeignKey records a foreign key under its name, or the name PostgreSQL gives an
// unnamed one: <table>_<first column>_fkey.
func (s *State) addForeignKey(table string, con *pg.Constraint, column string) {
	name := con.Conname
	if name == "" {
		cols := nodeStrings(con.FkAttrs)
		if len(cols) == 0 && column != "" {
			cols = []string{column}
		}
		if len(cols) == 0 {
			return
		}
		bare := table
		if i := strings.LastIndexByte(bare, '.'); i >= 0 {
			bare = bare[i+1:]
		}
		name = bare + "_" + cols[0] + "_fkey"
	}
	s.foreignKeys[key(table)+"."+strings.ToLower(name)] = sqlast.RangeVarName(con.Pktable)
}

// Update records what st establishes. a is the knowledge base's analysis of st.
func (s *State) Update(st *migration.Statement, a locks.Analysis) {
	n := st.Node
	if n == nil {
		return
	}
	if vs := n.GetVariableSetStmt(); vs != nil && strings.EqualFold(vs.Name, "lock_timeout") {
		s.LockTimeout = true
		s.setLockTimeout(st, vs)
	}
	if cs := n.GetCreateStmt(); cs != nil {
		t := sqlast.RangeVarName(cs.Relation)
		s.created[key(t)] = true
		cols := map[string]*pg.TypeName{}
		for _, elt := range cs.TableElts {
			if con := elt.GetConstraint(); con != nil && con.Contype == pg.ConstrType_CONSTR_FOREIGN {
				s.addForeignKey(t, con, "")
			}
			if cd := elt.GetColumnDef(); cd != nil {
				cols[strings.ToLower(cd.Colname)] = cd.TypeName
				for _, c := range cd.Constraints {
					if con := c.GetConstraint(); con != nil && con.Contype == pg.ConstrType_CONSTR_FOREIGN {
						s.addForeignKey(t, con, cd.Colname)
					}
					if con := c.GetConstraint(); con != nil && (con.Contype == pg.ConstrType_CONSTR_PRIMARY || con.Contype == pg.ConstrType_CONSTR_UNIQUE) {
						s.addIndex(t, []string{cd.Colname})
					}
				}
			}
			if con := elt.GetConstraint(); con != nil && (con.Contype == pg.ConstrType_CONSTR_PRIMARY || con.Contype == pg.ConstrType_CONSTR_UNIQUE) {
				s.addIndex(t, nodeStrings(con.Keys))
			}
		}
		s.columns[key(t)] = cols
	}
	if cs := n.GetCreateSchemaStmt(); cs != nil {
		s.schemas[strings.ToLower(cs.Schemaname)] = true
	}
	if cta := n.GetCreateTableAsStmt(); cta != nil && cta.Into != nil {
		s.created[key(sqlast.RangeVarName(cta.Into.Rel))] = true
	}
	if is := n.GetIndexStmt(); is != nil {
		var cols []string
		for _, p := range is.IndexParams {
			if ie := p.GetIndexElem(); ie != nil {
				cols = append(cols, ie.Name)
			}
		}
		s.addIndex(sqlast.RangeVarName(is.Relation), cols)
		if is.Idxname != "" {
			if s.indexNames == nil {
				s.indexNames = map[string]string{}
			}
			s.indexNames[strings.ToLower(is.Idxname)] = sqlast.RangeVarName(is.Relation)
		}
	}
	if rs := n.GetRenameStmt(); rs != nil && rs.RenameType == pg.ObjectType_OBJECT_TABLE {
		old := key(sqlast.RangeVarName(rs.Relation))
		if s.created[old] {
			s.created[key(rs.Newname)] = true
		}
	}
	if at := n.GetAlterTableStmt(); at != nil {
		t := sqlast.RangeVarName(at.Relation)
		for _, c := range at.Cmds {
			cmd := c.GetAlterTableCmd()
			if cmd == nil {
				continue
			}
			switch cmd.Subtype {
			case pg.AlterTableType_AT_AddColumn:
				if cd := cmd.Def.GetColumnDef(); cd != nil {
					if s.columns[key(t)] == nil {
						s.columns[key(t)] = map[string]*pg.TypeName{}
					}
					s.columns[key(t)][strings.ToLower(cd.Colname)] = cd.TypeName
				}
			case pg.AlterTableType_AT_AlterColumnType:
				if cd := cmd.Def.GetColumnDef(); cd != nil && s.columns[key(t)] != nil {
					s.columns[key(t)][strings.ToLower(cmd.Name)] = cd.TypeName
				}
			case pg.AlterTableType_AT_AddConstraint:
				con := cmd.Def.GetConstraint()
				if con == nil {
					break
				}
				if con.Contype == pg.ConstrType_CONSTR_FOREIGN {
					s.addForeignKey(t, con, "")
				}
				col := notNullCheckColumn(con)
				switch {
				case con.SkipValidation:
					s.NotValid[key(t)+"."+strings.ToLower(con.Conname)] = st.Tx.ID
					if col != "" {
						s.pendingNN[key(t)+"."+strings.ToLower(con.Conname)] = col
					}
				case col != "":
					s.markNotNull(t, col)
				}
				if con.Contype == pg.ConstrType_CONSTR_PRIMARY || con.Contype == pg.ConstrType_CONSTR_UNIQUE {
					s.addIndex(t, nodeStrings(con.Keys))
				}
			case pg.AlterTableType_AT_ValidateConstraint:
				// A validated NOT VALID CHECK (col IS NOT NULL) now spares SET NOT NULL its scan.
				if col, ok := s.pendingNotNull(t, cmd.Name); ok {
					s.markNotNull(t, col)
				}
			}
		}
	}
	// Transaction bookkeeping for the cross-statement rules.
	if st.Tx.In() {
		for _, l := range a.Locks {
			if l.Mode == locks.AccessExclusive && l.Role == "table" && !s.Created(l.Relation) {
				if _, held := s.Exclusive[st.Tx.ID]; !held {
					s.Exclusive[st.Tx.ID] = ExclusiveHold{Stmt: st, Table: l.Relation}
				}
			}
		}
		for _, p := range a.Parts {
			if p.Table == "" {
				continue
			}
			m := s.SchemaChanged
			switch p.Shape {
			case locks.Update, locks.Delete, locks.Insert, locks.InsertSelect:
				m = s.DataChanged
			case locks.LockTable, locks.Comment, locks.Analyze:
				continue
			}
			if m[st.Tx.ID] == nil {
				m[st.Tx.ID] = map[string]*migration.Statement{}
			}
			if _, ok := m[st.Tx.ID][key(p.Table)]; !ok {
				m[st.Tx.ID][key(p.Table)] = st
			}
		}
	}
}

func (s *State) pendingNotNull(table, constraint string) (string, bool) {
	col, ok := s.pendingNN[key(table)+"."+strings.ToLower(constraint)]
	return col, ok
}

func (s *State) markNotNull(table, col string) {
	if s.notNullC[key(table)] == nil {
		s.notNullC[key(table)] = map[string]bool{}
	}
	s.notNullC[key(table)][strings.ToLower(col)] = true
}

func (s *State) addIndex(table string, cols []string) {
	if len(cols) == 0 {
		return
	}
	lc := make([]string, len(cols))
	for i, c := range cols {
		lc[i] = strings.ToLower(c)
	}
	s.Indexes[key(table)] = append(s.Indexes[key(table)], lc)
}

// setLockTimeout records which statements a SET [LOCAL] lock_timeout covers: SET LOCAL
// lasts until its transaction ends (and does nothing outside one); SET lasts for the
// session; a value of 0, RESET or DEFAULT turns the timeout off.
func (s *State) setLockTimeout(st *migration.Statement, vs *pg.VariableSetStmt) {
	on := vs.Kind == pg.VariableSetKind_VAR_SET_VALUE
	if on && len(vs.Args) == 1 {
		if c := vs.Args[0].GetAConst(); c != nil {
			on = !(c.GetIval() != nil && c.GetIval().Ival == 0) && !(c.GetSval() != nil && strings.TrimSpace(c.GetSval().Sval) == "0")
		}
	}
	switch {
	case vs.IsLocal && !st.Tx.In():
	case vs.IsLocal && on:
		s.lockTimeoutTx = st.Tx.ID
	case vs.IsLocal:
		s.lockTimeoutTx = 0
	default:
		s.lockTimeoutSession = on
		if !on {
			s.lockTimeoutTx = 0
		}
	}
}

// LockTimeoutFor reports whether a lock_timeout set earlier in the file is in force
// for a statement running in tx.
func (s *State) LockTimeoutFor(tx migration.Tx) bool {
	return s.lockTimeoutSession || (s.lockTimeoutTx != 0 && tx.In() && tx.ID == s.lockTimeoutTx)
}

// IndexTable returns the table of an index created earlier in the file, by the
// index's name as DROP INDEX or REINDEX INDEX write it (schema-qualified or not).
func (s *State) IndexTable(name string) (string, bool) {
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		name = name[i+1:]
	}
	t, ok := s.indexNames[strings.ToLower(name)]
	return t, ok
}

// HasIndexOn reports an index created in the file whose leading columns are cols.
func (s *State) HasIndexOn(table string, cols []string) bool {
	for _, idx := range s.Indexes[key(table)] {
		if len(idx) < len(cols) {
			continue
		}
		match := true
		for i, c := range cols {
			if idx[i] != strings.ToLower(c) {
				match = false
				break
			}
		}
		if match {
			return true
		}
	}
	return false
}

// notNullCheckColumn returns col for CHECK (col IS NOT NULL), else "".
func notNullCheckColumn(con *pg.Constraint) string {
	if con.Contype != pg.ConstrType_CONSTR_CHECK || con.RawExpr == nil {
		return ""
	}
	nt := con.RawExpr.GetNullTest()
	if nt == nil || nt.Nulltesttype != pg.NullTestType_IS_NOT_NULL {
		return ""
	}
	if cr := nt.Arg.GetColumnRef(); cr != nil {
		return sqlast.LastName(cr.Fields)
	}
	return ""
}

func nodeStrings(nodes []*pg.Node) []string {
	out := make([]string, 0, len(nodes))
	for _, n := range nodes {
		out = append(out, n.GetString_().GetSval())
	}
	return out
}

package rules

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v5"

	"github.com/migsafe/migsafe/engine/locks"
	"github.com/migsafe/migsafe/engine/migration"
	"github.com/migsafe/migsafe/engine/project"
	"github.com/migsafe/migsafe/engine/sqlast"
)

// State is what the statements before a statement establish: the schema catalog
// (replayed from the earlier migrations of the file's set, then updated by the file's
// own statements, in order), which tables are new (created in this file or by a
// migration that is not deployed yet), and the session and transaction facts of the
// file so far (a lock_timeout in force, an ACCESS EXCLUSIVE lock held). The engine
// updates it after each statement, so a rule sees the context of the statements
// before its own.
type State struct {
	// Catalog is the schema as the statements so far leave it (changed after each
	// statement, in place unless steps are kept: a rule must not keep it across
	// statements); Begin as the file found it.
	Catalog, Begin *project.Catalog
	replayer       *project.FileReplay
	// Steps, when kept (KeepSteps), are the catalogs after each statement: snapshots a
	// later analysis of an edited version can start from where the text is unchanged.
	Steps map[*migration.Statement]*project.Catalog
	// History is the file's place in its migration set; nil when the file is judged
	// alone.
	History *project.History
	path    string
	// step is the kept snapshots' spacing (KeepSteps).
	step int

	// LockTimeout is true once SET [LOCAL] lock_timeout has run (or the runner sets one).
	LockTimeout bool
	// Exclusive maps a transaction ID to the first statement in it that took ACCESS
	// EXCLUSIVE on an existing table, and that table.
	Exclusive map[int]ExclusiveHold
	// NotValid maps Key(table)+"."+constraint to the transaction ID that added it NOT VALID.
	NotValid map[string]int
	// SchemaChanged and DataChanged map a transaction ID to the tables (by Key) whose
	// schema or data a statement in it changed. These maps stay nil until their first
	// entry: most files never fill them, and reading a nil map is reading an empty one.
	SchemaChanged map[int]map[string]*migration.Statement
	DataChanged   map[int]map[string]*migration.Statement
	once          map[string]bool

	// timeZone is the TimeZone a SET earlier in the file chose ("" when none did).
	timeZone string
	// lockTimeoutSession is a session-level lock_timeout in force; lockTimeoutTx the
	// transaction a SET LOCAL lock_timeout applies to (0 for none).
	lockTimeoutSession bool
	lockTimeoutTx      int

	lookups lookups

	// LinesCited is set once a rule has written another statement's line into a
	// message (Pass.Line): findings kept from an analysis of an earlier version of the
	// file, their statements moved, would cite the old lines.
	LinesCited bool
	// LookedAhead is one more than the Index of the first top-level statement whose
	// check read the statements after it (Pass.Later); 0 when none did. Its findings
	// depend on those statements, so an analysis of an edited version may keep the
	// findings before it only.
	LookedAhead int
	// Marks, when steps are kept, are the states after the statements Steps holds
	// the catalogs after, by Index: an analysis of an edited version starts after the
	// last one before the edit (Resume). A state holding more than markMax facts of
	// its transactions is not marked.
	Marks map[int]*Mark
}

// Mark is a State after one statement, what the rules read of it besides the catalog
// and the file: copied, so the analysis that made it goes on without changing it.
type Mark struct{ s State }

// markMax bounds the transaction facts a Mark copies: a file that runs thousands of
// statements in one transaction would copy them at every step.
const markMax = 1024

// Mark is a Mark of s; nil when s holds too much to copy at every step. Besides the
// marks kept every StepEvery statements, an analysis keeps the one at the end of the
// file, for the next version's to start from (Resume) when it converges.
func (s *State) Mark() *Mark {
	n := len(s.Exclusive) + len(s.NotValid) + len(s.once)
	for _, m := range s.SchemaChanged {
		n += len(m)
	}
	for _, m := range s.DataChanged {
		n += len(m)
	}
	if n > markMax {
		return nil
	}
	return &Mark{s.facts(func(st *migration.Statement) *migration.Statement { return st })}
}

// facts is a copy of what s holds besides its catalogs and memos, each statement it
// names replaced by moved(statement).
func (s *State) facts(moved func(*migration.Statement) *migration.Statement) State {
	c := State{Catalog: s.Catalog, LockTimeout: s.LockTimeout, timeZone: s.timeZone,
		lockTimeoutSession: s.lockTimeoutSession, lockTimeoutTx: s.lockTimeoutTx,
		LinesCited: s.LinesCited, LookedAhead: s.LookedAhead, NotValid: maps.Clone(s.NotValid), once: maps.Clone(s.once)}
	if s.Exclusive != nil {
		c.Exclusive = make(map[int]ExclusiveHold, len(s.Exclusive))
		for tx, h := range s.Exclusive {
			c.Exclusive[tx] = ExclusiveHold{Stmt: moved(h.Stmt), Table: h.Table}
		}
	}
	changed := func(m map[int]map[string]*migration.Statement) map[int]map[string]*migration.Statement {
		if m == nil {
			return nil
		}
		out := make(map[int]map[string]*migration.Statement, len(m))
		for tx, tables := range m {
			t := make(map[string]*migration.Statement, len(tables))
			for k, st := range tables {
				t[k] = moved(st)
			}
			out[tx] = t
		}
		return out
	}
	c.SchemaChanged, c.DataChanged = changed(s.SchemaChanged), changed(s.DataChanged)
	return c
}

// Moved is the mark with each statement it names replaced by moved(statement): the
// same state, for an edited version of the file whose statements up to it are the
// same; shifted when they have moved since the catalog recorded their offsets
// (project.Catalog.WithMovedOrigins).
func (m *Mark) Moved(moved func(*migration.Statement) *migration.Statement, shifted bool) *Mark {
	c := m.s.facts(moved)
	if shifted {
		c.Catalog = c.Catalog.WithMovedOrigins()
	}
	return &Mark{c}
}

// Converged reports whether m, a mark of this version, is the state old marks in an
// earlier version, but for the offsets the catalog records (project.Catalog.Converged):
// every fact alike, each statement it names being the counterpart (same) of the one
// old names; w carries where the catalogs differed at the last mark (project.Witness).
func (m *Mark) Converged(old *Mark, same func(now, was *migration.Statement) bool, w *project.Witness) bool {
	a, b := &m.s, &old.s
	if a.LockTimeout != b.LockTimeout || a.timeZone != b.timeZone || a.lockTimeoutSession != b.lockTimeoutSession ||
		a.lockTimeoutTx != b.lockTimeoutTx || a.LinesCited != b.LinesCited || a.LookedAhead != b.LookedAhead ||
		!maps.Equal(a.NotValid, b.NotValid) || !maps.Equal(a.once, b.once) || len(a.Exclusive) != len(b.Exclusive) {
		return false
	}
	for tx, h := range a.Exclusive {
		if o, ok := b.Exclusive[tx]; !ok || o.Table != h.Table || !same(h.Stmt, o.Stmt) {
			return false
		}
	}
	sameTables := func(x, y map[int]map[string]*migration.Statement) bool {
		if len(x) != len(y) {
			return false
		}
		for tx, tables := range x {
			others, ok := y[tx]
			if !ok || len(others) != len(tables) {
				return false
			}
			for k, st := range tables {
				if o, ok := others[k]; !ok || !same(st, o) {
					return false
				}
			}
		}
		return true
	}
	return sameTables(a.SchemaChanged, b.SchemaChanged) && sameTables(a.DataChanged, b.DataChanged) && a.Catalog.Converged(b.Catalog, w)
}

// Resume puts s in the state m marks (a Mark of this file's version, see Moved), for
// an analysis that goes on from the statement after it.
func (s *State) Resume(m *Mark) {
	c := m.s.facts(func(st *migration.Statement) *migration.Statement { return st })
	c.Begin, c.History, c.path, c.Steps, c.Marks, c.step = s.Begin, s.History, s.path, s.Steps, s.Marks, s.step
	*s = c
	s.replayer = s.newReplayer()
}

// ExclusiveHold is a statement holding ACCESS EXCLUSIVE in a transaction.
type ExclusiveHold struct {
	Stmt  *migration.Statement
	Table string
}

// NewState is the state before the first statement of the file at path; h is its
// history (nil: the file is judged alone, against an empty catalog).
func NewState(path string, h *project.History) *State {
	var before *project.Catalog
	if h != nil {
		before = h.Before
	}
	begin := before.BeginFile(path)
	return &State{
		Catalog: begin, Begin: begin, History: h, path: path, replayer: begin.ScratchReplayer(),
	}
}

// KeepSteps makes the state keep the catalog after every StepFor(statements)-th
// statement in Steps, for a file of that many top-level statements. A snapshot per
// statement would cost a copy of the changed paths each, and hold them all (gigabytes
// for a 5 MB document of DDL); an edit instead replays the statements from the
// nearest snapshot before it.
func (s *State) KeepSteps(statements int) {
	s.Steps = map[*migration.Statement]*project.Catalog{}
	s.Marks = map[int]*Mark{}
	s.step = StepFor(statements)
}

// KeepEachStep is KeepSteps with a snapshot after every statement, for a caller that
// holds on to the catalog each statement ran against (the runbook reads what an index
// or column was before the statement that drops it). Between KeepSteps' snapshots
// State.Catalog is a scratch catalog the next statements change in place.
func (s *State) KeepEachStep() {
	s.KeepSteps(0)
	s.step = 1
}

// newReplayer replays from the catalog in force into one scratch Catalog: no one keeps
// a catalog between statements but the snapshots of KeepSteps, each the end of one
// replayer's run (a fresh one copies before it changes anything). A Catalog per
// statement was 25 of the 173 MB an edit of a 5 MB DDL document allocated.
func (s *State) newReplayer() *project.FileReplay { return s.Catalog.ScratchReplayer() }

// StepEvery is how many statements apart the kept snapshots are in a file of up to
// LargeFile statements, LargeStepEvery in a larger one (StepFor). Each snapshot costs
// the copies of the paths the statements after it change before the next one (the
// scratch catalog must not change a kept one), so fewer snapshots are a faster edit
// that re-judges everything after it (a name typed into on the 5 MB DDL document of
// 77,000 statements, BenchmarkEditLargeDDL: 64 -> 256 measured ~20% less CPU); but an
// edit replays up to the step's count less one from the snapshot before it, which in a
// file of a thousand statements is most of an edit's analysis (bench-lsp.sh: 1.7 ms at
// 64, 2.0 ms at 256).
const (
	StepEvery      = 64
	LargeStepEvery = 256
	LargeFile      = 16384
)

// StepFor is the snapshots' spacing in a file of so many top-level statements.
func StepFor(statements int) int {
	if statements > LargeFile {
		return LargeStepEvery
	}
	return StepEvery
}

// stepAt is the statement whose snapshot (catalog and Mark) is taken once st is
// applied, nil for none: every s.step-th statement of the file, and for a DO
// statement with a body, only after the last of the body's statements, which run with
// it: an analysis resumed from the snapshot must see the tables the body created.
func (s *State) stepAt(st *migration.Statement) *migration.Statement {
	if s.Steps == nil {
		return nil // not kept (KeepSteps)
	}
	top := st
	if st.Parent != nil {
		top = st.Parent
	}
	last := top
	if top.Body != nil && len(top.Body.Statements) > 0 {
		last = top.Body.Statements[len(top.Body.Statements)-1]
	}
	if st != last || top.Parent != nil || top.Index%s.step != s.step-1 {
		return nil
	}
	return top
}

// Key is a table's identity for comparisons: its name resolved on the search_path in
// force, as PostgreSQL resolves it ("Users" and users differ; public.users and users
// are one table under the default path). table is spelled as in trees (RangeVarName).
func (s *State) Key(table string) string {
	m := s.memo()
	if k, ok := m.keys[table]; ok {
		return k
	}
	k := s.Catalog.Resolve(project.TreeName(table)).String()
	m.keys[table] = k
	return k
}

// Table is the catalog's table (or materialized view) named as in trees.
func (s *State) Table(table string) (*project.Relation, bool) {
	if table == "" {
		return nil, false
	}
	m := s.memo()
	if t, ok := m.tables[table]; ok {
		return t.rel, t.ok
	}
	rel, ok := s.Catalog.Table(project.TreeName(table))
	m.tables[table] = tableOf{rel, ok}
	return rel, ok
}

// lookups memoises Table and Key in the catalog they were answered in: the rules ask
// again and again about the tables of the statement under check. Update clears it
// (a scratch catalog changes under the same pointer); a catalog put in place some
// other way is told apart by its pointer (the memo holding the old one keeps its
// address from being reused).
type lookups struct {
	in     *project.Catalog
	tables map[string]tableOf
	keys   map[string]string
}

type tableOf struct {
	rel *project.Relation
	ok  bool
}

// memo is the lookups of the catalog in force.
func (s *State) memo() *lookups {
	if m := &s.lookups; m.in != s.Catalog || m.tables == nil {
		m.in = s.Catalog
		// Clearing costs what the map grew to: one that held many names is dropped.
		if len(m.tables) > 32 || len(m.keys) > 32 || m.tables == nil {
			m.tables, m.keys = map[string]tableOf{}, map[string]string{}
		} else {
			if len(m.tables) > 0 {
				clear(m.tables)
			}
			if len(m.keys) > 0 {
				clear(m.keys)
			}
		}
	}
	return &s.lookups
}

// Created reports a table created earlier in this file.
func (s *State) Created(table string) bool {
	t, ok := s.Table(table)
	return ok && t.Origin.Path == s.path
}

// Newness says why a table is new, if it is.
type Newness int

const (
	NotNew         Newness = iota
	CreatedHere            // created earlier in this file
	CreatedPending         // created by a migration that is not deployed yet
)

// New says whether a table is new (no deployed code uses it, and it holds only what
// the unreleased migrations put in it) and why.
func (s *State) New(table string) Newness {
	t, ok := s.Table(table)
	if !ok && table != "" {
		// A sequence or a view the statement locks is new the way a table is.
		t, ok = s.Catalog.Relation(project.TreeName(table))
	}
	if !ok || t.Origin.Path == "" {
		return NotNew
	}
	if t.Origin.Path == s.path {
		return CreatedHere
	}
	if s.History != nil && s.History.Pending.Is(t.Origin.Path) {
		return CreatedPending
	}
	return NotNew
}

// NewColumn says whether a column was added by this file or a pending migration
// (to a table that may be old): no deployed code reads it.
func (s *State) NewColumn(table, column string) Newness {
	t, ok := s.Table(table)
	if !ok {
		return NotNew
	}
	c, ok := t.Column(column)
	switch {
	case !ok || c.Origin.Path == "":
		return NotNew
	case c.Origin.Path == s.path:
		return CreatedHere
	case s.History != nil && s.History.Pending.Is(c.Origin.Path):
		return CreatedPending
	}
	return NotNew
}

// CreatedSchema reports a schema created earlier in the file or by a pending migration.
func (s *State) CreatedSchema(name string) bool {
	sc, ok := s.Catalog.Schema(name)
	return ok && (sc.Origin.Path == s.path || s.History != nil && s.History.Pending.Is(sc.Origin.Path))
}

// Once returns true the first time it is called with k in a file.
func (s *State) Once(k string) bool {
	if s.once[k] {
		return false
	}
	if s.once == nil {
		s.once = map[string]bool{}
	}
	s.once[k] = true
	return true
}

// Done reports whether Once(k) already returned true: a rule reporting once per file
// skips the work of finding what it would report again.
func (s *State) Done(k string) bool { return s.once[k] }

// ColumnType implements locks.Context: the column's type as the history and the file
// so far declare it; unknown for tables the replay could not follow.
func (s *State) ColumnType(table, column string) (*pg.TypeName, bool) {
	t, ok := s.Table(table)
	if !ok {
		return nil, false
	}
	c, ok := t.Column(column)
	if !ok || c.Type == nil || !t.Trust(c.TypeAt) {
		return nil, false
	}
	return c.Type, true
}

// ColumnCollation implements locks.Context: the collation the column was given with
// the type ColumnType returns.
func (s *State) ColumnCollation(table, column string) string {
	if t, ok := s.Table(table); ok {
		if c, ok := t.Column(column); ok {
			return c.Collation
		}
	}
	return ""
}

// HasNotNullCheck implements locks.Context: a validated CHECK (column IS NOT NULL),
// from this file or an earlier migration.
func (s *State) HasNotNullCheck(table, column string) bool {
	t, ok := s.Table(table)
	if !ok {
		return false
	}
	for _, c := range t.Constraints {
		if c.Kind == project.Check && c.Validated && t.Trust(c.ValidatedAt) && c.NotNullColumn == column {
			return true
		}
	}
	return false
}

// RedundantCheck implements locks.Context: a CHECK (column IS NOT NULL) the catalog
// knows on a column it knows NOT NULL, both facts newer than anything the replay could
// not follow (which may have changed either).
func (s *State) RedundantCheck(table, constraint string) bool {
	t, ok := s.Table(table)
	if !ok {
		return false
	}
	c, ok := t.Constraint(constraint)
	if !ok || c.Kind != project.Check || c.NotNullColumn == "" || !t.Trust(c.Origin.Seq) {
		return false
	}
	col, ok := t.Column(c.NotNullColumn)
	return ok && col.NotNull && t.Trust(col.NotNullAt)
}

// ForeignKey implements locks.Context for foreign keys the catalog knows.
func (s *State) ForeignKey(table, constraint string) (string, bool) {
	t, ok := s.Table(table)
	if !ok {
		return "", false
	}
	c, ok := t.Constraint(constraint)
	if !ok || c.Kind != project.ForeignKey {
		return "", false
	}
	ref, ok := s.Catalog.Rel(c.References)
	if !ok {
		return "", false
	}
	return s.Catalog.Spell(ref.Name), true
}

// Update records what st establishes. a is the knowledge base's analysis of st.
func (s *State) Update(st *migration.Statement, a locks.Analysis) {
	n := st.Outline() // a deferred INSERT ... VALUES has its target in its outline
	if n == nil {
		return
	}
	if vs := n.GetVariableSetStmt(); vs != nil && strings.EqualFold(vs.Name, "lock_timeout") {
		s.LockTimeout = true
		s.setLockTimeout(st, vs)
	}
	if vs := n.GetVariableSetStmt(); vs != nil && strings.EqualFold(vs.Name, "timezone") {
		s.timeZone = ""
		if vs.Kind == pg.VariableSetKind_VAR_SET_VALUE && len(vs.Args) == 1 {
			if c := vs.Args[0].GetAConst(); c != nil && c.GetSval() != nil {
				s.timeZone = c.GetSval().Sval
			} else if c != nil && c.GetIval() != nil {
				s.timeZone = fmt.Sprint(c.GetIval().Ival)
			}
		}
	}
	if at := n.GetAlterTableStmt(); at != nil {
		for _, c := range at.Cmds {
			cmd := c.GetAlterTableCmd()
			if cmd.GetSubtype() != pg.AlterTableType_AT_AddConstraint {
				continue
			}
			if con := cmd.Def.GetConstraint(); con != nil && con.SkipValidation {
				if s.NotValid == nil {
					s.NotValid = map[string]int{}
				}
				s.NotValid[s.Key(sqlast.RangeVarName(at.Relation))+"."+con.Conname] = st.Tx.ID
			}
		}
	}
	// What the statement drops is gone from the catalog after it: whether it was new
	// is known only before.
	var newBefore map[string]bool
	if st.Tx.In() {
		for _, l := range a.Locks {
			if l.Mode == locks.AccessExclusive && l.Role == "table" && s.New(l.Relation) != NotNew {
				if newBefore == nil {
					newBefore = map[string]bool{}
				}
				newBefore[l.Relation] = true
			}
		}
	}
	switch after, ok := s.History.After(st); {
	case ok:
		s.Catalog = after // the replay of the set (or an earlier analysis) applied this very statement already
	case st.Section != migration.Up:
	default:
		if s.replayer.Catalog() != s.Catalog {
			s.replayer = s.newReplayer()
		}
		s.replayer.Apply(st)
		s.Catalog = s.replayer.Catalog()
		s.lookups.in = nil // the scratch catalog may have changed under the same pointer
	}
	if at := s.stepAt(st); at != nil {
		// A fresh replayer copies before it changes anything, so the snapshot kept
		// here is never modified.
		s.Steps[at] = s.Catalog
		s.replayer = s.newReplayer()
		defer func() {
			// After the transaction bookkeeping below: the state after st.
			if m := s.Mark(); m != nil {
				s.Marks[at.Index] = m
			}
		}()
	}
	// Transaction bookkeeping for the cross-statement rules, against the catalog after
	// the statement (a table it creates is not an existing one).
	if st.Tx.In() {
		for _, l := range a.Locks {
			if l.Mode == locks.AccessExclusive && l.Role == "table" && !newBefore[l.Relation] && s.New(l.Relation) == NotNew {
				if _, held := s.Exclusive[st.Tx.ID]; !held {
					if s.Exclusive == nil {
						s.Exclusive = map[int]ExclusiveHold{}
					}
					s.Exclusive[st.Tx.ID] = ExclusiveHold{Stmt: st, Table: l.Relation}
				}
			}
		}
		for _, p := range a.Parts {
			if p.Table == "" {
				continue
			}
			m := &s.SchemaChanged
			switch p.Shape {
			case locks.Update, locks.Delete, locks.Insert, locks.InsertSelect:
				m = &s.DataChanged
			case locks.LockTable, locks.Comment, locks.Analyze:
				continue
			}
			if *m == nil {
				*m = map[int]map[string]*migration.Statement{}
			}
			tx := (*m)[st.Tx.ID]
			if tx == nil {
				tx = map[string]*migration.Statement{}
				(*m)[st.Tx.ID] = tx
			}
			if k := s.Key(p.Table); tx[k] == nil {
				tx[k] = st
			}
		}
	}
}

// Holds reports whether the transaction bookkeeping of Update(st, a) keeps st for
// the cross-statement rules, which read its tree when a later statement of its
// transaction is checked (mixed-schema-and-data-change's DataChanged).
func (s *State) Holds(st *migration.Statement, a locks.Analysis) bool {
	if !st.Tx.In() {
		return false
	}
	if h, ok := s.Exclusive[st.Tx.ID]; ok && h.Stmt == st {
		return true
	}
	for _, p := range a.Parts {
		if p.Table == "" {
			continue
		}
		k := s.Key(p.Table)
		if s.SchemaChanged[st.Tx.ID][k] == st || s.DataChanged[st.Tx.ID][k] == st {
			return true
		}
	}
	return false
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

// TimeZoneUTC says whether the session's TimeZone, as a SET earlier in the file chose
// it, has a zero offset; known is false when no SET chose one (the role's or server's
// setting applies, which migsafe cannot see).
func (s *State) TimeZoneUTC() (utc, known bool) {
	if s.timeZone == "" {
		return false, false
	}
	switch strings.ToLower(s.timeZone) {
	case "utc", "etc/utc", "gmt", "etc/gmt", "uct", "etc/uct", "zulu", "etc/zulu", "universal", "etc/universal", "z", "0", "+00", "+00:00":
		return true, true
	}
	return false, true
}

// LockTimeoutFor reports whether a lock_timeout set earlier in the file is in force
// for a statement running in tx.
func (s *State) LockTimeoutFor(tx migration.Tx) bool {
	return s.lockTimeoutSession || (s.lockTimeoutTx != 0 && tx.In() && tx.ID == s.lockTimeoutTx)
}

// IndexTable returns the table of an index the catalog knows, by the index's name as
// DROP INDEX or REINDEX INDEX write it (schema-qualified or not), and whether the
// index is new (created in this file or by a pending migration: no query relies on it).
func (s *State) IndexTable(name string) (table string, isNew bool, ok bool) {
	ix, ok := s.Catalog.Relation(project.TreeName(name))
	if !ok || ix.Kind != project.Index {
		return "", false, false
	}
	t, ok := s.Catalog.Rel(ix.Index.Table)
	if !ok {
		return "", false, false
	}
	isNew = ix.Origin.Path != "" && (ix.Origin.Path == s.path || s.History != nil && s.History.Pending.Is(ix.Origin.Path))
	return s.Catalog.Spell(t.Name), isNew, true
}

// HasIndexOn reports a valid index of the table (or of the partitioned table it is a
// partition of) whose leading columns are cols, in any order: from this file or an
// earlier migration.
func (s *State) HasIndexOn(table string, cols []string) bool {
	return s.HasOtherIndexOn(table, cols, 0)
}

// HasOtherIndexOn is HasIndexOn not counting the index except (the one a statement
// drops).
func (s *State) HasOtherIndexOn(table string, cols []string, except project.ID) bool {
	t, ok := s.Table(table)
	for ok {
		for _, ix := range s.Catalog.IndexesOf(t) {
			if ix.ID != except && ix.Index.Valid && t.Trust(ix.Origin.Seq) && leads(ix.Index.Columns, cols) {
				return true
			}
		}
		t, ok = s.Catalog.Rel(t.Parent)
	}
	return false
}

// IndexUses reports an index of the table that reads the column anywhere (key,
// expression, predicate or INCLUDE), from this file or an earlier migration.
func (s *State) IndexUses(table, column string) bool {
	t, ok := s.Table(table)
	if !ok {
		return false
	}
	for _, ix := range s.Catalog.IndexesOf(t) {
		if t.Trust(ix.Origin.Seq) && slices.Contains(ix.Index.Uses, column) {
			return true
		}
	}
	return false
}

// HasForeignKeyOn reports a foreign key of the table on exactly these columns.
func (s *State) HasForeignKeyOn(table string, cols []string) bool {
	t, ok := s.Table(table)
	if !ok {
		return false
	}
	for _, c := range t.Constraints {
		if c.Kind == project.ForeignKey && len(c.Columns) == len(cols) && leads(c.Columns, cols) {
			return true
		}
	}
	return false
}

// IndexesKnown reports a table whose indexes the catalog knows completely (created by
// the history and not touched by anything it could not model), so no index found
// means there is none.
func (s *State) IndexesKnown(table string) bool {
	t, ok := s.Table(table)
	return ok && t.Known()
}

func nodeStrings(nodes []*pg.Node) []string {
	out := make([]string, 0, len(nodes))
	for _, n := range nodes {
		out = append(out, n.GetString_().GetSval())
	}
	return out
}

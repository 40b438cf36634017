package project

import (
	"sort"

	pg "github.com/pganalyze/pg_query_go/v5"
)

// Catalog is the schema a migration runs against, as far as the migrations before it
// (and the statements before it in its own file) show: schemas, tables with their
// columns, constraints and indexes, views, sequences and types. It is built by
// replaying statements statically, the way sqlc builds its catalog from DDL, one small
// function per statement kind.
//
// A Catalog is immutable: Apply returns a new one and shares everything it did not
// change with the old, so a snapshot before every migration of a long history costs
// the changes, not a copy per file. The zero value is an empty catalog.
//
// What the replay cannot model (dynamic SQL, functions with unknown side effects,
// LIKE of an unknown table) makes the affected objects Uncertain: their facts may be
// stale, so rules read them as unknown, never as wrong. Objects the history never
// created may still exist (created outside the migrations, or by an extension): a
// lookup that finds nothing means "not known", not "absent".
type Catalog struct {
	// rels maps a relation's ID to it; names maps a name's key to the ID. References
	// between relations (an index's table, a foreign key's target, a view's inputs) are
	// by ID, as PostgreSQL's are by OID, so a rename changes one name, not every
	// reference.
	rels    pmap[*Relation]
	names   pmap[ID]
	lastID  ID
	schemas pmap[*Schema]
	types   pmap[*Type]
	funcs   pmap[*Function]
	// dropped holds relations the history dropped (or renamed away): a lookup of one
	// of them is known absent rather than unknown.
	dropped pmap[struct{}]
	// path is the search_path in force; nil means the default.
	path []string
	// sessionDefault is the search_path new sessions start with (ALTER DATABASE/ROLE
	// ... SET search_path); nil means PostgreSQL's default.
	sessionDefault []string
	// origin is the migration being replayed, recorded on what it creates.
	origin Origin
	// opaque is set once a statement with effects the replay cannot see has run
	// (dynamic SQL): from then on nothing is known absent.
	opaque bool
	// temps are the temporary relations of the file's session.
	temps []ID
	// seq counts the statements applied, for Origin.Seq.
	seq uint64
	// changes lists the relations changed since the file began, newest first (a
	// persistent list, shared by the snapshots of the file).
	changes *change
	// movedOrigins is set on a catalog kept from an analysis of an earlier version
	// whose statements have moved since (WithMovedOrigins).
	movedOrigins bool
}

type change struct {
	id   ID
	next *change
}

// ChangedSince lists the relations (by ID, each once) that changed between old and c,
// where old is an earlier snapshot of the same file (else: since the file began).
func (c *Catalog) ChangedSince(old *Catalog) []ID {
	var stop *change
	if old != nil {
		stop = old.changes
	}
	return changedSince(c.changes, stop)
}

// changedSince lists the relations of the changes from ch to stop, each once.
func changedSince(ch, stop *change) []ID {
	var out []ID
	seen := map[ID]bool{}
	for ; ch != nil && ch != stop; ch = ch.next {
		if !seen[ch.id] {
			seen[ch.id] = true
			out = append(out, ch.id)
		}
	}
	return out
}

// Origin says where an object was created: the migration file (its up file's path)
// and the byte offset of the statement.
type Origin struct {
	Path   string
	Offset int
	// Seq numbers the statement in the replay, so facts can be ordered against an
	// unmodelled statement (see Relation.Trust).
	Seq uint64
}

// RelKind is the kind of a relation; PostgreSQL keeps tables, views, sequences and
// indexes in one namespace per schema (pg_class).
type RelKind uint8

const (
	Table RelKind = iota + 1
	PartitionedTable
	View
	MatView
	Sequence
	Index
	ForeignTable
)

func (k RelKind) String() string {
	switch k {
	case Table, PartitionedTable:
		return "table"
	case View:
		return "view"
	case MatView:
		return "materialized view"
	case Sequence:
		return "sequence"
	case Index:
		return "index"
	case ForeignTable:
		return "foreign table"
	}
	return "relation"
}

// TableLike kinds have columns and can hold indexes and constraints.
func (k RelKind) TableLike() bool {
	return k == Table || k == PartitionedTable || k == MatView || k == ForeignTable
}

// ID identifies a relation in the catalog for its whole life, across renames.
type ID uint32

func (id ID) key() string {
	return string([]byte{byte(id >> 24), byte(id >> 16), byte(id >> 8), byte(id)})
}

// Relation is a table, view, materialized view, sequence or index.
type Relation struct {
	ID   ID
	Kind RelKind
	Name Name
	// Partial is set for a relation the history did not create: it existed before the
	// first migration (or was made outside them), and only what later statements did
	// to it is known.
	Partial bool
	// Origin is the migration that created it; a zero Path when the history does not
	// show where it came from (it was only altered, and so already existed).
	Origin Origin
	// FromQuery is set for tables filled by their creating statement (CREATE TABLE AS,
	// SELECT INTO, materialized views): they are not empty.
	FromQuery bool
	// Written is set once rows were inserted or copied into the table after it was
	// created, or an unmodelled statement may have written it.
	Written bool
	// Uncertain is set when a statement the replay cannot model may have changed the
	// relation (at UncertainSince): what the catalog knew of its columns, constraints
	// and indexes before then may be incomplete or stale; see Trust.
	Uncertain      bool
	UncertainSince uint64

	Columns     []*Column
	Constraints []*Constraint
	// Indexes are the relation's indexes.
	Indexes []ID
	// Parent is the partitioned (or inherited) table this one is a partition of; 0 for none.
	Parent ID

	// Index facts, for Kind == Index.
	Index *IndexInfo
	// Uses lists the relations a view's query reads, and UsesColumns the column names
	// it mentions ("*" for all), for what DROP ... CASCADE takes with it.
	Uses        []ID
	UsesColumns []string
	// Outputs are a view's output columns in order (ViewOutputs), for what CREATE OR
	// REPLACE VIEW may change; nil when the query does not show them all.
	Outputs []*Column
	// OwnedBy is the table column that owns a sequence (serial, identity, OWNED BY).
	OwnedBy *ColumnRef
	// owner is the edit that made this copy: that edit may change it in place.
	owner *edit
	// columnTail and indexTail are shared by every snapshot whose Columns (Indexes) view
	// one backing array: appends go in place when the list ends where the last one did.
	columnTail *sharedTail[*Column]
	indexTail  *sharedTail[ID]
	// Referrers are the relations that may depend on this one: tables whose foreign
	// keys reference it, views that read it, sequences it owns, its partitions. Drops
	// and renames follow them instead of scanning the catalog; an entry may be stale
	// (the dependency gone since), so users check the dependency itself.
	Referrers []ID
}

// ColumnRef is a column of a table.
type ColumnRef struct {
	Table  ID
	Column string
}

// Column is a table column.
type Column struct {
	Name string
	// Type is the declared type (serial types as the integer type they stand for).
	Type     *pg.TypeName
	NotNull  bool
	Default  *pg.Node // nil when there is none
	Identity byte     // 'a' (ALWAYS) or 'd' (BY DEFAULT); 0 when not an identity column
	// Generated is set for GENERATED ALWAYS AS (expr) STORED columns.
	Generated bool
	Origin    Origin
	// TypeAt is the Seq of the statement that gave the column its type.
	TypeAt uint64
	// Collation is the column's COLLATE (sqlast.Collation), set with its type: a type
	// change without COLLATE resets it to the type's default.
	Collation string
	// NotNullAt is the Seq of the ALTER COLUMN ... SET NOT NULL that made it NOT NULL
	// (0 when it was declared so), for trusting NotNull past an unmodelled statement.
	NotNullAt uint64
}

// ConKind is the kind of a table constraint.
type ConKind uint8

const (
	Check ConKind = iota + 1
	PrimaryKey
	Unique
	ForeignKey
	Exclusion
)

func (k ConKind) String() string {
	switch k {
	case Check:
		return "CHECK"
	case PrimaryKey:
		return "PRIMARY KEY"
	case Unique:
		return "UNIQUE"
	case ForeignKey:
		return "FOREIGN KEY"
	case Exclusion:
		return "EXCLUDE"
	}
	return "constraint"
}

// Constraint is a table constraint.
type Constraint struct {
	Name    string
	Kind    ConKind
	Columns []string
	// Validated is false for a constraint added NOT VALID and not validated since;
	// ValidatedAt is the Seq of the statement that validated it.
	Validated   bool
	ValidatedAt uint64
	// References and RefColumns are a foreign key's referenced table and columns.
	References ID
	RefColumns []string
	// NotNullColumn is the column of CHECK (column IS NOT NULL).
	NotNullColumn string
	// Index is the index behind a PRIMARY KEY, UNIQUE or EXCLUDE constraint.
	Index  ID
	Origin Origin
}

// IndexInfo are the facts of an index.
type IndexInfo struct {
	Table ID
	// Columns are the key columns in order; "" for an expression.
	Columns []string
	// Uses lists every column the index reads (keys, expressions, predicate, INCLUDE):
	// dropping any of them drops the index.
	Uses    []string
	Unique  bool
	Primary bool
	// Valid is false for an index PostgreSQL marks invalid: CREATE INDEX ON ONLY a
	// partitioned table (until every partition's index is attached).
	Valid   bool
	Partial bool
	// Constraint is the constraint that owns the index, if any.
	Constraint string
}

// Schema is a schema the history created.
type Schema struct {
	Name   string
	Origin Origin
}

// TypeKind is the kind of a user-defined type.
type TypeKind uint8

const (
	Enum TypeKind = iota + 1
	Domain
	Composite
	OtherType
)

// Type is a user-defined type.
type Type struct {
	Kind   TypeKind
	Name   Name
	Values []string // enum labels in order
	Origin Origin
}

// Function is a function or procedure the history created; Body is its source when
// written in the migration, so calls to it can be judged.
type Function struct {
	Name Name
	Body string
	// words are the identifiers of Body (identifierWords), read at every call: worked
	// out at the first (many functions are never called), once for every catalog
	// that shares the function.
	words func() map[string]bool
}

// Path is the search_path in force.
func (c *Catalog) Path() []string {
	if c.path != nil {
		return c.path
	}
	if c.sessionDefault != nil {
		return c.sessionDefault
	}
	return defaultPath
}

// Resolve fills in the schema of an unqualified name the way PostgreSQL looks it up:
// the first schema on the search_path holding a relation of that name, else the
// schema a CREATE would put it in (the first schema on the path). A qualified name is
// returned as it is.
func (c *Catalog) Resolve(n Name) Name {
	if n.Schema != "" || n.Name == "" {
		return n
	}
	if c.temps != nil {
		if _, ok := c.names.getName(Name{tempSchema, n.Name}); ok {
			return Name{tempSchema, n.Name} // the session's temporary relations come first
		}
	}
	for _, s := range c.Path() {
		if s == "$user" {
			continue
		}
		if _, ok := c.names.getName(Name{s, n.Name}); ok {
			return Name{s, n.Name}
		}
	}
	return Name{Schema: c.creationSchema(), Name: n.Name}
}

// Spell is the shortest way to write n that resolves to it on the search_path in force
// (tree spelling: parts unquoted), for messages and for names handed back to rules.
func (c *Catalog) Spell(n Name) string {
	if c.Resolve(Name{Name: n.Name}) == n {
		return n.Name
	}
	return n.String()
}

// resolveType is Resolve for the type namespace.
func (c *Catalog) resolveType(n Name) Name { return resolveIn(c, c.types, n) }

// resolveIn resolves an unqualified name on the search_path among the keys of m.
func resolveIn[V any](c *Catalog, m pmap[V], n Name) Name {
	if n.Schema != "" {
		return n
	}
	for _, s := range c.Path() {
		if _, ok := m.getName(Name{s, n.Name}); ok {
			return Name{s, n.Name}
		}
	}
	return Name{Schema: c.creationSchema(), Name: n.Name}
}

// inSchema lists the values of m whose name is in schema.
func inSchema[V any](m pmap[V], schema string, name func(V) Name) []V {
	var out []V
	m.Range(func(_ string, v V) bool {
		if name(v).Schema == schema {
			out = append(out, v)
		}
		return true
	})
	return out
}

func relNameOf(r *Relation) Name  { return r.Name }
func columnName(c *Column) string { return c.Name }
func typeNameOf(t *Type) Name     { return t.Name }
func funcNameOf(f *Function) Name { return f.Name }

// creationSchema is where CREATE puts an unqualified object: the first schema on the
// path ("$user" is skipped: migsafe cannot know the role).
func (c *Catalog) creationSchema() string {
	for _, s := range c.Path() {
		if s != "$user" {
			return s
		}
	}
	return "public"
}

// Relation looks a relation up by name (resolved on the search_path).
func (c *Catalog) Relation(n Name) (*Relation, bool) {
	if c == nil || n.Name == "" {
		return nil, false
	}
	id, ok := c.lookup(n)
	if !ok {
		return nil, false
	}
	return c.rel(id)
}

// lookup is the ID of a relation by name, resolved as Resolve does, in one pass.
func (c *Catalog) lookup(n Name) (ID, bool) {
	if n.Schema != "" {
		return c.names.getName(n)
	}
	if c.temps != nil {
		if id, ok := c.names.getName(Name{tempSchema, n.Name}); ok {
			return id, true
		}
	}
	for _, s := range c.Path() {
		if s == "$user" {
			continue
		}
		if id, ok := c.names.getName(Name{s, n.Name}); ok {
			return id, true
		}
	}
	return 0, false
}

// rel returns a relation by ID.
func (c *Catalog) rel(id ID) (*Relation, bool) {
	if id == 0 {
		return nil, false
	}
	return c.rels.Get(id.key())
}

// Table looks a table up (tables, partitioned tables, materialized views and foreign
// tables: the relations with columns and indexes).
func (c *Catalog) Table(n Name) (*Relation, bool) {
	r, ok := c.Relation(n)
	if !ok || !r.Kind.TableLike() {
		return nil, false
	}
	return r, true
}

// Blind reports that a statement whose effects the replay cannot see (dynamic SQL)
// has run: it may have created or dropped anything.
func (c *Catalog) Blind() bool { return c != nil && c.opaque }

// Absent reports a relation the history dropped (or renamed away) and nothing since
// can have recreated: a statement that drops it IF EXISTS does nothing.
func (c *Catalog) Absent(n Name) bool {
	if c == nil || c.opaque {
		return false
	}
	k := c.Resolve(n).key()
	if _, ok := c.names.Get(k); ok {
		return false
	}
	_, dropped := c.dropped.Get(k)
	return dropped
}

// Schema looks a schema up.
func (c *Catalog) Schema(name string) (*Schema, bool) {
	if c == nil {
		return nil, false
	}
	return c.schemas.Get(name)
}

// Type looks a user-defined type up.
func (c *Catalog) Type(n Name) (*Type, bool) {
	if c == nil {
		return nil, false
	}
	return c.types.getName(c.resolveType(n))
}

// Column returns a table's column.
func (r *Relation) Column(name string) (*Column, bool) {
	if i, found, ok := r.columnTail.find(r.Columns, name, columnName); ok {
		if found {
			return r.Columns[i], true
		}
		return nil, false
	}
	for _, col := range r.Columns {
		if col.Name == name {
			return col, true
		}
	}
	return nil, false
}

// Constraint returns a table's constraint by name.
func (r *Relation) Constraint(name string) (*Constraint, bool) {
	for _, con := range r.Constraints {
		if con.Name == name {
			return con, true
		}
	}
	return nil, false
}

// IndexesOf returns a table's indexes, by name order.
func (c *Catalog) IndexesOf(t *Relation) []*Relation {
	var out []*Relation
	for _, id := range t.Indexes {
		if r, ok := c.rel(id); ok && r.Kind == Index {
			out = append(out, r)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name.Name < out[j].Name.Name })
	return out
}

// RangeRelations calls f for each relation, in no order, until f returns false:
// Relations without the slice and the sort, for a rule that looks at every relation
// on each statement of a kind.
func (c *Catalog) RangeRelations(f func(*Relation) bool) {
	c.rels.Range(func(_ string, r *Relation) bool { return f(r) })
}

// Relations lists every relation, ordered by name, for hover and tests.
func (c *Catalog) Relations() []*Relation {
	var out []*Relation
	c.rels.Range(func(_ string, r *Relation) bool {
		out = append(out, r)
		return true
	})
	sort.Slice(out, func(i, j int) bool {
		if out[i].Name.Schema != out[j].Name.Schema {
			return out[i].Name.Schema < out[j].Name.Schema
		}
		return out[i].Name.Name < out[j].Name.Name
	})
	return out
}

// Trust reports whether a fact about the relation established at seq (see Origin.Seq)
// still holds as far as the replay can tell: it came after any unmodelled statement
// that may have changed the relation.
func (r *Relation) Trust(seq uint64) bool { return !r.Uncertain || seq > r.UncertainSince }

// Known reports a relation whose facts the history shows completely: created by a
// migration and not touched by anything the replay could not model. Only for such a
// relation does "no index on these columns" mean there is none.
func (r *Relation) Known() bool { return !r.Partial && !r.Uncertain }

// Rel returns a relation by ID (a foreign key's target, an index's table).
func (c *Catalog) Rel(id ID) (*Relation, bool) {
	if c == nil {
		return nil, false
	}
	return c.rel(id)
}

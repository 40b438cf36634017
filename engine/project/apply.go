package project

import (
	pg "github.com/pganalyze/pg_query_go/v5"

	"github.com/migsafe/migsafe/engine/migration"
)

// BeginFile is the catalog at the start of a migration file: what the earlier files
// established, with the search_path back at what a new session starts with (a SET in
// an earlier file lasted for that file's session).
func (c *Catalog) BeginFile(path string) *Catalog {
	n := c.copy()
	n.path = nil
	n.origin = Origin{Path: path}
	n.changes = nil
	if n.temps != nil {
		// The earlier file's session ended: its temporary relations are gone.
		for _, id := range n.temps {
			if rel, ok := n.rel(id); ok {
				n.rels = n.rels.Delete(id.key())
				n.names = n.names.Delete(rel.Name.key())
			}
		}
		n.temps = nil
	}
	return n
}

// ApplyFile replays the up section of a parsed migration file into the catalog, in
// place (see ScratchReplayer: no one sees the catalogs between its statements). The
// catalog it returns, the one before the next file, lists no changes (ChangedSince):
// the next file begins with none.
func (c *Catalog) ApplyFile(f *migration.File) *Catalog {
	fr := &FileReplay{c: c.BeginFile(f.Path), e: &edit{untracked: true}, own: true}
	for _, st := range InOrder(f.Statements) {
		if st.Section == migration.Up {
			fr.Apply(st)
		}
	}
	return fr.Catalog()
}

// InOrder lists statements as they run: the static statements of a DO body right
// after the DO (whose own effect is what the replay cannot read of it: its dynamic
// SQL).
func InOrder(stmts []*migration.Statement) []*migration.Statement {
	out := make([]*migration.Statement, 0, len(stmts))
	for _, st := range stmts {
		out = append(out, st)
		if st.Body != nil && st.Body.Unread == "" {
			out = append(out, st.Body.Statements...)
		}
	}
	return out
}

// FileReplay applies the statements of one file one after the other, changing in
// place what its own earlier statements made: the catalogs between them are scratch
// (Catalog's result is valid until the next Apply), which spares a copy of the
// changed paths per statement. The catalog it started from, and the last one it
// returns once no more statements come, are snapshots like any other.
type FileReplay struct {
	c *Catalog
	e *edit
	// own is set once c is the replay's own Catalog, which every statement then
	// changes in place, instead of a copy of it per statement.
	own bool
	// journal, when set, keeps the version before each statement of the relations it
	// changes (see RemovalReplayer).
	journal *journal
}

// journal keeps the relations as they were before one statement: relations are copied
// for the statement (owner), not for the whole replay, so the version the statement
// first changed (before) survives it.
type journal struct {
	owner  *edit
	before map[ID]*Relation
}

// keep records rel, the version a statement is about to change, unless the statement
// made it (or already kept it).
func (j *journal) keep(rel *Relation) {
	if j == nil || rel.owner == j.owner {
		return
	}
	if _, kept := j.before[rel.ID]; !kept {
		j.before[rel.ID] = rel
	}
}

// ScratchReplayer starts replaying statements onto c, for a caller that keeps no
// catalog between statements: every statement after the first changes the same
// Catalog, and c itself is never changed.
func (c *Catalog) ScratchReplayer() *FileReplay {
	return &FileReplay{c: c, e: &edit{}}
}

// RemovalReplayer is ScratchReplayer for a caller that asks what each statement
// removed (ApplyRemovals), as Removed would tell from a snapshot before and after it,
// without a snapshot per statement.
func (c *Catalog) RemovalReplayer() *FileReplay {
	return &FileReplay{c: c, e: &edit{}, journal: &journal{before: map[ID]*Relation{}}}
}

// ApplyRemovals applies one statement and lists what it removed from the catalog:
// relations that are gone, and columns gone from relations that remain (a renamed
// relation or column is not gone), newest change first.
func (fr *FileReplay) ApplyRemovals(st *migration.Statement) []Removal {
	j := fr.journal
	j.owner = &edit{}
	clear(j.before)
	stop := fr.c.changes
	fr.Apply(st)
	return removals(changedSince(fr.c.changes, stop), j.before, fr.c)
}

// Apply applies one statement.
func (fr *FileReplay) Apply(st *migration.Statement) {
	if st == nil || st.Outline() == nil {
		return
	}
	node := st.Outline()
	if !fr.own {
		fr.c, fr.own = fr.c.copy(), true
	}
	before := *fr.c
	if !fr.c.applyIn(st, node, fr.e, fr.journal) {
		*fr.c = before // a statement that changes nothing leaves the catalog as it was
	}
}

// Catalog is the catalog after the statements applied so far.
func (fr *FileReplay) Catalog() *Catalog { return fr.c }

// Apply returns the catalog after one statement. Statements that do not change the
// schema return c itself.
func (c *Catalog) Apply(st *migration.Statement) *Catalog { return c.apply(st, &edit{}) }

func (c *Catalog) apply(st *migration.Statement, e *edit) *Catalog {
	if st == nil {
		return c
	}
	// A deferred INSERT ... VALUES has only its outline: its target is all it changes.
	node := st.Outline()
	if node == nil {
		return c
	}
	n := c.copy()
	if !n.applyIn(st, node, e, nil) {
		return c
	}
	return n
}

// applyIn applies st (whose tree is node) to c itself, within edit e and keeping the
// versions before it in j (nil: none); false when it changes nothing.
func (c *Catalog) applyIn(st *migration.Statement, node *pg.Node, e *edit, j *journal) bool {
	c.seq++
	c.origin.Offset, c.origin.Seq = st.Start, c.seq
	return replay{Catalog: c, st: st, batch: e, journal: j}.statement(node)
}

func (c *Catalog) copy() *Catalog {
	if c == nil {
		return &Catalog{}
	}
	n := *c
	return &n
}

// replay applies one statement to a private copy of the catalog.
type replay struct {
	*Catalog
	st *migration.Statement
	// batch lets the statement's own updates share the nodes they copy.
	batch *edit
	// journal keeps the relations as they were before the statement (nil: no one asks).
	journal *journal
}

// relOwner is whom the statement's copies of relations belong to: the batch, or the
// statement alone when a journal keeps the versions before it.
func (r replay) relOwner() *edit {
	if r.journal != nil {
		return r.journal.owner
	}
	return r.batch
}

// statement dispatches on the statement kind; false when it changes nothing.
func (r replay) statement(n *pg.Node) bool {
	switch {
	case n.GetCreateSchemaStmt() != nil:
		r.createSchema(n.GetCreateSchemaStmt())
	case n.GetCreateStmt() != nil:
		r.createTable(n.GetCreateStmt())
	case n.GetCreateTableAsStmt() != nil:
		r.createTableAs(n.GetCreateTableAsStmt())
	case n.GetSelectStmt() != nil:
		return r.selectStmt(n.GetSelectStmt())
	case n.GetViewStmt() != nil:
		r.createView(n.GetViewStmt())
	case n.GetIndexStmt() != nil:
		r.createIndex(n.GetIndexStmt())
	case n.GetAlterTableStmt() != nil:
		r.alterTable(n.GetAlterTableStmt())
	case n.GetRenameStmt() != nil:
		r.rename(n.GetRenameStmt())
	case n.GetDropStmt() != nil:
		r.drop(n.GetDropStmt())
	case n.GetAlterObjectSchemaStmt() != nil:
		r.setSchema(n.GetAlterObjectSchemaStmt())
	case n.GetCreateSeqStmt() != nil:
		r.createSequence(n.GetCreateSeqStmt())
	case n.GetAlterSeqStmt() != nil:
		r.alterSequence(n.GetAlterSeqStmt())
	case n.GetCreateEnumStmt() != nil:
		r.createEnum(n.GetCreateEnumStmt())
	case n.GetAlterEnumStmt() != nil:
		r.alterEnum(n.GetAlterEnumStmt())
	case n.GetCreateDomainStmt() != nil:
		r.createType(ListName(n.GetCreateDomainStmt().Domainname), Domain)
	case n.GetCompositeTypeStmt() != nil:
		r.createType(RangeVarName(n.GetCompositeTypeStmt().Typevar), Composite)
	case n.GetCreateRangeStmt() != nil:
		r.createType(ListName(n.GetCreateRangeStmt().TypeName), OtherType)
	case n.GetVariableSetStmt() != nil:
		return r.setVariable(n.GetVariableSetStmt())
	case n.GetAlterDatabaseSetStmt() != nil:
		return r.setSessionDefault(n.GetAlterDatabaseSetStmt().Setstmt)
	case n.GetAlterRoleSetStmt() != nil:
		return r.setSessionDefault(n.GetAlterRoleSetStmt().Setstmt)
	case n.GetInsertStmt() != nil:
		r.written(RangeVarName(n.GetInsertStmt().Relation))
	case n.GetCopyStmt() != nil:
		cs := n.GetCopyStmt()
		if !cs.IsFrom || cs.Relation == nil {
			return false
		}
		r.written(RangeVarName(cs.Relation))
	case n.GetCreateFunctionStmt() != nil:
		r.createFunction(n.GetCreateFunctionStmt())
	case n.GetDoStmt() != nil:
		r.doBlock(n.GetDoStmt())
	case n.GetCallStmt() != nil:
		r.call(n.GetCallStmt().GetFunccall())
	default:
		return false
	}
	return true
}

// putRel stores a relation under its ID and name.
func (r replay) putRel(rel *Relation) {
	if rel.ID == 0 {
		r.lastID++
		rel.ID = r.lastID
	}
	rel.owner = r.relOwner()
	k := rel.Name.key()
	if rel.Name.Schema == tempSchema && !hasID(r.temps, rel.ID) {
		r.temps = appendID(r.temps, rel.ID)
	}
	r.rels = r.rels.setIn(r.batch, rel.ID.key(), rel)
	r.names = r.names.setIn(r.batch, k, rel.ID)
	r.dropped = r.dropped.deleteIn(r.batch, k)
	r.changed(rel.ID)
}

// changed records that a relation changed in this file.
func (r replay) changed(id ID) {
	if r.batch != nil && r.batch.untracked {
		return
	}
	if r.changes == nil || r.changes.id != id {
		r.changes = &change{id: id, next: r.changes}
	}
}

// delRel removes a relation, remembering its name as known absent.
func (r replay) delRel(rel *Relation) {
	if r.journal != nil {
		if cur, ok := r.rel(rel.ID); ok {
			r.journal.keep(cur)
		}
	}
	r.rels = r.rels.deleteIn(r.batch, rel.ID.key())
	r.changed(rel.ID)
	k := rel.Name.key()
	if id, ok := r.names.Get(k); ok && id == rel.ID {
		r.names = r.names.deleteIn(r.batch, k)
	}
	r.dropped = r.dropped.setIn(r.batch, k, struct{}{})
}

// edit applies fn to a copy of the relation and stores the copy.
func (r replay) edit(id ID, fn func(*Relation)) {
	old, ok := r.rel(id)
	if !ok {
		return
	}
	if old.owner == r.relOwner() && r.batch != nil {
		fn(old) // this edit's own copy: no snapshot sees it
		r.changed(id)
		return
	}
	r.journal.keep(old)
	n := *old
	n.owner = r.relOwner()
	fn(&n)
	r.rels = r.rels.setIn(r.batch, id.key(), &n)
	r.changed(id)
}

// existing returns the relation a statement alters, creating a partial entry for one
// the history never created: the statement ran, so the relation exists.
func (r replay) existing(name Name, kind RelKind) *Relation {
	// lookup searches the path as Resolve does: a relation it finds is the one the
	// resolved name names, found in one pass.
	if id, ok := r.lookup(name); ok {
		if rel, ok := r.rel(id); ok {
			return rel
		}
	}
	name = r.Resolve(name)
	if rel, ok := r.Relation(name); ok {
		return rel
	}
	rel := &Relation{Kind: kind, Name: name, Partial: true}
	if kind == Index {
		rel.Index = &IndexInfo{Valid: true} // its table and columns are unknown
	}
	r.putRel(rel)
	return rel
}

// addReferrer records that by may depend on target.
func (r replay) addReferrer(target, by ID) {
	t, ok := r.rel(target)
	if !ok || target == by || hasID(t.Referrers, by) {
		return
	}
	r.edit(target, func(t *Relation) { t.Referrers = appendID(t.Referrers, by) })
}

// referrers returns the current versions of the relations that may depend on id.
func (r replay) referrers(id ID) []*Relation {
	t, ok := r.rel(id)
	if !ok {
		return nil
	}
	var out []*Relation
	for _, ref := range t.Referrers {
		if o, ok := r.rel(ref); ok {
			out = append(out, o)
		}
	}
	return out
}

// unknownFacts marks a relation being built whose facts the replay cannot list.
func (r replay) unknownFacts(t *Relation) {
	t.Uncertain, t.UncertainSince = true, r.seq
}

// written marks a table rows were added to.
func (r replay) written(name Name) {
	rel, ok := r.Relation(name)
	if !ok || rel.Written {
		return
	}
	r.edit(rel.ID, func(t *Relation) { t.Written = true })
}

// uncertain marks relations an unmodelled statement may have changed.
func (r replay) uncertain(ids ...ID) {
	for _, id := range ids {
		r.edit(id, func(t *Relation) { t.Uncertain, t.UncertainSince, t.Written = true, r.seq, true })
	}
}

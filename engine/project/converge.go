package project

import (
	"slices"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/migsafe/migsafe/engine/migration"
)

// Converged reports whether c and o hold the same schema, every fact alike, but for
// the offsets their objects record (Origin.Offset): o an earlier version's catalog
// after a statement, c this version's after its counterpart. An edit that changed a
// statement's length moves the statements after it, and with them the offsets of
// what they create; nothing else differs when the edit's effects on the catalog have
// died out. Subtrees the two share are equal at once: c was replayed from a snapshot
// of o's, so only the paths the statements since changed are compared. It may answer
// false for equal catalogs (a map of the same keys shaped otherwise), never true for
// different ones.
//
// w, when not nil, carries the relation that differed at the last call from one
// statement to the next: a table the edit renamed stays renamed, and comparing it
// first answers in a lookup instead of a walk of everything changed since.
func (c *Catalog) Converged(o *Catalog, w *Witness) bool {
	if c == o {
		return true
	}
	if c == nil || o == nil {
		return false
	}
	if w != nil && w.rel != "" {
		a, inA := c.rels.Get(w.rel)
		b, inB := o.rels.Get(w.rel)
		if inA != inB || inA && !sameRelation(a, b) {
			return false
		}
		w.rel = ""
	}
	if c.lastID != o.lastID || c.opaque != o.opaque || c.seq != o.seq || !sameOrigin(c.origin, o.origin) ||
		!slices.Equal(c.path, o.path) || !slices.Equal(c.sessionDefault, o.sessionDefault) ||
		!slices.Equal(c.temps, o.temps) || (c.path == nil) != (o.path == nil) ||
		(c.sessionDefault == nil) != (o.sessionDefault == nil) {
		return false
	}
	var differs *string
	if w != nil {
		differs = &w.rel
	}
	if c.rels.n != o.rels.n || !pequal(c.rels.root, o.rels.root, sameRelation, differs) ||
		c.names.n != o.names.n || !pequal(c.names.root, o.names.root, func(a, b ID) bool { return a == b }, nil) ||
		!pequal(c.schemas.root, o.schemas.root, func(a, b *Schema) bool { return a == b || a.Name == b.Name && sameOrigin(a.Origin, b.Origin) }, nil) ||
		!pequal(c.types.root, o.types.root, func(a, b *Type) bool {
			return a == b || a.Kind == b.Kind && a.Name == b.Name && slices.Equal(a.Values, b.Values) && sameOrigin(a.Origin, b.Origin)
		}, nil) ||
		!pequal(c.funcs.root, o.funcs.root, func(a, b *Function) bool { return a == b || a.Name == b.Name && a.Body == b.Body }, nil) ||
		!pequal(c.dropped.root, o.dropped.root, func(struct{}, struct{}) bool { return true }, nil) {
		return false
	}
	// Last, as it walks every change since the shared snapshot: the relations changed
	// since the file began (ChangedSince).
	for a, b := c.changes, o.changes; a != b; a, b = a.next, b.next {
		if a == nil || b == nil || a.id != b.id {
			return false
		}
	}
	return true
}

// A Witness remembers where two catalogs differed (Converged).
type Witness struct{ rel string }

// sameOrigin compares origins but for their offsets (see Converged).
func sameOrigin(a, b Origin) bool { return a.Path == b.Path && a.Seq == b.Seq }

// pequal reports two tries of the same shape with equal entries (eq on values).
// When differs is not nil, the key of an entry whose values differ is put there.
func pequal[V any](a, b *pnode[V], eq func(V, V) bool, differs *string) bool {
	if a == b {
		return true
	}
	if a == nil || b == nil || a.datamap != b.datamap || a.nodemap != b.nodemap ||
		len(a.data) != len(b.data) || len(a.children) != len(b.children) || len(a.bucket) != len(b.bucket) {
		return false
	}
	for i := range a.data {
		if a.data[i].key != b.data[i].key {
			return false
		}
		if !eq(a.data[i].val, b.data[i].val) {
			if differs != nil {
				*differs = a.data[i].key
			}
			return false
		}
	}
	for i := range a.bucket {
		if a.bucket[i].key != b.bucket[i].key || !eq(a.bucket[i].val, b.bucket[i].val) {
			return false
		}
	}
	for i := range a.children {
		if !pequal(a.children[i], b.children[i], eq, differs) {
			return false
		}
	}
	return true
}

// sameRelation compares every field a rule or a later replay reads; the edit and
// shared-tail bookkeeping are how the relation was built, not what it holds.
func sameRelation(a, b *Relation) bool {
	if a == b {
		return true
	}
	if a.ID != b.ID || a.Kind != b.Kind || a.Name != b.Name || a.Partial != b.Partial || !sameOrigin(a.Origin, b.Origin) ||
		a.FromQuery != b.FromQuery || a.Written != b.Written || a.Uncertain != b.Uncertain || a.UncertainSince != b.UncertainSince ||
		a.Parent != b.Parent || !slices.Equal(a.Indexes, b.Indexes) || !slices.Equal(a.Uses, b.Uses) ||
		!slices.Equal(a.UsesColumns, b.UsesColumns) || !slices.Equal(a.Referrers, b.Referrers) ||
		len(a.Columns) != len(b.Columns) || len(a.Constraints) != len(b.Constraints) ||
		!slices.EqualFunc(a.Outputs, b.Outputs, func(x, y *Column) bool { return x == y || x.Name == y.Name && sameNode(x.Type, y.Type) }) {
		return false
	}
	if (a.Index == nil) != (b.Index == nil) || a.Index != nil && !sameIndex(a.Index, b.Index) {
		return false
	}
	if (a.OwnedBy == nil) != (b.OwnedBy == nil) || a.OwnedBy != nil && *a.OwnedBy != *b.OwnedBy {
		return false
	}
	for i, ca := range a.Columns {
		cb := b.Columns[i]
		if ca != cb && (ca.Name != cb.Name || ca.NotNull != cb.NotNull || ca.Identity != cb.Identity || ca.Generated != cb.Generated ||
			!sameOrigin(ca.Origin, cb.Origin) || ca.TypeAt != cb.TypeAt || ca.Collation != cb.Collation ||
			ca.NotNullAt != cb.NotNullAt ||
			!sameNode(ca.Type, cb.Type) || !sameNode(ca.Default, cb.Default)) {
			return false
		}
	}
	for i, ka := range a.Constraints {
		kb := b.Constraints[i]
		if ka != kb && (ka.Name != kb.Name || ka.Kind != kb.Kind || !slices.Equal(ka.Columns, kb.Columns) ||
			ka.Validated != kb.Validated || ka.ValidatedAt != kb.ValidatedAt || ka.References != kb.References ||
			!slices.Equal(ka.RefColumns, kb.RefColumns) || ka.NotNullColumn != kb.NotNullColumn || ka.Index != kb.Index ||
			!sameOrigin(ka.Origin, kb.Origin)) {
			return false
		}
	}
	return true
}

func sameIndex(a, b *IndexInfo) bool {
	return a == b || a.Table == b.Table && slices.Equal(a.Columns, b.Columns) && slices.Equal(a.Uses, b.Uses) &&
		a.Unique == b.Unique && a.Primary == b.Primary && a.Valid == b.Valid && a.Partial == b.Partial && a.Constraint == b.Constraint
}

// sameNode compares parse trees (a column's type or default) but for their locations,
// which are offsets in the file like Origin.Offset: the same pointer when the parse
// cache served both versions the same statement text.
func sameNode[T proto.Message](a, b T) bool {
	return any(a) == any(b) || sameMessage(a.ProtoReflect(), b.ProtoReflect())
}

func sameMessage(a, b protoreflect.Message) bool {
	if a.IsValid() != b.IsValid() {
		return false
	}
	if !a.IsValid() {
		return true
	}
	fields := a.Descriptor().Fields()
	for i := 0; i < fields.Len(); i++ {
		fd := fields.Get(i)
		if fd.Name() == "location" {
			continue
		}
		if a.Has(fd) != b.Has(fd) {
			return false
		}
		if !a.Has(fd) {
			continue
		}
		if !sameValue(fd, a.Get(fd), b.Get(fd)) {
			return false
		}
	}
	return true
}

func sameValue(fd protoreflect.FieldDescriptor, a, b protoreflect.Value) bool {
	switch {
	case fd.IsList():
		la, lb := a.List(), b.List()
		if la.Len() != lb.Len() {
			return false
		}
		for i := 0; i < la.Len(); i++ {
			if !sameScalar(fd, la.Get(i), lb.Get(i)) {
				return false
			}
		}
		return true
	case fd.IsMap():
		return false // the parse tree has none; never equal rather than unexamined
	}
	return sameScalar(fd, a, b)
}

func sameScalar(fd protoreflect.FieldDescriptor, a, b protoreflect.Value) bool {
	if fd.Kind() == protoreflect.MessageKind || fd.Kind() == protoreflect.GroupKind {
		return sameMessage(a.Message(), b.Message())
	}
	return a.Equal(b)
}

// WithMovedOrigins is c marked as holding offsets (Origin.Offset) of an earlier
// version of its file, whose statements have moved since: an analysis that converged
// kept the earlier analysis's catalogs (see Converged). Only irreversible-down-
// migration reads the offsets, and only of a file with a down, whose analysis does
// not start from such a catalog (History.WithoutMovedOrigins). What is replayed from
// c keeps the mark.
func (c *Catalog) WithMovedOrigins() *Catalog {
	if c == nil || c.movedOrigins {
		return c
	}
	n := c.copy()
	n.movedOrigins = true
	return n
}

// WithoutMovedOrigins is h without the catalogs after statements (WithSteps) that
// hold moved offsets (WithMovedOrigins): for a file with a down.
func (h *History) WithoutMovedOrigins() *History {
	if h == nil {
		return nil
	}
	moved := false
	for _, c := range h.steps {
		moved = moved || c.movedOrigins
	}
	if !moved {
		return h
	}
	keep := make(map[*migration.Statement]*Catalog, len(h.steps))
	for st, c := range h.steps {
		if !c.movedOrigins {
			keep[st] = c
		}
	}
	return h.WithSteps(keep)
}

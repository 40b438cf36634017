package project

// Removal is something a statement removed from the catalog: a relation, or a column
// of a relation that is still there.
type Removal struct {
	Rel    *Relation // as it was before the statement
	Column *Column   // nil when Rel itself was removed
}

// removals lists what the relations ids lost between their versions before (absent:
// made since) and next.
func removals(ids []ID, before map[ID]*Relation, next *Catalog) []Removal {
	var out []Removal
	for _, id := range ids {
		r, was := before[id]
		if !was {
			continue
		}
		nr, ok := next.rel(id)
		switch {
		case !ok:
			out = append(out, Removal{Rel: r})
		case nr != r:
			for _, col := range r.Columns {
				if _, still := nr.Column(col.Name); still || renamedColumn(nr, col) {
					continue
				}
				out = append(out, Removal{Rel: r, Column: col})
			}
		}
	}
	return out
}

// renamedColumn reports a column of t that is col under another name: a rename keeps
// everything but the name.
func renamedColumn(t *Relation, col *Column) bool {
	for _, c := range t.Columns {
		if c.Name != col.Name && c.Origin == col.Origin && c.Type == col.Type {
			return true
		}
	}
	return false
}

package project

import "github.com/migsafe/migsafe/engine/migration"

// History is a migration's place in its set: the set, the file's index in it, the
// catalog the earlier migrations leave, and which of them are pending.
type History struct {
	Set   *Set
	Index int
	// Before is the catalog before the file's first statement.
	Before  *Catalog
	Pending *Pending
	// steps are the catalogs after each statement of the file, when the replay kept them.
	steps map[*migration.Statement]*Catalog
}

// After returns the catalog after st, when the replay that made h recorded it (st is
// a statement of the very parse the replay applied); ok is false otherwise.
func (h *History) After(st *migration.Statement) (*Catalog, bool) {
	if h == nil {
		return nil, false
	}
	c, ok := h.steps[st]
	return c, ok
}

// WithSteps is the history with the catalogs after some of the file's statements
// already known (an analysis of the previous version, where the text is unchanged).
func (h *History) WithSteps(steps map[*migration.Statement]*Catalog) *History {
	n := *h
	n.steps = steps
	return &n
}

// WithoutSet is h without its migration set, for a result kept after its analysis:
// the language server keeps one per open document, and each opened buffer lists its
// directory again, so every kept result holding its own listing grows with the square
// of the open files.
func (h *History) WithoutSet() *History {
	if h == nil {
		return nil
	}
	n := *h
	n.Set = nil
	return &n
}

// Forget drops the catalogs after each statement once the analysis that shares them
// is done: a result keeps its History, and they would keep every snapshot alive.
func (h *History) Forget() {
	// Only a history that holds steps is written: the batch shares one History between
	// the jobs at one place in a set (a migration's up and down files), analysed side
	// by side, and those hold none.
	if h != nil && h.steps != nil {
		h.steps = nil
	}
}

// Describe says where an object came from, for hover and messages: "created by
// 0003_users.up.sql (pending: not deployed yet)", or "" when the history did not
// create it.
func (h *History) Describe(o Origin) string {
	if o.Path == "" {
		return ""
	}
	s := "created by " + o.Path
	if h != nil && h.Pending.Is(o.Path) {
		s += " (pending: not deployed yet)"
	}
	return s
}

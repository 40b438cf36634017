package project

import "sync"

// columnTail lets the per-statement snapshots of a table share one append-only backing
// array of columns, so ADD COLUMN costs O(1) instead of a copy of the table's columns
// (a file adding a column per statement would otherwise replay in quadratic time and
// memory). A snapshot's Columns is a prefix of the array; slots past the longest prefix
// handed out (last) are free. Only a slice equal to last may append in place: an older
// snapshot extended again (the language server replaying an edited file from a reused
// catalog) copies, so no snapshot ever sees its columns change.
type columnTail struct {
	mu   sync.Mutex // snapshots may be replayed from concurrently
	last []*Column
}

// appendColumn returns cols with c appended and the tail that now owns the result.
func (t *columnTail) appendColumn(cols []*Column, c *Column) ([]*Column, *columnTail) {
	if t != nil {
		t.mu.Lock()
		defer t.mu.Unlock()
		if len(cols) == len(t.last) && len(cols) < cap(cols) && cap(cols) == cap(t.last) &&
			&cols[:cap(cols)][0] == &t.last[:cap(t.last)][0] {
			t.last = append(cols, c)
			return t.last, t
		}
	}
	n := make([]*Column, len(cols), 2*len(cols)+1)
	copy(n, cols)
	n = append(n, c)
	return n, &columnTail{last: n}
}

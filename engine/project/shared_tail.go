package project

import "sync"

// sharedTail lets the per-statement snapshots of a table share one append-only backing
// array of its columns (or index IDs), so ADD COLUMN or CREATE INDEX costs O(1) instead of
// a copy of the table's list (a file adding one per statement would otherwise replay in
// quadratic time and memory). A snapshot's list is a prefix of the array; slots past the longest prefix
// handed out (last) are free. Only a slice equal to last may append in place: an older
// snapshot extended again (the language server replaying an edited file from a reused
// catalog) copies, so no snapshot ever sees its columns change.
type sharedTail[T any] struct {
	mu   sync.Mutex // snapshots may be replayed from concurrently
	last []T
}

// appendTo returns cols with c appended and the tail that now owns the result.
func (t *sharedTail[T]) appendTo(cols []T, c T) ([]T, *sharedTail[T]) {
	if t != nil {
		t.mu.Lock()
		defer t.mu.Unlock()
		if len(cols) == len(t.last) && len(cols) < cap(cols) && cap(cols) == cap(t.last) &&
			&cols[:cap(cols)][0] == &t.last[:cap(t.last)][0] {
			t.last = append(cols, c)
			return t.last, t
		}
	}
	n := make([]T, len(cols), 2*len(cols)+1)
	copy(n, cols)
	n = append(n, c)
	return n, &sharedTail[T]{last: n}
}

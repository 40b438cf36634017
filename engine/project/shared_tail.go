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
	// byName maps a name to its first position in last, once a lookup in a long list
	// asked for it (nameOf gives an element's name): every snapshot sharing the array
	// is a prefix of last, so a position below a snapshot's length is in it, and any
	// other is not. Appends in place keep it up.
	byName map[string]int
	nameOf func(T) string
}

// indexedMin is the length from which lookups by name go through byName rather than
// a scan: a table with a column per statement of a large file would make every
// statement scan them all.
const indexedMin = 64

// appendTo returns cols with c appended and the tail that now owns the result.
func (t *sharedTail[T]) appendTo(cols []T, c T) ([]T, *sharedTail[T]) {
	if t != nil {
		t.mu.Lock()
		defer t.mu.Unlock()
		if t.owns(cols) && len(cols) < cap(cols) {
			t.last = append(cols, c)
			if t.byName != nil {
				if _, dup := t.byName[t.nameOf(c)]; !dup {
					t.byName[t.nameOf(c)] = len(cols)
				}
			}
			return t.last, t
		}
	}
	n := make([]T, len(cols), 2*len(cols)+1)
	copy(n, cols)
	n = append(n, c)
	return n, &sharedTail[T]{last: n}
}

// owns reports whether list is last itself (same array, same length); t.mu is held.
func (t *sharedTail[T]) owns(list []T) bool {
	return len(list) == len(t.last) && cap(list) == cap(t.last) && cap(list) > 0 &&
		&list[:cap(list)][0] == &t.last[:cap(t.last)][0]
}

// find looks name up in list through the index; ok is false when list is not a view
// of t's array (or too short to index), and the caller scans it.
func (t *sharedTail[T]) find(list []T, name string, nameOf func(T) string) (i int, found, ok bool) {
	if t == nil || len(list) < indexedMin {
		return 0, false, false
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(list) > len(t.last) || cap(list) != cap(t.last) || &list[:cap(list)][0] != &t.last[:cap(t.last)][0] {
		return 0, false, false
	}
	if t.byName == nil {
		t.byName, t.nameOf = make(map[string]int, len(t.last)), nameOf
		for i, x := range t.last {
			if _, dup := t.byName[nameOf(x)]; !dup {
				t.byName[nameOf(x)] = i
			}
		}
	}
	i, found = t.byName[name]
	return i, found && i < len(list), true
}

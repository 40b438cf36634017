package project

import (
	"fmt"
	"testing"
)

// TestColumnTailKeepsSnapshots: appending to an older snapshot's columns (a reused
// catalog replayed again) must not change a newer snapshot sharing its array.
func TestColumnTailKeepsSnapshots(t *testing.T) {
	a, b, c, d := &Column{Name: "a"}, &Column{Name: "b"}, &Column{Name: "c"}, &Column{Name: "d"}
	s1, _ := (*sharedTail[*Column])(nil).appendTo(nil, a)
	s2, t2 := (*sharedTail[*Column])(nil).appendTo(s1, b) // cap 3
	s3, t3 := t2.appendTo(s2, c)
	if t3 != t2 || &s3[0] != &s2[0] {
		t.Fatalf("newest snapshot did not append in place")
	}
	s4, _ := t3.appendTo(s2, d) // older snapshot extended again
	if len(s2) != 2 || s3[2] != c || s4[2] != d || &s4[0] == &s3[0] {
		t.Fatalf("snapshots changed: s3[2]=%s s4[2]=%s", s3[2].Name, s4[2].Name)
	}
}

// TestColumnLookupIndexed: a long column list is looked up through the tail's index,
// and each snapshot sees only its own prefix (a column added after it is absent), as a
// scan would; a list copied away from the tail (an edited column) is scanned.
func TestColumnLookupIndexed(t *testing.T) {
	var cols []*Column
	var tail *sharedTail[*Column]
	var snaps [][]*Column
	for i := 0; i < 3*indexedMin; i++ {
		cols, tail = tail.appendTo(cols, &Column{Name: fmt.Sprintf("c_%d", i)})
		snaps = append(snaps, cols)
	}
	for n, s := range snaps {
		r := &Relation{Columns: s, columnTail: tail}
		for _, i := range []int{0, n, n + 1, 3*indexedMin - 1} {
			name := fmt.Sprintf("c_%d", i)
			col, ok := r.Column(name)
			if want := i <= n; ok != want || ok && col.Name != name {
				t.Fatalf("snapshot of %d columns: Column(%s) = %v, %v; want found %v", len(s), name, col, ok, want)
			}
		}
	}
	edited := append([]*Column(nil), cols...)
	edited[5] = &Column{Name: "renamed"}
	r := &Relation{Columns: edited, columnTail: tail}
	if _, ok := r.Column("renamed"); !ok {
		t.Fatal("a list copied away from its tail is not scanned")
	}
	if _, ok := r.Column("c_5"); ok {
		t.Fatal("a list copied away from its tail answered from the tail's index")
	}
}

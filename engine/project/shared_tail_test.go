package project

import "testing"

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

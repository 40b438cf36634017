package project

import "testing"

// TestColumnTailKeepsSnapshots: appending to an older snapshot's columns (a reused
// catalog replayed again) must not change a newer snapshot sharing its array.
func TestColumnTailKeepsSnapshots(t *testing.T) {
	a, b, c := &Column{Name: "a"}, &Column{Name: "b"}, &Column{Name: "c"}
	s1, t1 := (*columnTail)(nil).appendColumn(nil, a)
	s2, t2 := t1.appendColumn(s1, b)
	if t2 != t1 {
		t.Fatalf("newest snapshot did not append in place")
	}
	s3, _ := t2.appendColumn(s1, c) // older snapshot extended again
	if len(s1) != 1 || s2[1] != b || s3[1] != c || len(s3) != 2 {
		t.Fatalf("snapshots changed: s1=%d s2[1]=%s s3[1]=%s", len(s1), s2[1].Name, s3[1].Name)
	}
}

package estimate

import (
	"testing"
	"time"
)

func TestRangeString(t *testing.T) {
	cases := []struct {
		r    Range
		want string
	}{
		{Range{100 * time.Millisecond, 900 * time.Millisecond}, "under a second"},
		{Range{2 * time.Second, 9 * time.Second}, "about 2-9 s"},
		{Range{50 * time.Second, 200 * time.Second}, "about 50 s to 3 min"},
		{Range{4 * time.Minute, 12 * time.Minute}, "about 4-12 min"},
		{Range{90 * time.Minute, 5 * time.Hour}, "about 90 min to 5 h"},
	}
	for _, c := range cases {
		if got := c.r.String(); got != c.want {
			t.Errorf("%v: %q, want %q", c.r, got, c.want)
		}
	}
}

func TestForScalesWithRows(t *testing.T) {
	small, large := For(Rewrite, 1_000), For(Rewrite, 50_000_000)
	if !(small.Max < large.Min) || large.Min > large.Max {
		t.Errorf("small %v large %v", small, large)
	}
	if Rows(50_000_000) != "50M" || Rows(1_500) != "1500" || Rows(12_300) != "12.3k" {
		t.Errorf("Rows: %s %s %s", Rows(50_000_000), Rows(1_500), Rows(12_300))
	}
}

func TestEveryWorkHasAThroughput(t *testing.T) {
	for w := Rewrite; w <= BulkCopy; w++ {
		tp, ok := Defaults[w]
		if !ok || tp.Slow <= 0 || tp.Slow > tp.Fast {
			t.Errorf("%s: throughput %+v", w, tp)
		}
	}
	if r := For(None, 1_000_000); r.Max != 0 {
		t.Errorf("no work takes %v", r)
	}
}

package engine

// EditsOverlap reports whether any edit of add is out of range or overlaps one of kept.
// Two insertions at the same offset overlap too: their order would be arbitrary.
func EditsOverlap(kept, add []Edit, size int) bool {
	for i, e := range add {
		if e.Start < 0 || e.End < e.Start || e.End > size {
			return true
		}
		for _, k := range append(kept[:len(kept):len(kept)], add[:i]...) {
			if e.Start < k.End && k.Start < e.End || e.Start == k.Start {
				return true
			}
		}
	}
	return false
}

// ApplyEdits applies non-overlapping edits sorted by Start.
func ApplyEdits(text string, edits []Edit) string {
	var out []byte
	last := 0
	for _, e := range edits {
		out = append(out, text[last:e.Start]...)
		out = append(out, e.NewText...)
		last = e.End
	}
	return string(append(out, text[last:]...))
}

package migration

import "reflect"

// SameStatement compares two statements field by field, their trees by value (two
// parses of the same text hold trees and flat forms of their own).
func SameStatement(a, b *Statement) bool {
	if !reflect.DeepEqual(a.Node(), b.Node()) {
		return false
	}
	ca, cb := *a, *b
	ca.node, cb.node, ca.flat, cb.flat = treeRef{}, treeRef{}, nil, nil
	return reflect.DeepEqual(&ca, &cb)
}

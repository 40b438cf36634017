package project

import (
	"hash/maphash"
	"math/bits"
)

// pmap is a persistent map from strings to V: Set and Delete return a new map and
// leave the old one as it was, sharing every part they did not change. It is a hash
// array mapped trie (32 ways per level), so an update copies O(log n) small nodes.
// That is what lets the replay keep the catalog before every migration of a
// thousand-file history for the cost of the changes, not of a copy per file.
type pmap[V any] struct {
	root *pnode[V]
	n    int
}

type pentry[V any] struct {
	key   string
	val   V
	child *pnode[V] // set for a subtree; key and val are unused then
}

type pnode[V any] struct {
	// owner is the edit that created the node: that edit may change it in place
	// (no other snapshot can see it yet); every other update copies it.
	owner   *edit
	bitmap  uint32
	entries []pentry[V] // one per set bit, in bit order
	// bucket holds keys whose hashes are equal in every bit (only below the last level).
	bucket []pentry[V]
}

// edit identifies one batch of updates (one statement's replay): nodes it creates are
// private to it until it ends, so its later updates change them in place instead of
// copying the path again.
type edit struct{ _ byte }

var pseed = maphash.MakeSeed()

const (
	pbits   = 5
	plevels = 64 / pbits // levels that still have hash bits; below them, buckets
)

func phash(k string) uint64 { return maphash.String(pseed, k) }

// Len is the number of keys.
func (m pmap[V]) Len() int { return m.n }

// Get returns the value of k.
func (m pmap[V]) Get(k string) (V, bool) {
	var zero V
	n, h := m.root, phash(k)
	for level := 0; n != nil; level++ {
		if level >= plevels {
			for _, e := range n.bucket {
				if e.key == k {
					return e.val, true
				}
			}
			return zero, false
		}
		bit := uint32(1) << ((h >> (pbits * level)) & 31)
		if n.bitmap&bit == 0 {
			return zero, false
		}
		e := n.entries[bits.OnesCount32(n.bitmap&(bit-1))]
		if e.child == nil {
			if e.key == k {
				return e.val, true
			}
			return zero, false
		}
		n = e.child
	}
	return zero, false
}

// Set returns the map with k bound to v.
func (m pmap[V]) Set(k string, v V) pmap[V] { return m.setIn(nil, k, v) }

// setIn is Set within edit e (nil: a one-off update).
func (m pmap[V]) setIn(e *edit, k string, v V) pmap[V] {
	root, added := pset(e, m.root, 0, phash(k), k, v)
	if added {
		m.n++
	}
	m.root = root
	return m
}

func pset[V any](e *edit, n *pnode[V], level int, h uint64, k string, v V) (*pnode[V], bool) {
	if n == nil {
		n = &pnode[V]{owner: e}
	}
	mine := e != nil && n.owner == e
	c := n
	if !mine {
		c = &pnode[V]{owner: e, bitmap: n.bitmap}
	}
	if level >= plevels {
		if !mine {
			c.bucket = append([]pentry[V](nil), n.bucket...)
		}
		for i, e := range c.bucket {
			if e.key == k {
				c.bucket[i].val = v
				return c, false
			}
		}
		c.bucket = append(c.bucket, pentry[V]{key: k, val: v})
		return c, true
	}
	bit := uint32(1) << ((h >> (pbits * level)) & 31)
	i := bits.OnesCount32(n.bitmap & (bit - 1))
	if n.bitmap&bit == 0 {
		c.bitmap |= bit
		entries := make([]pentry[V], 0, len(n.entries)+1)
		entries = append(entries, n.entries[:i]...)
		entries = append(entries, pentry[V]{key: k, val: v})
		c.entries = append(entries, n.entries[i:]...)
		return c, true
	}
	if !mine {
		c.entries = append([]pentry[V](nil), n.entries...)
	}
	old := n.entries[i]
	switch {
	case old.child != nil:
		child, added := pset(e, old.child, level+1, h, k, v)
		c.entries[i] = pentry[V]{child: child}
		return c, added
	case old.key == k:
		c.entries[i].val = v
		return c, false
	}
	// Two keys share this slot: push both one level down.
	child, _ := pset[V](e, nil, level+1, phash(old.key), old.key, old.val)
	child, _ = pset(e, child, level+1, h, k, v)
	c.entries[i] = pentry[V]{child: child}
	return c, true
}

// Delete returns the map without k.
func (m pmap[V]) Delete(k string) pmap[V] { return m.deleteIn(nil, k) }

// deleteIn is Delete within edit e (nil: a one-off update).
func (m pmap[V]) deleteIn(e *edit, k string) pmap[V] {
	root, removed := pdelete(e, m.root, 0, phash(k), k)
	if removed {
		m.n--
		m.root = root
	}
	return m
}

func pdelete[V any](e *edit, n *pnode[V], level int, h uint64, k string) (*pnode[V], bool) {
	if n == nil {
		return nil, false
	}
	mine := e != nil && n.owner == e
	if level >= plevels {
		for i, x := range n.bucket {
			if x.key == k {
				c := &pnode[V]{owner: e, bucket: make([]pentry[V], 0, len(n.bucket)-1)}
				c.bucket = append(c.bucket, n.bucket[:i]...)
				c.bucket = append(c.bucket, n.bucket[i+1:]...)
				return c, true
			}
		}
		return n, false
	}
	bit := uint32(1) << ((h >> (pbits * level)) & 31)
	if n.bitmap&bit == 0 {
		return n, false
	}
	i := bits.OnesCount32(n.bitmap & (bit - 1))
	x := n.entries[i]
	if x.child != nil {
		child, removed := pdelete(e, x.child, level+1, h, k)
		if !removed {
			return n, false
		}
		c := n
		if !mine {
			c = &pnode[V]{owner: e, bitmap: n.bitmap, entries: append([]pentry[V](nil), n.entries...)}
		}
		if child.empty() {
			return c.without(e, bit, i), true
		}
		c.entries[i] = pentry[V]{child: child}
		return c, true
	}
	if x.key != k {
		return n, false
	}
	return n.without(e, bit, i), true
}

// without is the node less entry i (bit); in place when edit e owns it.
func (n *pnode[V]) without(e *edit, bit uint32, i int) *pnode[V] {
	if e != nil && n.owner == e {
		n.bitmap &^= bit
		n.entries = append(n.entries[:i], n.entries[i+1:]...)
		return n
	}
	c := &pnode[V]{owner: e, bitmap: n.bitmap &^ bit, entries: make([]pentry[V], 0, len(n.entries)-1)}
	c.entries = append(c.entries, n.entries[:i]...)
	c.entries = append(c.entries, n.entries[i+1:]...)
	return c
}

func (n *pnode[V]) empty() bool { return len(n.entries) == 0 && len(n.bucket) == 0 }

// Range calls fn for every key until it returns false, in no particular order.
func (m pmap[V]) Range(fn func(string, V) bool) {
	prange(m.root, fn)
}

func prange[V any](n *pnode[V], fn func(string, V) bool) bool {
	if n == nil {
		return true
	}
	for _, e := range n.entries {
		if e.child != nil {
			if !prange(e.child, fn) {
				return false
			}
		} else if !fn(e.key, e.val) {
			return false
		}
	}
	for _, e := range n.bucket {
		if !fn(e.key, e.val) {
			return false
		}
	}
	return true
}

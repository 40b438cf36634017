package project

import (
	"hash/maphash"
	"math/bits"
	"strings"
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

// A node keeps its keys and its subtrees apart (CHAMP, Steindorfer and Vinju): data
// holds the entries of the set bits of datamap, children the subtrees of nodemap's,
// each in bit order. An update copies only the slice it changes on the way down: a
// node on the path copies its children (8 bytes a slot), and shares its entries.
type pentry[V any] struct {
	key string
	val V
}

type pnode[V any] struct {
	// owner is the edit that created the node: that edit may change it in place
	// (no other snapshot can see it yet); every other update copies it.
	owner             *edit
	datamap, nodemap  uint32
	data              []pentry[V]
	children          []*pnode[V]
	ownData, ownChild bool // data (children) is the node's own, not an older node's
	// bucket holds keys whose hashes are equal in every bit (only below the last level).
	bucket []pentry[V]
}

// edit identifies one batch of updates (one statement's replay): nodes it creates are
// private to it until it ends, so its later updates change them in place instead of
// copying the path again.
type edit struct {
	// untracked edits record no changes (Catalog.ChangedSince): the set replay's,
	// whose catalogs' changes no one lists (each file begins with none).
	untracked bool
}

var pseed = maphash.MakeSeed()

const (
	pbits   = 5
	plevels = 64 / pbits // levels that still have hash bits; below them, buckets
)

// phash hashes a key. A key of at most 4 bytes, as every relation ID's is (ID.key), is
// its own hash (its low 15 bits reordered), its length included so that no two such
// keys collide: IDs are handed out in sequence, so their bits spread them over the
// trie evenly, and the most frequent lookup of the replay and the rules skips hashing. A longer key holding a
// NUL is a Name's (Name.key: schema NUL name), hashed part by part so that a lookup by
// name (getName) need not build the key.
func phash(k string) uint64 {
	if len(k) <= 4 {
		h := uint64(len(k)) << 32
		for i := 0; i < len(k); i++ {
			h |= uint64(k[i]) << (8 * (len(k) - 1 - i))
		}
		// The trie's top levels take the middle bits (10-14, then 5-9) and the third
		// the lowest: the relations one stretch of statements creates, whose IDs are
		// consecutive, then share their paths, so a snapshot taken every few
		// statements (KeepSteps) copies a handful of nodes, not one path per ID. A
		// permutation of the bits: such keys still never collide.
		return h&^0x7fff | h>>10&31 | (h>>5&31)<<5 | (h&31)<<10
	}
	if i := strings.IndexByte(k, 0); i >= 0 {
		return pnameHash(k[:i], k[i+1:])
	}
	return maphash.String(pseed, k)
}

func pnameHash(schema, name string) uint64 {
	return maphash.String(pseed, schema)*0x9e3779b97f4a7c15 ^ maphash.String(pseed, name)
}

// Len is the number of keys.
func (m pmap[V]) Len() int { return m.n }

// Get returns the value of k.
func (m pmap[V]) Get(k string) (V, bool) { return pget(m, phash(k), k, Name{}, false) }

// getName is Get(n.key()) without building the key.
func (m pmap[V]) getName(n Name) (V, bool) {
	if len(n.Schema)+1+len(n.Name) <= 4 || strings.IndexByte(n.Schema, 0) >= 0 {
		return m.Get(n.key()) // its own hash, or hashed at another NUL than the separator
	}
	return pget(m, pnameHash(n.Schema, n.Name), "", n, true)
}

// pget returns the value of the key whose hash is h: k, or with byName n's key.
func pget[V any](m pmap[V], h uint64, k string, n Name, byName bool) (V, bool) {
	is := func(key string) bool {
		if byName {
			return len(key) == len(n.Schema)+1+len(n.Name) && key[len(n.Schema)] == 0 &&
				key[:len(n.Schema)] == n.Schema && key[len(n.Schema)+1:] == n.Name
		}
		return key == k
	}
	var zero V
	node := m.root
	for level := 0; node != nil; level++ {
		if level >= plevels {
			for _, e := range node.bucket {
				if is(e.key) {
					return e.val, true
				}
			}
			return zero, false
		}
		bit := uint32(1) << ((h >> (pbits * level)) & 31)
		if node.datamap&bit != 0 {
			if e := node.data[bits.OnesCount32(node.datamap&(bit-1))]; is(e.key) {
				return e.val, true
			}
			return zero, false
		}
		if node.nodemap&bit == 0 {
			return zero, false
		}
		node = node.children[bits.OnesCount32(node.nodemap&(bit-1))]
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

// mutable returns n itself when edit e owns it, else a copy owned by e that shares
// n's slices until it writes them.
func (n *pnode[V]) mutable(e *edit) *pnode[V] {
	if n == nil {
		return &pnode[V]{owner: e, ownData: true, ownChild: true}
	}
	if e != nil && n.owner == e {
		return n
	}
	return &pnode[V]{owner: e, datamap: n.datamap, nodemap: n.nodemap, data: n.data, children: n.children, bucket: n.bucket}
}

// writeData makes the node's entries its own, to change them in place.
func (n *pnode[V]) writeData(extra int) {
	if !n.ownData {
		d := make([]pentry[V], len(n.data), len(n.data)+extra)
		copy(d, n.data)
		n.data, n.ownData = d, true
	}
}

// writeChildren makes the node's subtrees its own.
func (n *pnode[V]) writeChildren(extra int) {
	if !n.ownChild {
		c := make([]*pnode[V], len(n.children), len(n.children)+extra)
		copy(c, n.children)
		n.children, n.ownChild = c, true
	}
}

func pset[V any](e *edit, n *pnode[V], level int, h uint64, k string, v V) (*pnode[V], bool) {
	if level >= plevels {
		var i int
		for i = 0; n != nil && i < len(n.bucket); i++ {
			if n.bucket[i].key == k {
				break
			}
		}
		c := n.mutable(e)
		if c != n || n.bucket == nil {
			c.bucket = append([]pentry[V](nil), c.bucket...)
		}
		if i < len(c.bucket) {
			c.bucket[i].val = v
			return c, false
		}
		c.bucket = append(c.bucket, pentry[V]{key: k, val: v})
		return c, true
	}
	bit := uint32(1) << ((h >> (pbits * level)) & 31)
	c := n.mutable(e)
	switch {
	case c.datamap&bit != 0:
		i := bits.OnesCount32(c.datamap & (bit - 1))
		old := c.data[i]
		if old.key == k {
			c.writeData(0)
			c.data[i].val = v
			return c, false
		}
		// Two keys share this slot: both go one level down.
		child, _ := pset[V](e, nil, level+1, phash(old.key), old.key, old.val)
		child, _ = pset(e, child, level+1, h, k, v)
		c.writeData(0)
		c.data = append(c.data[:i], c.data[i+1:]...)
		c.datamap &^= bit
		c.insertChild(bit, child)
		return c, true
	case c.nodemap&bit != 0:
		j := bits.OnesCount32(c.nodemap & (bit - 1))
		child, added := pset(e, c.children[j], level+1, h, k, v)
		if child != c.children[j] {
			c.writeChildren(0)
			c.children[j] = child
		}
		return c, added
	}
	i := bits.OnesCount32(c.datamap & (bit - 1))
	c.writeData(1)
	c.data = append(c.data, pentry[V]{})
	copy(c.data[i+1:], c.data[i:])
	c.data[i] = pentry[V]{key: k, val: v}
	c.datamap |= bit
	return c, true
}

// insertChild adds a subtree at bit (not set in nodemap), in place.
func (n *pnode[V]) insertChild(bit uint32, child *pnode[V]) {
	j := bits.OnesCount32(n.nodemap & (bit - 1))
	n.writeChildren(1)
	n.children = append(n.children, nil)
	copy(n.children[j+1:], n.children[j:])
	n.children[j] = child
	n.nodemap |= bit
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
	if level >= plevels {
		for i, x := range n.bucket {
			if x.key == k {
				c := n.mutable(e)
				b := make([]pentry[V], 0, len(n.bucket)-1)
				b = append(b, n.bucket[:i]...)
				c.bucket = append(b, n.bucket[i+1:]...)
				return c, true
			}
		}
		return n, false
	}
	bit := uint32(1) << ((h >> (pbits * level)) & 31)
	switch {
	case n.datamap&bit != 0:
		i := bits.OnesCount32(n.datamap & (bit - 1))
		if n.data[i].key != k {
			return n, false
		}
		c := n.mutable(e)
		c.writeData(0)
		c.data = append(c.data[:i], c.data[i+1:]...)
		c.datamap &^= bit
		return c, true
	case n.nodemap&bit != 0:
		j := bits.OnesCount32(n.nodemap & (bit - 1))
		child, removed := pdelete(e, n.children[j], level+1, h, k)
		if !removed {
			return n, false
		}
		c := n.mutable(e)
		c.writeChildren(0)
		if child.empty() {
			c.children = append(c.children[:j], c.children[j+1:]...)
			c.nodemap &^= bit
		} else {
			c.children[j] = child
		}
		return c, true
	}
	return n, false
}

func (n *pnode[V]) empty() bool { return n.datamap == 0 && n.nodemap == 0 && len(n.bucket) == 0 }

// Range calls fn for every key until it returns false, in no particular order.
func (m pmap[V]) Range(fn func(string, V) bool) {
	prange(m.root, fn)
}

func prange[V any](n *pnode[V], fn func(string, V) bool) bool {
	if n == nil {
		return true
	}
	for _, e := range n.data {
		if !fn(e.key, e.val) {
			return false
		}
	}
	for _, c := range n.children {
		if !prange(c, fn) {
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

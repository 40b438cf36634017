package project

import (
	"fmt"
	"math/rand"
	"testing"
)

// The persistent map against a Go map, with every old version checked after later
// updates: a snapshot must never change.
func TestPmapMatchesMap(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	var m pmap[int]
	want := map[string]int{}
	type version struct {
		m    pmap[int]
		want map[string]int
	}
	var versions []version
	for i := 0; i < 20000; i++ {
		k := fmt.Sprintf("k%d", r.Intn(3000))
		if r.Intn(3) == 0 {
			m = m.Delete(k)
			delete(want, k)
		} else {
			m = m.Set(k, i)
			want[k] = i
		}
		if i%997 == 0 {
			cp := map[string]int{}
			for k, v := range want {
				cp[k] = v
			}
			versions = append(versions, version{m, cp})
		}
	}
	versions = append(versions, version{m, want})
	for vi, v := range versions {
		if v.m.Len() != len(v.want) {
			t.Fatalf("version %d: Len %d, want %d", vi, v.m.Len(), len(v.want))
		}
		for k, x := range v.want {
			if got, ok := v.m.Get(k); !ok || got != x {
				t.Fatalf("version %d: Get(%s) = %d, %v; want %d", vi, k, got, ok, x)
			}
		}
		n := 0
		v.m.Range(func(k string, x int) bool {
			n++
			if v.want[k] != x {
				t.Fatalf("version %d: Range gave %s=%d, want %d", vi, k, x, v.want[k])
			}
			return true
		})
		if n != len(v.want) {
			t.Fatalf("version %d: Range visited %d keys, want %d", vi, n, len(v.want))
		}
	}
	if _, ok := m.Get("absent"); ok {
		t.Error("Get of an absent key succeeded")
	}
}

// Updates within one edit change the nodes that edit made in place; a snapshot taken
// before the edit, or by an earlier edit, must not see them.
func TestPmapEditsKeepSnapshots(t *testing.T) {
	var m pmap[int]
	for i := 0; i < 2000; i++ {
		m = m.Set(fmt.Sprintf("k%d", i), i)
	}
	snap := m
	e := &edit{}
	for i := 0; i < 2000; i += 3 {
		m = m.setIn(e, fmt.Sprintf("k%d", i), -i)
		m = m.setIn(e, fmt.Sprintf("new%d", i), i)
		m = m.deleteIn(e, fmt.Sprintf("new%d", i))
		m = m.setIn(e, fmt.Sprintf("new%d", i), i)
	}
	for i := 1; i < 2000; i += 7 {
		m = m.deleteIn(e, fmt.Sprintf("gone%d", i)) // absent: no change
	}
	mid := m
	e2 := &edit{}
	for i := 0; i < 2000; i += 5 {
		m = m.setIn(e2, fmt.Sprintf("k%d", i), 7)
	}
	for i := 0; i < 2000; i++ {
		k := fmt.Sprintf("k%d", i)
		if v, _ := snap.Get(k); v != i {
			t.Fatalf("snapshot before the edit: %s = %d, want %d", k, v, i)
		}
		want := i
		if i%3 == 0 {
			want = -i
		}
		if v, _ := mid.Get(k); v != want {
			t.Fatalf("snapshot after the first edit: %s = %d, want %d", k, v, want)
		}
		if i%5 == 0 {
			want = 7
		}
		if v, _ := m.Get(k); v != want {
			t.Fatalf("after both edits: %s = %d, want %d", k, v, want)
		}
	}
	if _, ok := snap.Get("new0"); ok || snap.Len() != 2000 {
		t.Fatal("the snapshot sees keys added after it")
	}
	e3 := &edit{}
	after := m
	for i := 0; i < 2000; i += 2 {
		m = m.deleteIn(e3, fmt.Sprintf("k%d", i))
	}
	for i := 0; i < 2000; i++ {
		_, ok := m.Get(fmt.Sprintf("k%d", i))
		_, was := after.Get(fmt.Sprintf("k%d", i))
		if ok != (i%2 == 1) || !was {
			t.Fatalf("k%d after deleting the even keys: present=%v, in the snapshot before=%v", i, ok, was)
		}
	}
}

// Names and IDs, the catalog's keys, hash their own ways (an ID's 4 bytes are its
// hash; a name is hashed part by part): getName must find what Set stored under
// Name.key, and Get every short key, whatever the lengths.
func TestPmapNameAndIDKeys(t *testing.T) {
	r := rand.New(rand.NewSource(2))
	var m pmap[int]
	var names []Name
	parts := []string{"", "a", "ab", "public", "pg_temp", "a_rather_long_schema_name_for_a_key", "x\x00y"}
	for i := 0; i < 3000; i++ {
		n := Name{Schema: parts[r.Intn(len(parts))], Name: fmt.Sprintf("t%d%s", i, parts[r.Intn(len(parts))])}
		if r.Intn(10) == 0 {
			n.Name = parts[r.Intn(len(parts))]
		}
		names = append(names, n)
		m = m.Set(n.key(), i)
		m = m.Set(ID(i).key(), -i)
	}
	for i, n := range names {
		got, ok := m.getName(n)
		want, _ := m.Get(n.key())
		if !ok || got != want {
			t.Fatalf("getName(%q) = %d, %v; Get(key) = %d", n, got, ok, want)
		}
		if v, ok := m.Get(ID(i).key()); !ok || v != -i {
			t.Fatalf("ID %d: %d, %v", i, v, ok)
		}
	}
	if _, ok := m.getName(Name{Schema: "public", Name: "absent"}); ok {
		t.Fatal("getName found an absent name")
	}
}

// A snapshot every few statements begins a new edit, which copies every node it
// changes: the relations a stretch of statements creates (consecutive IDs) must share
// their paths, so that the edit copies a handful of nodes, not a path per ID. And the
// short keys' hash stays free of collisions (it reorders their bits).
func TestPmapConsecutiveIDsSharePaths(t *testing.T) {
	var m pmap[int]
	for i := 1; i <= 20000; i++ {
		m = m.Set(ID(i).key(), i)
	}
	old := map[*pnode[int]]bool{}
	var walk func(n *pnode[int], visit func(*pnode[int]))
	walk = func(n *pnode[int], visit func(*pnode[int])) {
		if n == nil {
			return
		}
		visit(n)
		for _, c := range n.children {
			walk(c, visit)
		}
	}
	walk(m.root, func(n *pnode[int]) { old[n] = true })
	e := &edit{}
	for i := 20001; i <= 20128; i++ {
		m = m.setIn(e, ID(i).key(), i)
	}
	copied := 0
	walk(m.root, func(n *pnode[int]) {
		if !old[n] {
			copied++
		}
	})
	// The root, the node below it and the 5 nodes the 128 IDs fill (the hash taking
	// the lowest bits first copies more than a hundred).
	if copied > 8 {
		t.Errorf("adding 128 consecutive IDs in one edit copied %d nodes, want at most 8", copied)
	}
	for i := 1; i <= 20128; i++ {
		if v, ok := m.Get(ID(i).key()); !ok || v != i {
			t.Fatalf("ID %d: %d, %v", i, v, ok)
		}
	}
	seen := map[uint64]string{}
	for i := 0; i < 1<<18; i++ {
		k := ID(i).key()
		if o, dup := seen[phash(k)]; dup {
			t.Fatalf("keys %q and %q share a hash", o, k)
		}
		seen[phash(k)] = k
	}
	for _, k := range []string{"", "a", "ab", "abc", "\x00", "\x00\x00"} {
		if o, dup := seen[phash(k)]; dup {
			t.Fatalf("keys %q and %q share a hash", o, k)
		}
		seen[phash(k)] = k
	}
}

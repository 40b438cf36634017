package codeactions

import "sync"

// memo remembers the results of a pure function of a string, forgetting all of them
// once it holds max: the language server runs for days, and fixes build the same few
// names and phases many times in a row.
type memo[V any] struct {
	mu  sync.Mutex
	max int
	m   map[string]V
}

func (c *memo[V]) get(key string, compute func(string) V) V {
	c.mu.Lock()
	v, ok := c.m[key]
	c.mu.Unlock()
	if ok {
		return v
	}
	v = compute(key)
	c.mu.Lock()
	if c.m == nil || len(c.m) >= c.max {
		c.m = make(map[string]V)
	}
	c.m[key] = v
	c.mu.Unlock()
	return v
}

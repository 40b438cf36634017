package migration

import (
	"sync"

	pg "github.com/pganalyze/pg_query_go/v5"
)

// ParseCache remembers the syntax tree of each statement of one document. The
// language server keeps one per open document: an edit usually changes one
// statement, and re-parsing only that one is what keeps diagnostics within a few
// milliseconds of a keystroke on a thousand-statement migration. Trees are shared
// between versions and must not be modified (nothing in migsafe modifies them).
// The cache holds only the statements of the latest parse, so it never outgrows the
// document. It is safe for concurrent use.
type ParseCache struct {
	mu sync.Mutex
	// parsed is the text of the latest parse; trees are its statements' trees in
	// document order.
	parsed string
	trees  []cachedTree
	// text and tokens are the last scan that succeeded.
	text   string
	tokens []Token
	// split is how the last scan's tokens were split into statements (nil when that
	// split cannot be reused: see resplit).
	split *splitState
}

// parse fills in the statements' trees from the cache, parses the others, and keeps
// exactly this parse's trees. Deferred statements are cached as checked (a nil tree).
//
// A statement is the cached one of the same text. Those before the first byte the
// edit changed, or after the last, are found by their place (the one that began and
// ended there, or there less the edit's growth); only those in between, usually one,
// by their text. Keying every statement by its text cost 26 ms an edit on a 5 MB
// document of 77,000 statements (hashing and comparing all of it, and a new map),
// the walk well under one.
func (c *ParseCache) parse(stmts []*Statement, text, scanText string) {
	c.mu.Lock()
	old, oldText := c.trees, c.parsed
	c.mu.Unlock()
	prefix, suffix := commonEnds(oldText, text)
	delta := len(text) - len(oldText)
	oldTail, newTail := len(oldText)-suffix, len(text)-suffix
	var changed map[string]cachedTree // the cached statements the edit touched, by text
	j := 0
	var todo []*Statement
	for _, s := range stmts {
		if s.Err != nil {
			continue
		}
		var (
			t  cachedTree
			ok bool
		)
		if at := s.Start - delta; s.End <= prefix || s.Start >= newTail {
			if s.End <= prefix {
				at = s.Start
			}
			for j < len(old) && old[j].start < at {
				j++
			}
			ok = j < len(old) && old[j].start == at && old[j].end == at+len(s.Text)
			if ok {
				t = old[j]
			}
		} else {
			if changed == nil {
				changed = map[string]cachedTree{}
				for _, o := range old {
					if o.end > prefix && o.start < oldTail {
						changed[oldText[o.start:o.end]] = o
					}
				}
			}
			t, ok = changed[s.Text]
		}
		if ok {
			if !s.Deferred {
				s.Node, s.Base = t.node, s.Start-t.rel
			}
			continue
		}
		todo = append(todo, s)
	}
	parseBatches(todo, scanText)
	trees := make([]cachedTree, 0, len(stmts))
	for _, s := range stmts {
		if s.Err == nil {
			trees = append(trees, cachedTree{start: s.Start, end: s.End, node: s.Node, rel: s.Start - s.Base})
		}
	}
	c.mu.Lock()
	c.parsed, c.trees = text, trees
	c.mu.Unlock()
}

// statements is how many statements the latest parse had trees for.
func (c *ParseCache) statements() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.trees)
}

// cachedTree is a statement's tree; start and end are where the statement is in the
// text it was cached from; rel is where it starts in the tree's locations (they count
// from the start of the text it was parsed in, which may have held earlier
// statements).
type cachedTree struct {
	start, end int
	node       *pg.Node
	rel        int
}

// commonEnds is how many bytes a and b have in common at their start, and then at
// their end (not counting the start's again). It compares blocks before bytes: a 5 MB
// document byte by byte took 9 ms.
func commonEnds(a, b string) (prefix, suffix int) {
	const block = 4096
	n := min(len(a), len(b))
	for prefix+block <= n && a[prefix:prefix+block] == b[prefix:prefix+block] {
		prefix += block
	}
	for prefix < n && a[prefix] == b[prefix] {
		prefix++
	}
	n -= prefix
	for suffix+block <= n && a[len(a)-suffix-block:len(a)-suffix] == b[len(b)-suffix-block:len(b)-suffix] {
		suffix += block
	}
	for suffix < n && a[len(a)-1-suffix] == b[len(b)-1-suffix] {
		suffix++
	}
	return prefix, suffix
}

// scan returns the tokens of text, rescanning only what an edit changed since the
// previous call: tokens before the last ';' ahead of the edit and after the first ';'
// inside the unchanged tail are reused, the latter shifted. A ';' token always leaves
// PostgreSQL's lexer in its initial state, so scanning may restart right after one;
// when the rescanned slice does not end exactly on such a ';' (the edit opened a string
// or a comment), the whole text is scanned again. It says which tokens it reused from
// the previous scan (nil when it scanned the whole text), for resplit.
func (c *ParseCache) scan(text string) ([]Token, *reused, int, error) {
	c.mu.Lock()
	oldText, oldTokens := c.text, c.tokens
	c.mu.Unlock()

	tokens, r, ok := rescan(oldText, oldTokens, text)
	if !ok {
		var (
			errAt int
			err   error
		)
		tokens, errAt, err = scan(text)
		if err != nil {
			c.mu.Lock()
			c.text, c.tokens = "", nil
			c.mu.Unlock()
			return tokens, nil, errAt, err
		}
	}
	c.mu.Lock()
	c.text, c.tokens = text, tokens
	c.mu.Unlock()
	return tokens, r, 0, nil
}

// reused says which of a scan's tokens are the previous scan's: the first keep are
// the same, and those from tailNew on are the previous scan's from tailOld on, moved
// by delta bytes (the edit's growth).
type reused struct {
	oldText                       string
	keep, tailNew, tailOld, delta int
}

// rescan derives the tokens of text from those of oldText, saying which it reused; ok
// is false when it cannot (no previous scan, or the edit's effect reaches past its
// slice).
func rescan(oldText string, oldTokens []Token, text string) ([]Token, *reused, bool) {
	if oldTokens == nil || oldText == "" {
		return nil, nil, false
	}
	if oldText == text {
		n := len(oldTokens)
		return oldTokens, &reused{oldText: oldText, keep: n, tailNew: n, tailOld: n}, true
	}
	prefix, suffix := commonEnds(oldText, text)
	delta := len(text) - len(oldText)

	// Restart after the last ';' that ends at or before the first changed byte.
	keep, restart := 0, 0
	for i, t := range oldTokens {
		if int(t.End) > prefix {
			break
		}
		if t.Kind == pg.Token_ASCII_59 {
			keep, restart = i+1, int(t.End)
		}
	}
	// Resume at the first ';' whose end lies in the unchanged tail.
	resume, tail := len(text), len(oldTokens)
	for i := keep; i < len(oldTokens); i++ {
		t := oldTokens[i]
		if end := int(t.End); t.Kind == pg.Token_ASCII_59 && end >= len(oldText)-suffix && end > restart {
			resume, tail = end+delta, i+1
			break
		}
	}
	mid, err := scanTokens(text[restart:resume], restart)
	if err != nil {
		return nil, nil, false
	}
	if resume < len(text) && (len(mid) == 0 || mid[len(mid)-1].Kind != pg.Token_ASCII_59 || int(mid[len(mid)-1].End) != resume) {
		return nil, nil, false
	}
	out := make([]Token, 0, keep+len(mid)+len(oldTokens)-tail)
	out = append(out, oldTokens[:keep]...)
	out = append(out, mid...)
	d := int32(delta)
	for _, t := range oldTokens[tail:] {
		out = append(out, Token{Start: t.Start + d, End: t.End + d, Kind: t.Kind})
	}
	return out, &reused{oldText: oldText, keep: keep, tailNew: keep + len(mid), tailOld: tail, delta: delta}, true
}

// keepSplit keeps a split for the next edit's resplit (nil: none to reuse).
func (c *ParseCache) keepSplit(st *splitState) {
	c.mu.Lock()
	c.split = st
	c.mu.Unlock()
}

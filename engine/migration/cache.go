package migration

import (
	"sync"

	pg "github.com/pganalyze/pg_query_go/v5"
)

// ParseCache remembers the syntax tree of each statement of one document by its text.
// The language server keeps one per open document: an edit usually changes one
// statement, and re-parsing only that one is what keeps diagnostics within a few
// milliseconds of a keystroke on a thousand-statement migration. Trees are shared
// between versions and must not be modified (nothing in migsafe modifies them).
// The cache holds only the statements of the latest parse, so it never outgrows the
// document. It is safe for concurrent use.
type ParseCache struct {
	mu    sync.Mutex
	trees map[string]cachedTree
	// text and tokens are the last scan that succeeded.
	text   string
	tokens []Token
}

// parse fills in the statements' trees from the cache, parses the others, and keeps
// exactly this parse's trees. Deferred statements are cached as checked (a nil tree).
func (c *ParseCache) parse(stmts []*Statement, scanText string) {
	c.mu.Lock()
	old := c.trees
	c.mu.Unlock()
	var todo []*Statement
	for _, s := range stmts {
		if s.Err != nil {
			continue
		}
		if t, ok := old[s.Text]; ok {
			if !s.Deferred {
				s.Node, s.Base = t.node, s.Start-t.rel
			}
			continue
		}
		todo = append(todo, s)
	}
	parseBatches(todo, scanText)
	trees := make(map[string]cachedTree, len(stmts))
	for _, s := range stmts {
		if s.Err == nil {
			trees[s.Text] = cachedTree{node: s.Node, rel: s.Start - s.Base}
		}
	}
	c.mu.Lock()
	c.trees = trees
	c.mu.Unlock()
}

// cachedTree is a statement's tree; rel is where the statement starts in the tree's
// locations (they count from the start of the text it was parsed in, which may have
// held earlier statements).
type cachedTree struct {
	node *pg.Node
	rel  int
}

// scan returns the tokens of text, rescanning only what an edit changed since the
// previous call: tokens before the last ';' ahead of the edit and after the first ';'
// inside the unchanged tail are reused, the latter shifted. A ';' token always leaves
// PostgreSQL's lexer in its initial state, so scanning may restart right after one;
// when the rescanned slice does not end exactly on such a ';' (the edit opened a string
// or a comment), the whole text is scanned again.
func (c *ParseCache) scan(text string) ([]Token, int, error) {
	c.mu.Lock()
	oldText, oldTokens := c.text, c.tokens
	c.mu.Unlock()

	tokens, ok := rescan(oldText, oldTokens, text)
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
			return tokens, errAt, err
		}
	}
	c.mu.Lock()
	c.text, c.tokens = text, tokens
	c.mu.Unlock()
	return tokens, 0, nil
}

// rescan derives the tokens of text from those of oldText; ok is false when it
// cannot (no previous scan, or the edit's effect reaches past its slice).
func rescan(oldText string, oldTokens []Token, text string) ([]Token, bool) {
	if oldTokens == nil || oldText == "" {
		return nil, false
	}
	if oldText == text {
		return oldTokens, true
	}
	prefix := 0
	for prefix < len(oldText) && prefix < len(text) && oldText[prefix] == text[prefix] {
		prefix++
	}
	suffix := 0
	for suffix < len(oldText)-prefix && suffix < len(text)-prefix &&
		oldText[len(oldText)-1-suffix] == text[len(text)-1-suffix] {
		suffix++
	}
	delta := len(text) - len(oldText)

	// Restart after the last ';' that ends at or before the first changed byte.
	keep, restart := 0, 0
	for i, t := range oldTokens {
		if t.End > prefix {
			break
		}
		if t.Kind == pg.Token_ASCII_59 {
			keep, restart = i+1, t.End
		}
	}
	// Resume at the first ';' whose end lies in the unchanged tail.
	resume, tail := len(text), len(oldTokens)
	for i := keep; i < len(oldTokens); i++ {
		t := oldTokens[i]
		if t.Kind == pg.Token_ASCII_59 && t.End >= len(oldText)-suffix && t.End > restart {
			resume, tail = t.End+delta, i+1
			break
		}
	}
	mid, err := scanTokens(text[restart:resume], restart)
	if err != nil {
		return nil, false
	}
	if resume < len(text) && (len(mid) == 0 || mid[len(mid)-1].Kind != pg.Token_ASCII_59 || mid[len(mid)-1].End != resume) {
		return nil, false
	}
	out := make([]Token, 0, keep+len(mid)+len(oldTokens)-tail)
	out = append(out, oldTokens[:keep]...)
	out = append(out, mid...)
	for _, t := range oldTokens[tail:] {
		out = append(out, Token{Start: t.Start + delta, End: t.End + delta, Kind: t.Kind})
	}
	return out, true
}

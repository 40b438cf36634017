package migration

import (
	"sort"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v5"
)

// splitState is a split of a scan's tokens that the next edit's split may reuse.
type splitState struct {
	text     string // what was split
	chunks   []chunk
	comments []Comment
	// at is where each chunk's tokens start in the scan's tokens, -1 when they are an
	// array of their own (a comment inside the statement); closer is the index of the
	// ';' that ended the chunk with the splitter back in its initial state, -1 when
	// something else ended it (a runner directive, the end of the text).
	at, closer []int32
}

// resplit splits the tokens of an edited text reusing the previous split: the
// statements before the last one the previous split closed ahead of the edit are the
// same, and once the splitter, run from there, closes a statement at a ';' in the
// tail the scan reused, where the previous split closed one too, the rest are the
// previous split's moved by the edit's growth. A ';' that closes a statement leaves
// the splitter in its initial state (outside any BEGIN ATOMIC body, nothing started),
// so from two such points the same tokens split the same way. On the 5 MB DDL
// document splitting all 2 million tokens again took ~20 ms of an edit and 30 MB
// (the array of the statements' tokens, shared with the scan's after all). ok is
// false when there is no previous split to reuse; the caller then splits all of it.
func (c *ParseCache) resplit(text string, tokens []Token, r *reused) (chunks []chunk, comments []Comment, ok bool) {
	c.mu.Lock()
	old := c.split
	c.mu.Unlock()
	if old == nil || r == nil || old.text != r.oldText {
		return nil, nil, false
	}
	// The previous split's last statement closed before the first changed token.
	c0 := -1
	for i := len(old.closer) - 1; i >= 0; i-- {
		if cl := old.closer[i]; cl >= 0 && int(cl) < r.keep {
			c0 = i
			break
		}
	}
	from, fromAt := 0, 0
	if c0 >= 0 {
		from = int(old.closer[c0]) + 1
		fromAt = int(tokens[from-1].End)
	}
	sp := splitter{text: text, kept: make([]Token, 0, 256)}
	sp.prev = pg.Token_ASCII_59
	synced, tailChunk, syncAt := false, 0, len(text)
	p := c0 + 1 // the previous split's chunks searched for a closer in the tail
	i := from
	var closers []int32
	for ; i < len(tokens); i++ {
		t := tokens[i]
		closers = sp.tokenAt(t, i, closers)
		if t.Kind != pg.Token_ASCII_59 || sp.atomic != 0 || i < r.tailNew {
			continue
		}
		k := int32(i - r.tailNew + r.tailOld)
		for p < len(old.closer) && old.closer[p] < k {
			p++
		}
		if p < len(old.closer) && old.closer[p] == k {
			synced, tailChunk, syncAt = true, p+1, int(t.End)
			break
		}
	}
	// At a sync point nothing is started, so finish only hands out the tokens.
	mid, midComments, _ := sp.finish(0, nil)
	closers = closersOf(mid, closers)

	shift := r.tailNew - r.tailOld
	n := c0 + 1 + len(mid)
	if synced {
		n += len(old.chunks) - tailChunk
	}
	st := &splitState{text: text, chunks: make([]chunk, 0, n), at: make([]int32, 0, n), closer: make([]int32, 0, n)}
	kept := 0
	reuse := func(ch chunk, at, closer int32, move, shift int) {
		ch.start += move
		ch.end += move
		if at >= 0 {
			a := int(at) + shift
			ch.tokens = tokens[a : a+len(ch.tokens) : a+len(ch.tokens)]
			at = int32(a)
		} else {
			own := make([]Token, len(ch.tokens))
			for j, t := range ch.tokens {
				own[j] = Token{Start: t.Start + int32(move), End: t.End + int32(move), Kind: t.Kind}
			}
			ch.tokens = own
		}
		if ch.target != "" {
			// target is a slice of the text it was split from: do not keep that alive.
			ch.target = strings.Clone(ch.target)
		}
		if closer >= 0 {
			closer += int32(shift)
		}
		kept += len(ch.tokens)
		st.chunks, st.at, st.closer = append(st.chunks, ch), append(st.at, at), append(st.closer, closer)
	}
	for j := 0; j <= c0; j++ {
		reuse(old.chunks[j], old.at[j], old.closer[j], 0, 0)
	}
	midAt := shareTokensFrom(mid, tokens, from)
	for j, ch := range mid {
		kept += len(ch.tokens)
		st.chunks, st.at = append(st.chunks, ch), append(st.at, midAt[j])
		st.closer = append(st.closer, closers[j])
	}
	if synced {
		for j := tailChunk; j < len(old.chunks); j++ {
			reuse(old.chunks[j], old.at[j], old.closer[j], r.delta, shift)
		}
	}
	if 2*kept < len(tokens) {
		// Mostly comments or rows now: split all of it, as that decides what to share.
		return nil, nil, false
	}

	// Comments: the previous split's before from and after the sync point, the
	// splitter's between.
	oc := old.comments
	before := sort.Search(len(oc), func(j int) bool { return oc[j].Start >= fromAt })
	comments = make([]Comment, 0, len(oc)+len(midComments))
	for _, cm := range oc[:before] {
		comments = append(comments, Comment{Start: cm.Start, End: cm.End, Text: text[cm.Start:cm.End]})
	}
	comments = append(comments, midComments...)
	if synced {
		oldSync := syncAt - r.delta
		after := sort.Search(len(oc), func(j int) bool { return oc[j].Start >= oldSync })
		for _, cm := range oc[after:] {
			s, e := cm.Start+r.delta, cm.End+r.delta
			comments = append(comments, Comment{Start: s, End: e, Text: text[s:e]})
		}
	}
	st.comments = comments
	c.keepSplit(st)
	return st.chunks, comments, true
}

// tokenAt is token for the i-th of the scan's tokens, noting in closers the index of a
// ';' that closed a statement with the splitter back in its initial state, -1 for a
// statement something else ended.
func (sp *splitter) tokenAt(t Token, i int, closers []int32) []int32 {
	n := len(sp.chunks)
	sp.token(t)
	if len(sp.chunks) > n {
		cl := int32(-1)
		if t.Kind == pg.Token_ASCII_59 && sp.atomic == 0 {
			cl = int32(i)
		}
		closers = append(closers, cl)
	}
	return closers
}

// closersOf completes closers for the statements finish ended.
func closersOf(chunks []chunk, closers []int32) []int32 {
	for len(closers) < len(chunks) {
		closers = append(closers, -1)
	}
	return closers
}

// shareTokensFrom points each chunk's tokens (from tokens[j:] on) into the cache's
// tokens of the whole text, which the cache keeps anyway, where they are the same: a
// statement without a comment inside it (whose tokens are those of the text from its
// first to its last). The others get arrays of their own, so the splitter's is not
// kept: the tokens of a 5 MB document are 24 MB, and were kept twice. It returns
// where each chunk's tokens start in tokens, -1 for an array of their own.
func shareTokensFrom(chunks []chunk, tokens []Token, j int) []int32 {
	at := make([]int32, len(chunks))
	for i := range chunks {
		c := &chunks[i]
		at[i] = -1
		n := len(c.tokens)
		if n == 0 {
			continue
		}
		for j < len(tokens) && tokens[j].Start < c.tokens[0].Start {
			j++
		}
		// A chunk's tokens are a subsequence of the text's: with the same first and
		// last, and as many, they are the same run.
		if j+n <= len(tokens) && tokens[j].Start == c.tokens[0].Start && tokens[j+n-1] == c.tokens[n-1] {
			c.tokens = tokens[j : j+n : j+n]
			at[i] = int32(j)
			j += n
		} else {
			c.tokens = append([]Token(nil), c.tokens...)
		}
	}
	return at
}

package orm

import (
	"strings"

	pg "github.com/pganalyze/pg_query_go/v5"

	"github.com/migsafe/migsafe/engine/migration"
)

// The front ends write fixes in the ORM's own DSL: a rule's fix asks for an intent
// (migration.Intent) and the call's rewriter answers with edits to the migration,
// which the fix planner applies like any other edit. Helpers here place the edits:
// an option added to a call, a line inserted after the class header.

type rewriter = func(migration.Intent) (migration.Rewrite, bool)

// lineStartAt is the offset of the start of the line holding off.
func (t *translation) lineStartAt(off int) int {
	return strings.LastIndexByte(string(t.src[:off]), '\n') + 1
}

// indentAt is the indentation of the line holding off.
func (t *translation) indentAt(off int) string {
	line := t.src[t.lineStartAt(off):]
	n := 0
	for n < len(line) && (line[n] == ' ' || line[n] == '\t') {
		n++
	}
	return string(line[:n])
}

// lineEndAt is the offset of the newline ending the line holding off (or the end).
func (t *translation) lineEndAt(off int) int {
	if i := strings.IndexByte(string(t.src[off:]), '\n'); i >= 0 {
		return off + i
	}
	return len(t.src)
}

// argsEnd is where a new argument of c goes: after its last argument or option.
func argsEnd(c *node) int {
	end := -1
	for _, a := range c.args {
		if a != nil && a.end > end {
			end = a.end
		}
	}
	for _, k := range c.kw {
		if k.end > end {
			end = k.end
		}
	}
	return end
}

// setOption makes a call's option say text: the existing entry for key is replaced,
// or ", text" is appended after the last argument. ok is false for a call with no
// argument to place it after.
func setOption(c *node, key, text string) (migration.TextEdit, bool) {
	if e, ok := c.optEntry(key); ok {
		return migration.TextEdit{Start: e.start, End: e.end, NewText: text}, true
	}
	at := argsEnd(c)
	if at < 0 {
		return migration.TextEdit{}, false
	}
	return migration.TextEdit{Start: at, End: at, NewText: ", " + text}, true
}

// rewrites builds a rewriter from the edits each intent needs; a nil function or
// no edits means the intent cannot be written.
func rewrites(byIntent map[migration.Intent]func() (string, []migration.TextEdit)) rewriter {
	return func(in migration.Intent) (migration.Rewrite, bool) {
		f := byIntent[in]
		if f == nil {
			return migration.Rewrite{}, false
		}
		title, edits := f()
		if len(edits) == 0 {
			return migration.Rewrite{}, false
		}
		return migration.Rewrite{Title: title, Edits: edits}, true
	}
}

// rawConcurrently writes CONCURRENTLY into raw SQL the author wrote, after the INDEX
// of its CREATE [UNIQUE] INDEX or DROP INDEX, when that keyword is written in the
// file as it is sent (not built from interpolations).
func (t *translation) rawConcurrently(o *op) func() (string, []migration.TextEdit) {
	return func() (string, []migration.TextEdit) {
		at, ok := indexKeywordEnd(o.sql)
		if !ok {
			return "", nil
		}
		for _, p := range o.pieces {
			if p.Exact && p.SQLStart < at && at <= p.SQLEnd {
				f := p.FileStart + at - p.SQLStart
				return "Build the index concurrently, outside the transaction",
					[]migration.TextEdit{{Start: f, End: f, NewText: " CONCURRENTLY"}}
			}
		}
		return "", nil
	}
}

// indexKeywordEnd is the offset just past INDEX in the first CREATE [UNIQUE] INDEX or
// DROP INDEX of sql without CONCURRENTLY; ok is false when there is none.
func indexKeywordEnd(sql string) (int, bool) {
	res, err := pg.Scan(sql)
	if err != nil {
		return 0, false
	}
	var words []string
	var ends []int
	for _, tk := range res.Tokens {
		if tk.Token == pg.Token_SQL_COMMENT || tk.Token == pg.Token_C_COMMENT {
			continue
		}
		words = append(words, strings.ToUpper(sql[tk.Start:tk.End]))
		ends = append(ends, int(tk.End))
	}
	for i := range words {
		switch {
		case words[i] == "CREATE" && i+1 < len(words) && words[i+1] == "INDEX",
			words[i] == "DROP" && i+1 < len(words) && words[i+1] == "INDEX":
			if i+2 < len(words) && words[i+2] == "CONCURRENTLY" {
				return 0, false
			}
			return ends[i+1], true
		case words[i] == "CREATE" && i+2 < len(words) && words[i+1] == "UNIQUE" && words[i+2] == "INDEX":
			if i+3 < len(words) && words[i+3] == "CONCURRENTLY" {
				return 0, false
			}
			return ends[i+2], true
		}
	}
	return 0, false
}

// combine joins the edits of several rewrites under the first one's title; an empty
// part makes the whole impossible.
func combine(parts ...func() (string, []migration.TextEdit)) func() (string, []migration.TextEdit) {
	return func() (string, []migration.TextEdit) {
		var title string
		var edits []migration.TextEdit
		for i, p := range parts {
			if p == nil {
				continue
			}
			t, e := p()
			if len(e) == 0 {
				return "", nil
			}
			if i == 0 {
				title = t
			}
			edits = append(edits, e...)
		}
		return title, edits
	}
}

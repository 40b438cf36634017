package migration

import (
	"sort"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v5"
)

// A statement's coordinates are the offsets its Tokens, its Node locations (through
// Base) and the spans rules report are given in: coordinate c is the byte Text[c-Start].
// For a SQL file Text is the file's own text at Start, so coordinates are file offsets.
// An ORM front end's statement has SQL that is not the file's text (generated from a
// DSL call, or decoded from a string literal); its Origin maps coordinates back to the
// file, and Start and End are the file span of the call or literal it came from.

// Origin maps the SQL of an ORM statement to the file.
type Origin struct {
	// Pieces, sorted by SQLStart, map parts of Text to file spans; text outside every
	// piece maps to the whole statement span.
	Pieces []Piece
	// Call is the span of the DSL call the statement came from (for raw SQL, the call
	// holding the string), which fixes rewrite and hovers name.
	CallStart, CallEnd int
	// Rewrite, when set, writes the call's safe form in the ORM's own DSL for an
	// intent; ok is false when the front end cannot write that one.
	Rewrite func(Intent) (Rewrite, bool)
}

// Intent is a safe rewrite a rule's fix asks an ORM front end to write in its DSL.
type Intent string

const (
	// Concurrently builds or drops the index concurrently, outside the migration's
	// transaction (Rails algorithm: :concurrently, Django AddIndexConcurrently, Alembic
	// postgresql_concurrently in an autocommit block, CONCURRENTLY in raw SQL).
	Concurrently Intent = "concurrently"
	// OutsideTransaction runs the call outside a transaction block, as the ORM allows
	// (disable_ddl_transaction!, atomic = False, autocommit_block, transaction = false).
	OutsideTransaction Intent = "outside-transaction"
	// NotValid adds the constraint without checking existing rows, then validates it
	// in a step of its own that does not block writes.
	NotValid Intent = "not-valid"
)

// TextEdit replaces the file's bytes [Start, End) with NewText.
type TextEdit struct {
	Start, End int
	NewText    string
}

// Rewrite is the safe form of one DSL call: a title for the fix and its edits.
type Rewrite struct {
	Title string
	Edits []TextEdit
}

// Piece maps Text[SQLStart:SQLEnd] to the file span [FileStart, FileEnd).
type Piece struct {
	SQLStart, SQLEnd   int
	FileStart, FileEnd int
	// Exact pieces are the file's own bytes (raw SQL in a string literal), so offsets
	// inside them map one to one; other pieces were generated from the span as a whole.
	Exact bool
}

// Mapped reports a statement whose SQL is not the file's text at its offsets.
func (s *Statement) Mapped() bool { return s.Origin != nil }

// SQLEnd is the coordinate just past the statement's SQL (End for SQL files).
func (s *Statement) SQLEnd() int { return s.Start + len(s.Text) }

// SQLAt is the statement's SQL between two coordinates.
func (s *Statement) SQLAt(start, end int) string {
	start, end = clampInt(start-s.Start, 0, len(s.Text)), clampInt(end-s.Start, 0, len(s.Text))
	if end < start {
		return ""
	}
	return s.Text[start:end]
}

// TokenText is the text of one of the statement's tokens.
func (s *Statement) TokenText(t Token) string { return s.SQLAt(int(t.Start), int(t.End)) }

// FileSpan converts a span in the statement's coordinates to file offsets. For SQL
// files it is the identity; for an ORM statement a span inside raw SQL maps exactly,
// and a span of generated SQL maps to the DSL argument it came from, or the whole call.
func (s *Statement) FileSpan(start, end int) (int, int) {
	if s.Origin == nil {
		return start, end
	}
	fs, fe := s.mapOffset(start-s.Start, false), s.mapOffset(end-s.Start, true)
	if fe < fs {
		fe = fs
	}
	return fs, fe
}

// FileOffset converts one coordinate to a file offset.
func (s *Statement) FileOffset(c int) int {
	if s.Origin == nil {
		return c
	}
	return s.mapOffset(c-s.Start, false)
}

// mapOffset maps an offset into Text through the innermost piece holding it; an end
// offset belongs to the piece holding the byte before it.
func (s *Statement) mapOffset(o int, isEnd bool) int {
	var best *Piece
	for i := range s.Origin.Pieces {
		p := &s.Origin.Pieces[i]
		in := p.SQLStart <= o && o < p.SQLEnd
		if isEnd {
			in = p.SQLStart < o && o <= p.SQLEnd
		}
		if in && (best == nil || p.SQLEnd-p.SQLStart < best.SQLEnd-best.SQLStart) {
			best = p
		}
	}
	switch {
	case best == nil && isEnd:
		return s.End
	case best == nil:
		return s.Start
	case best.Exact:
		return clampInt(best.FileStart+o-best.SQLStart, best.FileStart, best.FileEnd)
	case isEnd:
		return best.FileEnd
	}
	return best.FileStart
}

func clampInt(v, lo, hi int) int {
	if v < lo {
		return lo
	}
	if v > hi {
		return hi
	}
	return v
}

// ParseMapped splits and parses SQL an ORM sends to PostgreSQL for one DSL call or
// raw-SQL string: pieces (offsets into sql) map it to the file, and [callStart,
// callEnd) is the call's span. Raw SQL may hold several statements; each becomes a
// Statement whose span is the part of the file it maps to. Comments inside the SQL
// (a migsafe:ignore in a heredoc) are returned at their file offsets; syntax errors
// carry file offsets. Sections and transactions are left to the caller.
func ParseMapped(sql string, pieces []Piece, callStart, callEnd int) ([]*Statement, []Comment) {
	sort.SliceStable(pieces, func(i, j int) bool { return pieces[i].SQLStart < pieces[j].SQLStart })
	whole := &Statement{Start: callStart, End: callEnd, Text: sql, Origin: &Origin{Pieces: pieces, CallStart: callStart, CallEnd: callEnd}}
	if strings.IndexByte(sql, 0) >= 0 {
		whole.Err = &SyntaxError{Offset: callStart, Message: "the SQL contains a NUL byte"}
		return []*Statement{whole}, nil
	}
	chunks, sqlComments, scanErr := split(sql, nil)
	var comments []Comment
	for _, c := range sqlComments {
		start, end := whole.FileSpan(callStart+c.Start, callStart+c.End)
		comments = append(comments, Comment{Start: start, End: end, Text: c.Text})
	}
	// Generated SQL belongs to the whole call; raw SQL to the part of the string that
	// holds each statement.
	exact := false
	for _, p := range pieces {
		exact = exact || p.Exact
	}
	var stmts []*Statement
	for i, c := range chunks {
		if !c.hasCode {
			continue
		}
		start, end := callStart, callEnd
		if exact {
			start, end = whole.FileSpan(callStart+c.start, callStart+c.end)
		}
		st := &Statement{Start: start, End: end, Text: sql[c.start:c.end],
			Origin: &Origin{Pieces: rebase(pieces, c.start, c.end), CallStart: callStart, CallEnd: callEnd}}
		for _, t := range c.tokens {
			st.Tokens = append(st.Tokens, Token{Start: int32(int(t.Start) - c.start + start), End: int32(int(t.End) - c.start + start), Kind: t.Kind})
		}
		switch {
		case scanErr != nil && i == len(chunks)-1:
			st.Err = &SyntaxError{Offset: st.FileOffset(scanErr.Offset - c.start + start), Message: scanErr.Message}
		case tooComplex(st.Tokens) != nil:
			// Too deep for pg_query's serialiser: reported, never parsed.
			st.Err = tooComplex(st.Tokens)
			st.Err.Offset = st.FileOffset(st.Err.Offset)
		default:
			parseMapped(st)
		}
		stmts = append(stmts, st)
	}
	return stmts, comments
}

// rebase keeps the pieces that overlap [from, to) of the SQL, as offsets from from.
func rebase(pieces []Piece, from, to int) []Piece {
	var out []Piece
	for _, p := range pieces {
		if p.SQLEnd <= from || p.SQLStart >= to {
			continue
		}
		q := p
		if q.SQLStart < from {
			if q.Exact {
				q.FileStart += from - q.SQLStart
			}
			q.SQLStart = from
		}
		if q.SQLEnd > to {
			if q.Exact {
				q.FileEnd -= q.SQLEnd - to
			}
			q.SQLEnd = to
		}
		q.SQLStart -= from
		q.SQLEnd -= from
		out = append(out, q)
	}
	return out
}

// parseMapped parses one ORM statement on its own; Node locations are offsets into
// Text, so Base is the statement's first coordinate.
func parseMapped(s *Statement) {
	tree, err := pg.Parse(s.Text)
	if err != nil {
		e := locate(err, s.Start, s.Text)
		e.Offset = s.FileOffset(e.Offset)
		s.Err = e
		return
	}
	s.Base = s.Start
	switch {
	case len(tree.Stmts) == 1:
		s.Node = tree.Stmts[0].Stmt
	case len(tree.Stmts) > 1:
		s.Err = &SyntaxError{Offset: s.Start, Message: "statement splits into several; migsafe could not tell where they end"}
	}
}

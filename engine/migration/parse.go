package migration

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	pg "github.com/pganalyze/pg_query_go/v5"
	"github.com/pganalyze/pg_query_go/v5/parser"
)

// Statement is one SQL statement of a file.
type Statement struct {
	Index int    // position among the file's statements, from 0
	Start int    // byte offset of the statement's first token
	End   int    // byte offset just past its terminating ';' (or its last token)
	Text  string // Source.Text[Start:End]

	// Node is the parsed statement, nil when it did not parse (see Err).
	Node *pg.Node
	// Base is added to locations inside Node to get file offsets.
	Base int
	// Err is the statement's syntax error, if any.
	Err *SyntaxError

	// Tokens are the statement's scanner tokens (comments excluded).
	Tokens []Token

	Section Section
	// Tx says whether, and why, the statement runs inside a transaction block.
	Tx Tx

	// Body is the body of a DO statement (nil for other statements).
	Body *Body
	// Parent is the DO statement whose body holds this statement; nil at top level.
	Parent *Statement
	// offsets maps each byte of the SQL a body statement sends to its file offset, for
	// bodies whose quoting makes the two differ ('...' with doubled quotes); nil when
	// Base does.
	offsets []int
}

// Pos converts a location inside Node to a file offset; negative locations (unknown)
// give the statement start.
func (s *Statement) Pos(loc int32) int {
	switch {
	case loc < 0:
		return s.Start
	case s.offsets != nil && int(loc) < len(s.offsets):
		return s.offsets[loc]
	case s.offsets != nil:
		return s.offsets[len(s.offsets)-1]
	}
	return s.Base + int(loc)
}

// Token is one scanner token.
type Token struct {
	Start, End int
	Kind       pg.Token
}

// FindTokens finds the first run of tokens spelling words (case-insensitive) and
// returns the span from the first to the last; ok is false when there is none.
func (s *Statement) FindTokens(text string, words ...string) (start, end int, ok bool) {
	if len(words) == 0 {
		return 0, 0, false
	}
outer:
	for i := 0; i+len(words) <= len(s.Tokens); i++ {
		for j, w := range words {
			t := s.Tokens[i+j]
			if !strings.EqualFold(text[t.Start:t.End], w) {
				continue outer
			}
		}
		return s.Tokens[i].Start, s.Tokens[i+len(words)-1].End, true
	}
	return 0, 0, false
}

// Comment is a SQL comment with its position.
type Comment struct {
	Start, End int
	Text       string
}

// SyntaxError is a located parse error.
type SyntaxError struct {
	Offset  int
	Message string
	// Grammar is set when PostgreSQL's grammar rejected the statement (not the scanner,
	// and not the file's bytes): a newer server's grammar may accept it.
	Grammar bool
}

// GrammarMajor is the PostgreSQL major whose grammar pg_query embeds, and so the
// newest syntax migsafe can parse.
var GrammarMajor = func() int {
	tree, err := pg.Parse("SELECT 1")
	if err != nil {
		panic("migration: pg_query cannot parse SELECT 1: " + err.Error())
	}
	return int(tree.Version / 10000)
}()

func (e *SyntaxError) Error() string { return e.Message }

// chunk is a statement's span before parsing.
type chunk struct {
	start, end int // first token .. just past ';' or last token
	hasCode    bool
	tokens     []Token
}

// parseText splits text into statements with pg_query's scanner and parses them.
// One bad statement never hides the rest: when the whole text does not parse, each
// statement is parsed on its own and only the bad ones carry an error.
func parseText(text string, cache *ParseCache) (stmts []*Statement, comments []Comment, fileErrs []*SyntaxError) {
	// pg_query works on C strings: a NUL byte would silently cut the input.
	if i := strings.IndexByte(text, 0); i >= 0 {
		return nil, nil, []*SyntaxError{{Offset: i, Message: "file contains a NUL byte: it looks binary, not SQL"}}
	}
	// Invalid UTF-8 is reported on the statement that holds it (PostgreSQL rejects the
	// whole query string); only bytes outside any statement are reported for the file.
	invalidUTF8 := !utf8.ValidString(text)
	// Blank a byte order mark so the scanner does not see it; offsets stay the same.
	scanText := text
	if strings.HasPrefix(text, "\uFEFF") {
		scanText = "   " + text[3:]
	}

	chunks, comments, scanErr := split(scanText, cache)

	stmts = make([]*Statement, 0, len(chunks))
	for _, c := range chunks {
		if !c.hasCode {
			continue
		}
		stmts = append(stmts, &Statement{Index: len(stmts), Start: c.start, End: c.end, Text: text[c.start:c.end], Tokens: c.tokens})
	}
	if len(stmts) == 0 {
		return stmts, comments, fileErrs
	}
	if scanErr != nil {
		// split puts the statement holding the scanner error last.
		stmts[len(stmts)-1].Err = scanErr
	}

	// Fast path: one parser call for the whole file, unless a cache can spare the
	// parser most of the file (the language server re-parsing after a small edit).
	if cache != nil {
		cache.parse(stmts, scanText)
		if invalidUTF8 {
			fileErrs = append(fileErrs, invalidUTF8Outside(text, stmts)...)
		}
		return stmts, comments, fileErrs
	}
	if scanErr == nil {
		if tree, err := pg.Parse(scanText); err == nil && len(tree.Stmts) == len(stmts) {
			ok := true
			for i, raw := range tree.Stmts {
				loc := int(raw.StmtLocation)
				if loc > stmts[i].Start || (i+1 < len(stmts) && loc >= stmts[i+1].Start) {
					ok = false
					break
				}
			}
			if ok {
				for i, raw := range tree.Stmts {
					stmts[i].Node = raw.Stmt
				}
				if invalidUTF8 {
					fileErrs = append(fileErrs, invalidUTF8Outside(text, stmts)...)
				}
				return stmts, comments, fileErrs
			}
		}
	}
	for _, s := range stmts {
		if s.Err == nil {
			parseOne(s, scanText)
		}
	}
	for _, s := range stmts {
		if s.Err != nil && s.Err.Offset > s.End {
			s.Err.Offset = s.End
		}
	}
	if invalidUTF8 {
		fileErrs = append(fileErrs, invalidUTF8Outside(text, stmts)...)
	}
	return stmts, comments, fileErrs
}

const invalidUTF8Message = `invalid byte sequence for encoding "UTF8": PostgreSQL rejects the statement`

// invalidUTF8Outside reports invalid UTF-8 in comments between statements (inside a
// statement, the statement's parse already failed on it).
func invalidUTF8Outside(text string, stmts []*Statement) []*SyntaxError {
	var errs []*SyntaxError
	prev := 0
	for _, s := range append(stmts, &Statement{Start: len(text), End: len(text)}) {
		if gap := text[prev:s.Start]; !utf8.ValidString(gap) {
			errs = append(errs, &SyntaxError{Offset: prev + firstInvalidUTF8(gap), Message: invalidUTF8Message})
		}
		if s.Node != nil && !utf8.ValidString(s.Text) {
			errs = append(errs, &SyntaxError{Offset: s.Start + firstInvalidUTF8(s.Text), Message: invalidUTF8Message})
		}
		prev = s.End
	}
	return errs
}

// parseOne parses one statement on its own; locations in its tree are relative to
// the statement's start (Base).
func parseOne(s *Statement, scanText string) {
	tree, err := pg.Parse(scanText[s.Start:s.End])
	if err != nil {
		s.Err = locate(err, s.Start, scanText[s.Start:s.End])
		return
	}
	s.Base = s.Start
	if len(tree.Stmts) == 1 {
		s.Node = tree.Stmts[0].Stmt
	} else if len(tree.Stmts) > 1 {
		s.Err = &SyntaxError{Offset: s.Start, Message: "statement splits into several; migsafe could not tell where they end"}
	}
}

// locate turns a pg_query error into a SyntaxError at a file offset.
func locate(err error, base int, text string) *SyntaxError {
	if !utf8.ValidString(text) {
		// pg_query's result cannot carry invalid UTF-8; PostgreSQL would reject the
		// statement too, so point at the first bad byte.
		return &SyntaxError{Offset: base + firstInvalidUTF8(text), Message: invalidUTF8Message}
	}
	var pe *parser.Error
	if errors.As(err, &pe) {
		off := base
		if pe.Cursorpos > 0 {
			// Cursorpos counts characters from 1 in PostgreSQL's client encoding (UTF-8
			// here), so walk code points rather than bytes.
			off = base + byteOffsetOfRune(text, pe.Cursorpos-1)
		}
		se := &SyntaxError{Offset: off, Message: pe.Message, Grammar: true}
		nameLookalike(se, base, text)
		return se
	}
	return &SyntaxError{Offset: base, Message: err.Error()}
}

func byteOffsetOfRune(s string, n int) int {
	for i := range s {
		if n == 0 {
			return i
		}
		n--
	}
	return len(s)
}

func firstInvalidUTF8(s string) int {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return len(s)
}

// split cuts text at top-level semicolons using pg_query's scanner, so semicolons in
// strings, dollar quotes and comments never split. A scanner error (an unterminated
// string or comment) ends the file: everything from the statement holding it to the
// end becomes one statement that carries the error, as PostgreSQL itself would read it.
func split(text string, cache *ParseCache) ([]chunk, []Comment, *SyntaxError) {
	var (
		tokens  []Token
		errAt   int
		scanErr error
	)
	if cache != nil {
		tokens, errAt, scanErr = cache.scan(text)
	} else {
		tokens, errAt, scanErr = scan(text)
	}
	var (
		chunks   []chunk
		comments []Comment
		cur      = chunk{start: -1}
		atomic   int // depth of BEGIN ATOMIC ... END bodies, whose semicolons do not split
		caseDep  int // CASE ... END inside an atomic body
		prev     pg.Token
	)
	flush := func(end int) {
		if cur.start >= 0 {
			cur.end = end
			chunks = append(chunks, cur)
		}
		cur = chunk{start: -1}
	}
	for _, t := range tokens {
		start, end := t.Start, t.End
		switch t.Kind {
		case pg.Token_SQL_COMMENT, pg.Token_C_COMMENT:
			comments = append(comments, Comment{Start: start, End: end, Text: text[start:end]})
			// Runners that split files themselves end a statement at their directives
			// (goose's StatementEnd and section markers, dbmate's sections), even
			// where the author left out the semicolon.
			if t.Kind == pg.Token_SQL_COMMENT && endsStatement(text[start:end]) && cur.start >= 0 && cur.hasCode && atomic == 0 {
				flush(cur.end)
			}
			continue
		}
		if cur.start < 0 {
			cur.start = start
		}
		switch {
		case t.Kind == pg.Token_ATOMIC && prev == pg.Token_BEGIN_P:
			atomic++
		case atomic > 0 && t.Kind == pg.Token_CASE:
			caseDep++
		case atomic > 0 && t.Kind == pg.Token_END_P:
			if caseDep > 0 {
				caseDep--
			} else {
				atomic--
			}
		}
		prev = t.Kind
		if t.Kind == pg.Token_ASCII_59 && atomic == 0 {
			if cur.start == start { // a lone ';' is an empty statement
				cur = chunk{start: -1}
				continue
			}
			flush(end)
			continue
		}
		cur.hasCode = true
		cur.end = end
		cur.tokens = append(cur.tokens, t)
	}
	if scanErr == nil {
		if cur.start >= 0 {
			flush(cur.end)
		}
		return chunks, comments, nil
	}
	start := errAt
	if cur.start >= 0 {
		start = cur.start
	}
	chunks = append(chunks, chunk{start: start, end: len(text), hasCode: true, tokens: cur.tokens})
	return chunks, comments, &SyntaxError{Offset: errAt, Message: scanErr.Error()}
}

// endsStatement reports whether a comment is a runner directive that ends the
// statement before it: goose's StatementEnd, Up and Down, dbmate's migrate:up/down.
func endsStatement(comment string) bool {
	if d, ok := gooseDirective(comment); ok {
		return d == "STATEMENTEND" || d == "UP" || d == "DOWN"
	}
	_, _, ok := dbmateDirective(comment)
	return ok
}

// scan runs the scanner; on an error it rescans the text before the error so the
// statements ahead of it keep their tokens.
func scan(text string) ([]Token, int, error) {
	res, err := pg.Scan(text)
	if err == nil {
		return tokensOf(res.Tokens, 0), 0, nil
	}
	errAt := 0
	var pe *parser.Error
	if errors.As(err, &pe) && pe.Cursorpos > 0 {
		errAt = byteOffsetOfRune(text, pe.Cursorpos-1)
	}
	if errAt <= 0 {
		return nil, 0, fmt.Errorf("%s", err.Error())
	}
	res, err2 := pg.Scan(text[:errAt])
	if err2 != nil {
		return nil, 0, err
	}
	return tokensOf(res.Tokens, 0), errAt, err
}

// tokensOf converts scanner tokens to Tokens, adding base to their offsets.
func tokensOf(ts []*pg.ScanToken, base int) []Token {
	out := make([]Token, len(ts))
	for i, t := range ts {
		out[i] = Token{Start: base + int(t.Start), End: base + int(t.End), Kind: t.Token}
	}
	return out
}

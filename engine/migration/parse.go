package migration

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"unicode/utf8"

	pg "github.com/pganalyze/pg_query_go/v5"
	"github.com/pganalyze/pg_query_go/v5/parser"

	"github.com/migsafe/migsafe/internal/pgtree"
)

// Statement is one SQL statement of a file.
type Statement struct {
	Index int    // position among the file's statements, from 0
	Start int    // byte offset of the statement's first token
	End   int    // byte offset just past its terminating ';' (or its last token)
	Text  string // the SQL: Source.Text[Start:End], except for ORM statements (Origin)

	// Node is the parsed statement: nil when it did not parse (see Err), or when it
	// is Deferred. Trees are shared (between rules, fixes, hover, and the language
	// server's versions of a document) and must not be modified.
	Node *pg.Node
	// Base is added to locations inside Node (and Tree) to get file offsets.
	Base int
	// Err is the statement's syntax error, if any.
	Err *SyntaxError
	// Deferred is set for a statement that parsed but whose tree is not decoded,
	// because no rule, lock classification, fix or catalog reads more of it than its
	// target: a large INSERT ... VALUES (see DeferMin). Node is nil; Tree decodes the
	// tree on demand, and Shape outlines it.
	Deferred bool
	// Shape is, for a deferred statement, the tree of `INSERT INTO target DEFAULT
	// VALUES` with the statement's own target: all that lock classification and
	// document symbols read (see Outline). Its locations are not file positions.
	Shape *pg.Node
	// Released is set for a statement whose tree the analysis dropped once nothing
	// would read it again (engine Options.ReleaseTrees): it parsed, but Node is nil.
	Released bool

	// Tokens are the statement's scanner tokens (comments excluded); for a deferred
	// statement, only those before its rows.
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

	// Origin is set when the SQL is not the file's text at Start (an ORM front end
	// made the statement); see mapped.go.
	Origin *Origin
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

// Token is one scanner token. Its offsets are 32 bits (a file is far smaller than
// 2 GB): a 5 MB DDL document has 2 million tokens, and every version of it holds
// their array (24 MB with int offsets, 12 MB with these).
type Token struct {
	Start, End int32
	Kind       pg.Token
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
	// TooComplex marks a statement that was not parsed because it nests deeper than
	// MaxNesting: not a syntax error, but one migsafe cannot analyse.
	TooComplex bool
	// Taken marks a likely mistake the runner does not refuse (it runs the file, but
	// not as the author meant): a FLAG to verify, not a syntax error.
	Taken bool
}

// GrammarMajor is the PostgreSQL major whose grammar pg_query embeds, and so the
// newest syntax migsafe can parse (TestGrammarMajor checks it against pg_query's
// answer; asking pg_query at init put its ~2 ms first call on every start).
const GrammarMajor = pgtree.GrammarVersion / 10000

func (e *SyntaxError) Error() string { return e.Message }

// chunk is a statement's span before parsing.
type chunk struct {
	start, end int // first token .. just past ';' or last token
	hasCode    bool
	from, to   int // its tokens, in split's array of kept tokens
	tokens     []Token
	// target is set for a large INSERT ... VALUES (see DeferMin): the text of its
	// target table; tokens then stop before its rows.
	target string
}

// parseText splits text into statements with pg_query's scanner and parses them.
// One bad statement never hides the rest: when the whole text does not parse, each
// statement is parsed on its own and only the bad ones carry an error.
func parseText(text string, cache *ParseCache) (stmts []*Statement, comments []Comment, fileErrs []*SyntaxError) {
	// Tokens hold 32-bit offsets.
	if len(text) > math.MaxInt32 {
		return nil, nil, []*SyntaxError{{Message: fmt.Sprintf("file is %d bytes: larger than the 2 GB migsafe reads", len(text))}}
	}
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
	slab := make([]Statement, len(chunks)) // one allocation for all of them
	var outlines shapes
	for i, c := range chunks {
		if !c.hasCode {
			continue
		}
		st := &slab[i]
		*st = Statement{Index: len(stmts), Start: c.start, End: c.end, Text: text[c.start:c.end], Tokens: c.tokens}
		if c.target != "" {
			if outlines == nil {
				outlines = shapes{}
			}
			// A target the outline cannot parse leaves the statement to be decoded.
			if st.Shape = outlines.of(c.target); st.Shape != nil {
				st.Deferred, st.Base = true, st.Start
			}
		}
		stmts = append(stmts, st)
	}
	if len(stmts) == 0 {
		return stmts, comments, fileErrs
	}
	if scanErr != nil {
		// split puts the statement holding the scanner error last.
		stmts[len(stmts)-1].Err = scanErr
	}

	for _, st := range stmts {
		if st.Err == nil {
			if st.Err = tooComplex(st.Tokens); st.Err != nil {
				st.Deferred, st.Shape = false, nil
			}
		}
	}

	if cache != nil {
		// The language server: most statements are unchanged since the last parse.
		cache.parse(stmts, text, scanText)
	} else {
		parseBatches(stmts, scanText)
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

// batchBytes bounds the text of one parser call. pg_query holds the whole call's tree
// in C memory (and its protobuf twice over), so a large file is parsed a batch of
// statements at a time and memory stays bounded by the largest batch, not the file;
// and its serialisation grows faster than the text (1 MB of DDL: 128 ms in 8-64 KB
// calls, 220 ms in 256 KB calls, 360 ms in one), while a call costs about as much as
// parsing a small statement.
const batchBytes = 32 << 10

// parseBatches parses the statements that need a tree in as few parser calls as
// batchBytes allows (a call costs about as much as parsing a small statement), and
// checks the syntax of the deferred ones. A batch that does not parse is parsed again
// statement by statement, so one bad statement never hides the rest.
func parseBatches(stmts []*Statement, scanText string) {
	for i := 0; i < len(stmts); {
		s := stmts[i]
		if s.Err != nil {
			i++
			continue
		}
		if s.Deferred {
			checkSyntax(s, scanText)
			i++
			continue
		}
		j := i + 1
		for j < len(stmts) && stmts[j].Index == stmts[j-1].Index+1 && stmts[j].Err == nil && !stmts[j].Deferred && stmts[j].End-s.Start <= batchBytes {
			j++
		}
		if !parseBatch(stmts[i:j], scanText) {
			for _, b := range stmts[i:j] {
				parseOne(b, scanText)
			}
		}
		i = j
	}
}

// parseBatch parses consecutive statements in one call; false when they do not parse
// as exactly these statements.
func parseBatch(batch []*Statement, scanText string) bool {
	base := batch[0].Start
	tree, err := pgtree.Parse(scanText[base:batch[len(batch)-1].End])
	if err != nil || len(tree.Stmts) != len(batch) {
		return false
	}
	for i, raw := range tree.Stmts {
		loc := base + int(raw.StmtLocation)
		if loc > batch[i].Start || (i+1 < len(batch) && loc >= batch[i+1].Start) {
			return false
		}
	}
	for i, raw := range tree.Stmts {
		batch[i].Node, batch[i].Base = raw.Stmt, base
	}
	return true
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
// the statement's start (Base). A deferred statement only has its syntax checked.
func parseOne(s *Statement, scanText string) {
	if s.Deferred {
		checkSyntax(s, scanText)
		return
	}
	tree, err := pgtree.Parse(scanText[s.Start:s.End])
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
// The statements' tokens are slices of one array (comments and the terminating ';'
// left out); the rows of a large INSERT ... VALUES are not kept at all.
func split(text string, cache *ParseCache) ([]chunk, []Comment, *SyntaxError) {
	if cache != nil {
		tokens, r, errAt, err := cache.scan(text)
		if chunks, comments, ok := cache.resplit(text, tokens, r); ok {
			return chunks, comments, nil
		}
		sp := splitter{text: text, kept: make([]Token, 0, len(tokens))} // the cache keeps tokens for its next rescan
		// As many statements as last time, give or take the edit's: growing the
		// array a doubling at a time was 9 ms of a 77,000-statement document's parse.
		sp.chunks = make([]chunk, 0, cache.statements()+16)
		var closers []int32
		for i, t := range tokens {
			closers = sp.tokenAt(t, i, closers)
		}
		chunks, comments, serr := sp.finish(errAt, err)
		var st *splitState
		if 2*len(sp.kept) >= len(tokens) {
			// Most tokens are the statements' (DDL): share them. Where most are
			// comments or the rows of deferred INSERTs, the statements' are a few
			// of the text's: sharing would keep the previous version's whole array
			// alive beside the next one's while an edit is analysed (30 MB more at
			// the peak for a 5 MB document of rows) to save a few.
			at := shareTokensFrom(chunks, tokens, 0)
			if serr == nil {
				st = &splitState{text: text, chunks: chunks, comments: comments, at: at, closer: closersOf(chunks, closers)}
			}
		}
		cache.keepSplit(st)
		return chunks, comments, serr
	}
	// Tokens are split as they come, so the rows of large INSERTs are dropped as soon
	// as they are read: from the Go lexer, else from pg_query's scanner, a chunk at a
	// time for a large file.
	sp := splitter{text: text, kept: make([]Token, 0, len(text)/keptBytesPerToken+16)}
	if utf8.ValidString(text) && lex(text, 0, sp.token) {
		return sp.finish(0, nil)
	}
	sp = splitter{text: text}
	if scanChunks(text, func(toks []Token) {
		for _, t := range toks {
			sp.token(t)
		}
	}) {
		return sp.finish(0, nil)
	}
	tokens, errAt, err := scan(text)
	sp = splitter{text: text, kept: tokens[:0]} // compacted in place: kept never overtakes the token read
	for _, t := range tokens {
		sp.token(t)
	}
	return sp.finish(errAt, err)
}

// keptBytesPerToken sizes the array of a file's kept tokens before they are read: the
// corpus's files have one token in 10 bytes (half of them; one in 7 for the densest
// tenth, comments counted), so most need no growth and few shed much (finish copies
// an array more than twice too large).
const keptBytesPerToken = 10

// splitter cuts a file's tokens into statements.
type splitter struct {
	text     string
	kept     []Token // the statements' tokens
	chunks   []chunk
	comments []Comment
	cur      chunk
	started  bool
	from     int // where cur's tokens start in kept
	atomic   int // depth of BEGIN ATOMIC ... END bodies, whose semicolons do not split
	caseDep  int // CASE ... END inside an atomic body
	prev     pg.Token
}

func (sp *splitter) flush(end int) {
	if sp.started {
		cur := sp.cur
		cur.end = end
		if end-cur.start >= DeferMin {
			if target, head, ok := insertValues(sp.text, sp.kept[sp.from:]); ok {
				cur.target = target
				sp.kept = sp.kept[:sp.from+head]
			}
		}
		cur.from, cur.to = sp.from, len(sp.kept)
		sp.chunks = append(sp.chunks, cur)
	}
	sp.cur, sp.started = chunk{}, false
	sp.from = len(sp.kept)
}

func (sp *splitter) token(t Token) {
	text := sp.text
	start, end := int(t.Start), int(t.End)
	switch t.Kind {
	case pg.Token_SQL_COMMENT, pg.Token_C_COMMENT:
		sp.comments = append(sp.comments, Comment{Start: start, End: end, Text: text[start:end]})
		// Runners that split files themselves end a statement at their directives
		// (goose's StatementEnd and section markers, dbmate's sections), even
		// where the author left out the semicolon.
		if t.Kind == pg.Token_SQL_COMMENT && startsLine(text, start) && endsStatement(text[start:end]) && sp.started && sp.cur.hasCode && sp.atomic == 0 {
			sp.flush(sp.cur.end)
		}
		return
	}
	if !sp.started {
		sp.cur.start, sp.started = start, true
	}
	switch {
	case t.Kind == pg.Token_ATOMIC && sp.prev == pg.Token_BEGIN_P:
		sp.atomic++
	case sp.atomic > 0 && t.Kind == pg.Token_CASE:
		sp.caseDep++
	case sp.atomic > 0 && t.Kind == pg.Token_END_P:
		if sp.caseDep > 0 {
			sp.caseDep--
		} else {
			sp.atomic--
		}
	}
	sp.prev = t.Kind
	if t.Kind == pg.Token_ASCII_59 && sp.atomic == 0 {
		if sp.cur.start == start { // a lone ';' is an empty statement
			sp.cur, sp.started = chunk{}, false
			return
		}
		sp.flush(end)
		return
	}
	sp.cur.hasCode = true
	sp.cur.end = end
	sp.kept = append(sp.kept, t)
}

// finish ends the last statement; a scanner error at errAt makes everything from the
// statement holding it to the end one statement that carries the error.
func (sp *splitter) finish(errAt int, scanErr error) ([]chunk, []Comment, *SyntaxError) {
	if scanErr == nil {
		if sp.started {
			sp.flush(sp.cur.end)
		}
	} else {
		start := errAt
		if sp.started {
			start = sp.cur.start
		}
		sp.chunks = append(sp.chunks, chunk{start: start, end: len(sp.text), hasCode: true, from: sp.from, to: len(sp.kept)})
	}
	kept := sp.kept
	if cap(kept) > 2*len(kept)+64 {
		// Most of the array held comments or rows: copy what is kept, so the rest can go.
		kept = append([]Token(nil), kept...)
	}
	for i := range sp.chunks {
		c := &sp.chunks[i]
		c.tokens = kept[c.from:c.to:c.to]
	}
	var err *SyntaxError
	if scanErr != nil {
		err = &SyntaxError{Offset: errAt, Message: scanErr.Error()}
	}
	return sp.chunks, sp.comments, err
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

// scanChunk is how much text one scanner call reads, for the same reasons as
// batchBytes.
const scanChunk = 64 << 10

// scan runs the scanner; on an error it rescans the text before the error so the
// statements ahead of it keep their tokens.
func scan(text string) ([]Token, int, error) {
	var all []Token
	if scanChunks(text, func(toks []Token) { all = append(all, toks...) }) {
		return all, 0, nil
	}
	toks, err := scanTokens(text, 0)
	if err == nil {
		return toks, 0, nil
	}
	errAt := 0
	var pe *parser.Error
	if errors.As(err, &pe) && pe.Cursorpos > 0 {
		errAt = byteOffsetOfRune(text, pe.Cursorpos-1)
	}
	if errAt <= 0 {
		return nil, 0, fmt.Errorf("%s", err.Error())
	}
	toks, err2 := scanTokens(text[:errAt], 0)
	if err2 != nil {
		return nil, 0, err
	}
	return toks, errAt, err
}

// scanChunks scans a large text scanChunk at a time, handing each call's tokens to
// each. A call's tokens are kept up to its last ';', where PostgreSQL's lexer is back
// in its initial state, and the next call starts right after it: the tokens are those
// of one call over the whole text. A chunk with no ';', or one that ends inside a
// string or comment (an error), is read again twice as long. ok is false when the
// text is small, or when its last chunk has an error (which scan then locates over
// the whole text); each may then have been given the tokens before it.
func scanChunks(text string, each func([]Token)) bool {
	if len(text) <= scanChunk {
		return false
	}
	for start, size := 0, scanChunk; start < len(text); {
		end := start + size
		if end >= len(text) {
			toks, err := scanTokens(text[start:], start)
			if err != nil {
				return false
			}
			each(toks)
			return true
		}
		toks, err := scanTokens(text[start:end], start)
		last := -1
		if err == nil {
			for i := len(toks) - 1; i >= 0; i-- {
				if toks[i].Kind == pg.Token_ASCII_59 {
					last = i
					break
				}
			}
		}
		if last < 0 {
			size *= 2
			continue
		}
		each(toks[:last+1])
		start, size = int(toks[last].End), scanChunk
	}
	return true
}

// scanTokens returns the tokens of text with base added to their offsets, from the Go
// lexer where it can read them, else from pg_query's scanner.
func scanTokens(text string, base int) ([]Token, error) {
	if utf8.ValidString(text) {
		toks := make([]Token, 0, len(text)/4)
		if lex(text, base, func(t Token) { toks = append(toks, t) }) {
			return toks, nil
		}
	}
	return scanC(text, base)
}

// scanC runs pg_query's scanner over text, adding base to the offsets.
func scanC(text string, base int) ([]Token, error) {
	pb, err := parser.ScanToProtobuf(text)
	if err != nil {
		return nil, err
	}
	return decodeTokens(pb, base, make([]Token, 0, len(text)/4))
}

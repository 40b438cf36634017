package migration

import (
	"fmt"
	"strings"
	"unicode/utf8"

	pg "github.com/pganalyze/pg_query_go/v5"

	"github.com/migsafe/migsafe/engine/plpgsql"
	"github.com/migsafe/migsafe/internal/pgtree"
)

// Body is the PL/pgSQL body of a DO statement. Its static SQL statements are
// statements of the migration too: they run, in the transaction the DO runs in, when
// the DO does, so rules and lock classification see them like top-level ones.
type Body struct {
	// Language is the DO block's language, "plpgsql" unless LANGUAGE says otherwise.
	Language string
	// Start and End are the file offsets of the body's text, inside its quotes.
	Start, End int
	// Statements are the static SQL statements, in source order, positioned in the
	// file. Each has Parent set to the DO statement.
	Statements []*Statement
	// Dynamic are the places that run SQL built at run time (EXECUTE), which migsafe
	// does not analyse.
	Dynamic []Span
	// TxControl are the body's COMMITs and ROLLBACKs.
	TxControl []TxControl
	// Comments are the body's comments (migsafe:ignore directives may sit there).
	Comments []Comment
	// Unread says why the body's statements are not analysed ("" when they are): a
	// language other than PL/pgSQL, a body that does not compile, quoting migsafe
	// cannot map back to the file.
	Unread string
}

// Span is a located piece of a body.
type Span struct {
	Start, End int // file offsets
	Text       string
}

// TxControl is a COMMIT or ROLLBACK in a DO body.
type TxControl struct {
	Span
	// InException: in the body of a block with an EXCEPTION clause, which runs as a
	// subtransaction, where PostgreSQL refuses to commit.
	InException bool
}

// readBodies parses the body of every DO statement of the file and assigns the
// transactions its statements run in: the DO's own when it runs in a transaction
// block, else the one a DO statement opens for itself, which the body's COMMITs and
// ROLLBACKs end and restart from PostgreSQL 11 (they fail where the DO runs inside a
// transaction block, before 11, and inside a block with an EXCEPTION clause).
func (f *File) readBodies(opts Options) {
	nextID := 0
	for _, s := range f.Statements {
		if s.Tx.ID > nextID {
			nextID = s.Tx.ID
		}
	}
	v := opts.PGVersion
	for _, s := range f.Statements {
		if s.Node.GetDoStmt() == nil {
			continue
		}
		s.Body = readBody(f.Source.Text, s)
		tx := s.Tx
		if !tx.In() {
			nextID++
			tx = Tx{Kind: DoTx, ID: nextID}
		}
		next := 0 // index into TxControl
		for _, in := range s.Body.Statements {
			for ; next < len(s.Body.TxControl) && s.Body.TxControl[next].Start < in.Start; next++ {
				if c := s.Body.TxControl[next]; !s.Tx.In() && !c.InException && (v == 0 || v >= 11) {
					nextID++
					tx = Tx{Kind: DoTx, ID: nextID}
				}
			}
			in.Tx = tx
		}
	}
}

// readBody reads the body of the DO statement s.
func readBody(text string, s *Statement) *Body {
	b := &Body{Language: "plpgsql"}
	var src string
	for _, a := range s.Node.GetDoStmt().Args {
		d := a.GetDefElem()
		switch d.GetDefname() {
		case "as":
			src = d.Arg.GetString_().GetSval()
		case "language":
			b.Language = strings.ToLower(d.Arg.GetString_().GetSval())
		}
	}
	lit, ok := bodyLiteral(text, s, src)
	if !ok {
		b.Start, b.End = s.Start, s.End
		b.Unread = "its quoting (an escape string or Unicode escapes) cannot be mapped back to the file"
		return b
	}
	b.Start, b.End = lit.fileOffset(0), lit.fileOffset(len(src))
	b.Comments = lit.comments(text, src)
	if b.Language != "plpgsql" {
		b.Unread = fmt.Sprintf("it is in %s, not PL/pgSQL", b.Language)
		return b
	}
	stmts, err := plpgsql.Parse(src)
	if err != nil {
		b.Unread = fmt.Sprintf("pg_query's PL/pgSQL parser rejects it (%v)", err)
		return b
	}
	used := map[int]bool{}
	for _, ps := range stmts {
		at, base, ok := placeInBody(src, ps, used)
		if !ok {
			b.Unread = fmt.Sprintf("migsafe could not find %q in it", ps.Text)
			return b
		}
		end := base + len(ps.Text)
		switch ps.Kind {
		case plpgsql.SQL:
			b.Statements = append(b.Statements, lit.statement(text, s, ps.Text, at, base))
		case plpgsql.Dynamic:
			start := at
			if kw, ok := keywordBefore(src, at, "EXECUTE"); ok {
				start = kw
			}
			b.Dynamic = append(b.Dynamic, lit.span(text, start, end))
		case plpgsql.TxControl:
			b.TxControl = append(b.TxControl, TxControl{Span: lit.span(text, at, end), InException: ps.InException})
		}
	}
	sortByStart(b.Statements)
	return b
}

// literal is a string constant of the file and the map from its decoded value back to
// the file: dollar quotes hold the body verbatim; in '...' a doubled quote is one.
type literal struct {
	start   int   // file offset of the first byte of the value (after the opening quote)
	offsets []int // file offset of each byte of the value and of its end; nil when verbatim
}

func (l literal) fileOffset(i int) int {
	if l.offsets == nil {
		return l.start + i
	}
	if i >= len(l.offsets) {
		i = len(l.offsets) - 1
	}
	return l.offsets[i]
}

func (l literal) span(text string, start, end int) Span {
	fs, fe := l.fileOffset(start), l.fileOffset(end)
	return Span{Start: fs, End: fe, Text: text[fs:fe]}
}

// bodyLiteral finds the string constant of s whose value is body.
func bodyLiteral(text string, s *Statement, body string) (literal, bool) {
	for _, t := range s.Tokens {
		if t.Kind != pg.Token_SCONST {
			continue
		}
		if l, value, ok := decodeLiteral(text, int(t.Start), int(t.End)); ok && value == body {
			return l, true
		}
	}
	return literal{}, false
}

// decodeLiteral decodes the string constant text[start:end] when it is dollar-quoted
// or a standard-conforming '...' string; escape strings (E'...') and Unicode escapes
// (U&'...') are not decoded.
func decodeLiteral(text string, start, end int) (literal, string, bool) {
	tok := text[start:end]
	if strings.HasPrefix(tok, "$") {
		close := strings.IndexByte(tok[1:], '$')
		if close < 0 {
			return literal{}, "", false
		}
		tag := tok[:close+2]
		if len(tok) < 2*len(tag) || !strings.HasSuffix(tok, tag) {
			return literal{}, "", false
		}
		return literal{start: start + len(tag)}, tok[len(tag) : len(tok)-len(tag)], true
	}
	if len(tok) < 2 || tok[0] != '\'' || tok[len(tok)-1] != '\'' {
		return literal{}, "", false
	}
	var value strings.Builder
	l := literal{start: start + 1}
	for i := 1; i < len(tok)-1; i++ {
		l.offsets = append(l.offsets, start+i)
		value.WriteByte(tok[i])
		if tok[i] == '\'' {
			i++ // the second quote of a doubled one
		}
	}
	l.offsets = append(l.offsets, end-1)
	return l, value.String(), true
}

// statement makes the Statement for the SQL text that starts at body offset at (the
// statement's first keyword) and whose byte i is body byte base+i.
func (l literal) statement(text string, do *Statement, sql string, at, base int) *Statement {
	start, end := l.fileOffset(at), l.fileOffset(base+len(sql))
	st := &Statement{Index: do.Index, Start: start, End: end, Text: text[start:end], Section: do.Section, Parent: do}
	if l.offsets == nil {
		st.Base = l.start + base
	} else {
		st.offsets = l.offsets[base : base+len(sql)+1]
	}
	if toks, err := scanTokens(sql, 0); err == nil {
		for _, t := range toks {
			if t.Kind == pg.Token_SQL_COMMENT || t.Kind == pg.Token_C_COMMENT {
				continue
			}
			st.Tokens = append(st.Tokens, Token{Start: int32(st.Pos(t.Start)), End: int32(st.Pos(t.End)), Kind: t.Kind})
		}
	}
	if st.Err = tooComplex(st.Tokens); st.Err != nil {
		return st // pg_query would overflow its stack on it, as on a top-level statement
	}
	tree, err := pgtree.Parse(sql)
	switch {
	case err != nil:
		st.Err = locate(err, 0, sql)
		st.Err.Offset = st.Pos(int32(st.Err.Offset))
	case len(tree.Stmts) == 1:
		st.Node = tree.Stmts[0].Stmt
	default:
		st.Err = &SyntaxError{Offset: start, Message: "statement splits into several; migsafe could not tell where they end"}
	}
	return st
}

// comments are the comments of the body src, at file offsets.
func (l literal) comments(text, src string) []Comment {
	toks, err := scanTokens(src, 0)
	if err != nil {
		return nil
	}
	var out []Comment
	for _, t := range toks {
		if t.Kind == pg.Token_SQL_COMMENT || t.Kind == pg.Token_C_COMMENT {
			s, e := l.fileOffset(int(t.Start)), l.fileOffset(int(t.End))
			out = append(out, Comment{Start: s, End: e, Text: text[s:e]})
		}
	}
	return out
}

// placeInBody finds a body statement in src, the body: at is where it starts, base the body
// offset of its text's first byte (they differ for PERFORM, whose text says SELECT).
// The text is a verbatim slice of the body, except that PostgreSQL blanks an INTO
// clause with as many spaces, so a space in the text matches any byte. The search
// starts on the statement's line and skips places an earlier statement took.
func placeInBody(src string, ps plpgsql.Stmt, used map[int]bool) (at, base int, ok bool) {
	from := lineOffset(src, ps.Line)
	want := ps.Text
	if ps.Kind == plpgsql.TxControl {
		for p := from; p < len(src); p++ {
			if !used[p] && wordAt(src, p, want) {
				used[p] = true
				return p, p, true
			}
		}
		return 0, 0, false
	}
	if ps.Perform {
		// "PERFORM x" is sent as "SELECT x": the texts agree from the byte after the
		// keyword's, one later in the body.
		want = strings.TrimPrefix(ps.Text, "SELECT")
	}
	for p := from; p < len(src); p++ {
		if used[p] {
			continue
		}
		start := p
		if ps.Perform {
			if !wordAt(src, p, "PERFORM") {
				continue
			}
			start = p + len("PERFORM")
		} else if src[p] != want[0] {
			continue
		}
		if !matches(src, start, want) {
			continue
		}
		used[p] = true
		return p, start - (len(ps.Text) - len(want)), true
	}
	return 0, 0, false
}

// matches reports whether want lies at src[at:], a space matching any byte, and ends
// where a word does.
func matches(src string, at int, want string) bool {
	if at+len(want) > len(src) {
		return false
	}
	for i := 0; i < len(want); i++ {
		if want[i] != ' ' && want[i] != src[at+i] {
			return false
		}
	}
	end := at + len(want)
	return end == len(src) || !isWordByte(src[end]) || !isWordByte(src[end-1])
}

// wordAt reports the keyword word (any case) at src[p:], as a whole word.
func wordAt(src string, p int, word string) bool {
	if p+len(word) > len(src) || !strings.EqualFold(src[p:p+len(word)], word) {
		return false
	}
	if p > 0 && isWordByte(src[p-1]) {
		return false
	}
	return p+len(word) == len(src) || !isWordByte(src[p+len(word)])
}

// keywordBefore finds word (any case) ending just before src[at:], across whitespace.
func keywordBefore(src string, at int, word string) (int, bool) {
	p := at
	for p > 0 {
		r, n := utf8.DecodeLastRuneInString(src[:p])
		if r != ' ' && r != '\t' && r != '\n' && r != '\r' {
			break
		}
		p -= n
	}
	if p < len(word) || !wordAt(src, p-len(word), word) {
		return 0, false
	}
	return p - len(word), true
}

func isWordByte(b byte) bool {
	return b == '_' || b == '$' || b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= 0x80
}

// lineOffset is the offset of the 1-based line of src; 0 for line 1 or less.
func lineOffset(src string, line int) int {
	off := 0
	for l := 1; l < line; l++ {
		i := strings.IndexByte(src[off:], '\n')
		if i < 0 {
			return len(src)
		}
		off += i + 1
	}
	return off
}

func sortByStart(stmts []*Statement) {
	for i := 1; i < len(stmts); i++ {
		for j := i; j > 0 && stmts[j].Start < stmts[j-1].Start; j-- {
			stmts[j], stmts[j-1] = stmts[j-1], stmts[j]
		}
	}
}

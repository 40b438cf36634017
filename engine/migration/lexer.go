package migration

import (
	"strings"
	"unsafe"

	pg "github.com/pganalyze/pg_query_go/v5"
)

// lex is PostgreSQL 16's lexer (src/backend/parser/scan.l) in Go, for the tokens
// migrations are made of: keywords and identifiers, quoted identifiers, standard and
// E” strings, dollar quotes, numbers, parameters, operators and punctuation, and
// comments. pg_query's scanner costs more to hand its tokens across cgo than to find
// them, and needs memory in C for every token of the file at once. Whatever lex is not
// certain to read exactly as PostgreSQL does (anything that would be a scanner error,
// U&” and B”/X” strings, escapes that PostgreSQL checks while scanning, strings
// continued across lines, non-decimal or underscored numbers, stray characters) makes
// it give up (ok false), and the caller asks pg_query's scanner instead.
// TestLexerMatchesScanner and FuzzLexer hold the two together.
func lex(text string, base int, each func(Token)) (ok bool) {
	n := len(text)
	emit := func(start, end int, k pg.Token) {
		each(Token{Start: int32(base + start), End: int32(base + end), Kind: k})
	}
	for i := 0; i < n; {
		c := text[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f': // not \v, in 16
			i++
		case c == '-' && i+1 < n && text[i+1] == '-':
			end := i + 2
			for end < n && text[end] != '\n' && text[end] != '\r' {
				end++
			}
			emit(i, end, pg.Token_SQL_COMMENT)
			i = end
		case c == '/' && i+1 < n && text[i+1] == '*':
			end, depth := i+2, 1
			for depth > 0 {
				if end+1 >= n {
					return false // unterminated
				}
				switch {
				case text[end] == '*' && text[end+1] == '/':
					depth--
					end += 2
				case text[end] == '/' && text[end+1] == '*':
					depth++
					end += 2
				default:
					end++
				}
			}
			emit(i, end, pg.Token_C_COMMENT)
			i = end
		case identStart(c):
			if i+1 < n && text[i+1] == '\'' {
				switch c {
				case 'e', 'E':
					end, ok := quoted(text, i+1, true)
					if !ok {
						return false
					}
					emit(i, end, pg.Token_SCONST)
					i = end
					continue
				case 'n', 'N':
					emit(i, i+1, pg.Token_NCHAR) // PostgreSQL reads N'' as NCHAR then a string
					i++
					continue
				case 'b', 'B', 'x', 'X':
					return false
				}
			}
			if (c == 'u' || c == 'U') && i+2 < n && text[i+1] == '&' && (text[i+2] == '\'' || text[i+2] == '"') {
				return false
			}
			end := i + 1
			for end < n && identCont(text[end]) {
				end++
			}
			emit(i, end, keywordOrIdent(text[i:end]))
			i = end
		case c == '\'':
			end, ok := quoted(text, i, false)
			if !ok {
				return false
			}
			emit(i, end, pg.Token_SCONST)
			i = end
		case c == '"':
			end := i + 1
			for {
				j := strings.IndexByte(text[end:], '"')
				if j < 0 {
					return false
				}
				end += j + 1
				if end < n && text[end] == '"' {
					end++
					continue
				}
				break
			}
			if end == i+2 {
				return false // zero-length delimited identifier
			}
			emit(i, end, pg.Token_IDENT)
			i = end
		case c == '$':
			end, k, ok := dollar(text, i)
			if !ok {
				return false
			}
			emit(i, end, k)
			i = end
		case c >= '0' && c <= '9' || c == '.' && i+1 < n && text[i+1] >= '0' && text[i+1] <= '9':
			end, k, ok := number(text, i)
			if !ok {
				return false
			}
			emit(i, end, k)
			i = end
		case c == ':':
			if i+1 < n && text[i+1] == ':' {
				emit(i, i+2, pg.Token_TYPECAST)
				i += 2
			} else if i+1 < n && text[i+1] == '=' {
				emit(i, i+2, pg.Token_COLON_EQUALS)
				i += 2
			} else {
				emit(i, i+1, pg.Token_ASCII_58)
				i++
			}
		case c == '.':
			if i+1 < n && text[i+1] == '.' {
				emit(i, i+2, pg.Token_DOT_DOT)
				i += 2
			} else {
				emit(i, i+1, pg.Token_ASCII_46)
				i++
			}
		case c == ',' || c == '(' || c == ')' || c == '[' || c == ']' || c == ';':
			emit(i, i+1, pg.Token(c)) // ASCII tokens are numbered by their byte
			i++
		case opChar(c):
			end, k, ok := operator(text, i)
			if !ok {
				return false
			}
			emit(i, end, k)
			i = end
		default:
			return false
		}
	}
	return true
}

func identStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c >= 0x80
}

func identCont(c byte) bool {
	return identStart(c) || c >= '0' && c <= '9' || c == '$'
}

func opChar(c byte) bool {
	return strings.IndexByte("~!@#^&|`?+-*/%<>=", c) >= 0
}

// quoted reads a single-quoted string starting at the quote at i: ” doubles a quote;
// in an E” string a backslash escapes the next byte. It gives up on what PostgreSQL
// checks while scanning (octal, hex and Unicode escapes in E”) and on a string
// continued on a later line (a quote after whitespace holding a newline).
func quoted(text string, i int, escapes bool) (int, bool) {
	n := len(text)
	for end := i + 1; end < n; end++ {
		switch text[end] {
		case '\\':
			if !escapes {
				continue
			}
			if end+1 >= n || strings.IndexByte("01234567xuU", text[end+1]) >= 0 {
				return 0, false
			}
			end++
		case '\'':
			if end+1 < n && text[end+1] == '\'' {
				end++
				continue
			}
			end++
			if continues(text, end) {
				return 0, false
			}
			return end, true
		}
	}
	return 0, false
}

// continues reports whether a quote follows after whitespace and comments that hold a
// newline: PostgreSQL then reads both literals as one.
func continues(text string, i int) bool {
	newline := false
	for i < len(text) {
		switch c := text[i]; {
		case c == '\n' || c == '\r':
			newline = true
			i++
		case c == ' ' || c == '\t' || c == '\f':
			i++
		case c == '-' && i+1 < len(text) && text[i+1] == '-':
			for i < len(text) && text[i] != '\n' && text[i] != '\r' {
				i++
			}
		case c == '/' && i+1 < len(text) && text[i+1] == '*':
			return true // unusual enough to leave to pg_query
		default:
			return newline && c == '\''
		}
	}
	return false
}

// dollar reads a parameter ($1) or a dollar-quoted string ($tag$ ... $tag$).
func dollar(text string, i int) (int, pg.Token, bool) {
	n := len(text)
	j := i + 1
	if j < n && text[j] >= '0' && text[j] <= '9' {
		for j < n && text[j] >= '0' && text[j] <= '9' {
			j++
		}
		if j < n && identCont(text[j]) {
			return 0, 0, false // trailing junk after parameter
		}
		return j, pg.Token_PARAM, true
	}
	for j < n && (identStart(text[j]) || j > i+1 && text[j] >= '0' && text[j] <= '9') {
		j++
	}
	if j >= n || text[j] != '$' {
		return 0, 0, false
	}
	delim := text[i : j+1]
	k := strings.Index(text[j+1:], delim)
	if k < 0 {
		return 0, 0, false
	}
	return j + 1 + k + len(delim), pg.Token_SCONST, true
}

// number reads a decimal integer (ICONST while it fits in 32 bits, as PostgreSQL
// decides), a numeric or a real (FCONST). Anything glued to it that could make it
// something else (letters, underscores: hexadecimal, octal, binary, junk) gives up.
func number(text string, i int) (int, pg.Token, bool) {
	n := len(text)
	digits := func(j int) int {
		for j < n && text[j] >= '0' && text[j] <= '9' {
			j++
		}
		return j
	}
	end := digits(i)
	kind := pg.Token_ICONST
	if end < n && text[end] == '.' {
		if end+1 < n && text[end+1] == '.' {
			// 1..2 is an integer and DOT_DOT (array slices).
		} else {
			kind = pg.Token_FCONST
			end = digits(end + 1)
		}
	}
	if end < n && (text[end] == 'e' || text[end] == 'E') {
		j := end + 1
		if j < n && (text[j] == '+' || text[j] == '-') {
			j++
		}
		if j >= n || text[j] < '0' || text[j] > '9' {
			return 0, 0, false
		}
		kind, end = pg.Token_FCONST, digits(j)
	}
	if end < n && (identStart(text[end]) || text[end] == '.' && kind == pg.Token_FCONST && end+1 < n && text[end+1] != '.' && !(text[end+1] >= '0' && text[end+1] <= '9')) {
		return 0, 0, false
	}
	if kind == pg.Token_ICONST {
		v := 0
		for _, d := range text[i:end] {
			if v = v*10 + int(d-'0'); v > 1<<31-1 {
				kind = pg.Token_FCONST
				break
			}
		}
	}
	return end, kind, true
}

// operator reads an operator as scan.l's {operator} rule does: the longest run of
// operator characters, cut before a comment start, without trailing + and - unless
// the operator holds one of ~!@#^&|`?%; a single punctuation character or one of the
// two-character comparisons is its own token.
func operator(text string, i int) (int, pg.Token, bool) {
	end := i
	for end < len(text) && opChar(text[end]) {
		end++
	}
	op := text[i:end]
	if k := commentStart(op); k >= 0 {
		op = op[:k]
	}
	if len(op) > 1 && (op[len(op)-1] == '+' || op[len(op)-1] == '-') && !strings.ContainsAny(op[:len(op)-1], "~!@#^&|`?%") {
		for len(op) > 1 && (op[len(op)-1] == '+' || op[len(op)-1] == '-') {
			op = op[:len(op)-1]
		}
	}
	end = i + len(op)
	if len(op) == 1 {
		switch c := op[0]; c {
		case '+', '-', '*', '/', '%', '^', '<', '>', '=':
			return end, pg.Token(c), true
		}
		return end, pg.Token_Op, true
	}
	switch op {
	case "=>":
		return end, pg.Token_EQUALS_GREATER, true
	case ">=":
		return end, pg.Token_GREATER_EQUALS, true
	case "<=":
		return end, pg.Token_LESS_EQUALS, true
	case "<>", "!=":
		return end, pg.Token_NOT_EQUALS, true
	}
	if len(op) >= 63 {
		return 0, 0, false // operator too long
	}
	return end, pg.Token_Op, true
}

func commentStart(op string) int {
	a, b := strings.Index(op, "/*"), strings.Index(op, "--")
	switch {
	case a < 0:
		return b
	case b < 0 || a < b:
		return a
	}
	return b
}

// keyword is a keyword's token and its category (reserved or not).
type keyword struct {
	token pg.Token
	kind  pg.KeywordKind
}

// maxKeyword is the length of the longest keyword.
const maxKeyword = 32

// The keywords are keywordTable, generated from pg_query's scanner's answer
// (TestKeywordTable): asking the scanner at start cost every run ~2 ms of CPU, and its
// answer, through protobuf, kept ~1 MB of descriptors and message infos alive that each
// collection scanned again.
//
// keywordSlots hold the keywords by a hash of their length and three of their bytes,
// probing linearly (a quarter full): looking the corpus's words up in keywordTable was
// 4% of parsing it, and this costs a third less (the mix, and mostly one compare).
var keywordSlots = func() (slots [keywordSlotCount]keywordEntry) {
	for w, k := range keywordTable {
		i := keywordHash(w)
		for slots[i].word != "" {
			i = (i + 1) % keywordSlotCount
		}
		slots[i] = keywordEntry{w, k}
	}
	return slots
}()

const keywordSlotCount = 1 << 11

type keywordEntry struct {
	word string
	keyword
}

// keywordHash mixes a non-empty word's length, first, middle and last bytes.
func keywordHash(w string) uint {
	h := uint(len(w))*0x9E37 ^ uint(w[0])*0x85EB ^ uint(w[len(w)/2])*0xC2B2 ^ uint(w[len(w)-1])*0x27D4
	return (h ^ h>>11) % keywordSlotCount
}

// lookupKeyword is keywordTable[w].
func lookupKeyword(w string) (keyword, bool) {
	if len(w) == 0 || len(w) > maxKeyword {
		return keyword{}, false
	}
	for i := keywordHash(w); keywordSlots[i].word != ""; i = (i + 1) % keywordSlotCount {
		if keywordSlots[i].word == w {
			return keywordSlots[i].keyword, true
		}
	}
	return keyword{}, false
}

// keywordOrIdent looks the word up as PostgreSQL does, lower-casing ASCII letters.
func keywordOrIdent(w string) pg.Token {
	if len(w) == 0 || len(w) > maxKeyword {
		return pg.Token_IDENT
	}
	var buf [maxKeyword]byte
	for i := 0; i < len(w); i++ {
		c := w[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	if k, ok := lookupKeyword(unsafe.String(&buf[0], len(w))); ok {
		return k.token
	}
	return pg.Token_IDENT
}

// KeywordKind says whether a lower-case word is one of PostgreSQL's keywords, and of
// which category: an identifier spelled as a reserved keyword must be quoted.
func KeywordKind(word string) pg.KeywordKind {
	k, _ := lookupKeyword(word)
	return k.kind // NO_KEYWORD is the zero value
}

package migration

import (
	"fmt"
	"unicode"
	"unicode/utf8"
)

// lookalikes are characters that look like a space, nothing, a quote or a dash, which
// PostgreSQL does not read as one: it takes any non-ASCII character for part of a
// name. They arrive by copying SQL from documents and chat, and the resulting error
// quotes text that looks right. The names are Unicode's.
var lookalikes = map[rune]string{
	0x00A0: "NO-BREAK SPACE",
	0x00AD: "SOFT HYPHEN",
	0x1680: "OGHAM SPACE MARK",
	0x180E: "MONGOLIAN VOWEL SEPARATOR",
	0x2000: "EN QUAD",
	0x2001: "EM QUAD",
	0x2002: "EN SPACE",
	0x2003: "EM SPACE",
	0x2004: "THREE-PER-EM SPACE",
	0x2005: "FOUR-PER-EM SPACE",
	0x2006: "SIX-PER-EM SPACE",
	0x2007: "FIGURE SPACE",
	0x2008: "PUNCTUATION SPACE",
	0x2009: "THIN SPACE",
	0x200A: "HAIR SPACE",
	0x200B: "ZERO WIDTH SPACE",
	0x200C: "ZERO WIDTH NON-JOINER",
	0x200D: "ZERO WIDTH JOINER",
	0x200E: "LEFT-TO-RIGHT MARK",
	0x200F: "RIGHT-TO-LEFT MARK",
	0x2010: "HYPHEN",
	0x2011: "NON-BREAKING HYPHEN",
	0x2013: "EN DASH",
	0x2014: "EM DASH",
	0x2018: "LEFT SINGLE QUOTATION MARK",
	0x2019: "RIGHT SINGLE QUOTATION MARK",
	0x201C: "LEFT DOUBLE QUOTATION MARK",
	0x201D: "RIGHT DOUBLE QUOTATION MARK",
	0x2028: "LINE SEPARATOR",
	0x2029: "PARAGRAPH SEPARATOR",
	0x202F: "NARROW NO-BREAK SPACE",
	0x205F: "MEDIUM MATHEMATICAL SPACE",
	0x2060: "WORD JOINER",
	0x2212: "MINUS SIGN",
	0x3000: "IDEOGRAPHIC SPACE",
	0xFEFF: "ZERO WIDTH NO-BREAK SPACE",
	0xFF08: "FULLWIDTH LEFT PARENTHESIS",
	0xFF09: "FULLWIDTH RIGHT PARENTHESIS",
	0xFF0C: "FULLWIDTH COMMA",
	0xFF1B: "FULLWIDTH SEMICOLON",
}

// nameLookalike points a syntax error at the first look-alike character in the token
// it is reported at, and names it: `U+00A0 NO-BREAK SPACE`. text is the statement,
// at is the error's offset in it.
func nameLookalike(e *SyntaxError, base int, text string) {
	at := e.Offset - base
	if at < 0 || at > len(text) {
		return
	}
	for i := at; i < len(text); {
		r, n := utf8.DecodeRuneInString(text[i:])
		if r < utf8.RuneSelf && (r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == ';') {
			return // the end of the token: nothing hidden in it
		}
		name, ok := lookalikes[r]
		if !ok && (unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Zs, r)) {
			name, ok = "an invisible character", true
		}
		if ok {
			what := "part of a name"
			if unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) {
				what = "part of a name, not as a space"
			}
			e.Offset = base + i
			e.Message = fmt.Sprintf("%s: U+%04X %s, which PostgreSQL reads as %s", e.Message, r, name, what)
			// The character is at fault, not the grammar: no newer server accepts it.
			e.Grammar = false
			return
		}
		i += n
	}
}

// Package jsonquote appends strings quoted as encoding/json quotes them, for the
// hand-written JSON of reports and of the language server's diagnostics (both written
// on every run or keystroke, where reflection costs more than the writing).
package jsonquote

import (
	"slices"
	"unicode/utf8"
)

const hexDigits = "0123456789abcdef"

// plainBytes are the bytes written as they are: ASCII but control characters, '"'
// and '\\' (and, in plainBytesHTML, '<', '>' and '&'). A table, since the test runs
// on every byte of every report (the longest are megabytes).
var plainBytes, plainBytesHTML = func() (plain, html [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		plain[c] = c != '"' && c != '\\'
		html[c] = plain[c] && c != '<' && c != '>' && c != '&'
	}
	return plain, html
}()

// Append appends s quoted as encoding/json does: control characters as \n, \r, \t or
// \u00XX, U+2028 and U+2029 escaped (JSONP safety, which encoding/json keeps on),
// invalid UTF-8 as U+FFFD, and with html '<', '>' and '&' as \u escapes too
// (encoding/json's default, which json.Encoder.SetEscapeHTML(false) turns off).
func Append(b []byte, s string, html bool) []byte {
	plain := &plainBytes
	if html {
		plain = &plainBytesHTML
	}
	b = slices.Grow(b, len(s)+2) // most strings need no escape: one growth at most
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if !html {
			if i = plainWords(s, i); i == len(s) {
				break
			}
		}
		if c := s[i]; c < utf8.RuneSelf {
			if plain[c] {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// plainWords skips, from i, the 8-byte words of s that are written as they are
// without HTML escaping: none of their bytes a control character, '"', '\\' or part
// of a multi-byte character (those are looked at one by one). A word at a time quotes
// the long messages and statements of a report several times faster.
func plainWords(s string, i int) int {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	for ; i+8 <= len(s); i += 8 {
		x := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
			uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
		// A byte below n shows as a high bit of (x - n*ones) &^ x (n <= 0x80), and a
		// byte equal to c as one below 1 in x ^ c*ones.
		q, bs := x^('"'*ones), x^('\\'*ones)
		if (x|(x-0x20*ones)&^x|(q-ones)&^q|(bs-ones)&^bs)&highs != 0 {
			return i
		}
	}
	return i
}

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

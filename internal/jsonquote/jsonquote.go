// Package jsonquote appends strings quoted as encoding/json quotes them, for the
// hand-written JSON of reports and of the language server's diagnostics (both written
// on every run or keystroke, where reflection costs more than the writing).
package jsonquote

import (
	"encoding/binary"
	"math/bits"
	"slices"
	"unicode/utf8"
	"unsafe"
)

const hexDigits = "0123456789abcdef"

// Append appends s quoted as encoding/json does: control characters as \n, \r, \t or
// \u00XX, U+2028 and U+2029 escaped (JSONP safety, which encoding/json keeps on),
// invalid UTF-8 as U+FFFD, and with html '<', '>' and '&' as \u escapes too
// (encoding/json's default, which json.Encoder.SetEscapeHTML(false) turns off).
//
// The string is scanned 8 bytes at a time for the first byte that is not written as
// it is, and the run before it is copied in one go: a report's strings are mostly
// such runs (its 8 MB of JSON has one escape per 150 bytes), so the cost is the copy.
func Append(b []byte, s string, html bool) []byte {
	// Most strings need no escape: one growth at most, and the appends below write
	// into the room made here.
	b = slices.Grow(b, len(s)+2)
	b = append(b, '"')
	start := 0
	for i := 0; ; {
		i = plainRun(s, i, html)
		if i == len(s) {
			break
		}
		if c := s[i]; c < utf8.RuneSelf {
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
			default: // control characters, and '<', '>' and '&' with html
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
		default:
			i += size // a valid character, written as it is
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// plainBytes are the bytes written as they are: ASCII but control characters, '"'
// and '\\' (and, in plainBytesHTML, '<', '>' and '&'): the test for the bytes after
// the last whole word.
var plainBytes, plainBytesHTML = func() (plain, html [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		plain[c] = c != '"' && c != '\\'
		html[c] = plain[c] && c != '<' && c != '>' && c != '&'
	}
	return plain, html
}()

// plainRun is the index of the first byte of s from i that is not written as it is
// (one not in plainBytes: multi-byte characters are looked at by the caller), or
// len(s).
func plainRun(s string, i int, html bool) int {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	for ; i+8 <= len(s); i += 8 {
		x := binary.LittleEndian.Uint64(unsafe.Slice(unsafe.StringData(s[i:]), 8))
		// A byte below n shows as a high bit of (x - n*ones) &^ x (n <= 0x80), and a
		// byte equal to c as one below 1 in x ^ c*ones. Borrows can mark bytes after
		// the first such byte too, never one before it: the lowest mark is exact.
		q, bs := x^('"'*ones), x^('\\'*ones)
		m := x | (x-0x20*ones)&^x | (q-ones)&^q | (bs-ones)&^bs
		if html {
			lt, gt, amp := x^('<'*ones), x^('>'*ones), x^('&'*ones)
			m |= (lt-ones)&^lt | (gt-ones)&^gt | (amp-ones)&^amp
		}
		if m &= highs; m != 0 {
			return i + bits.TrailingZeros64(m)>>3
		}
	}
	plain := &plainBytes
	if html {
		plain = &plainBytesHTML
	}
	for ; i < len(s) && plain[s[i]]; i++ {
	}
	return i
}

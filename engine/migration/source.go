// Package migration turns the bytes of a migration file into statements that know their
// position, their section (up or down) and the transaction they run in.
package migration

import (
	"strings"
	"unicode/utf8"
)

// Source is a file's text with a line index. Offsets are byte offsets into Text; the
// index converts them to the line/column systems that clients speak: code points for
// the CLI and JSON, UTF-16 code units for LSP clients, bytes for UTF-8 LSP clients.
type Source struct {
	Text       string
	lineStarts []int // byte offset of the first byte of each line
}

// NewSource indexes text. A line ends at \n; a \r before it is not part of any column.
func NewSource(text string) *Source {
	// Counted, then found, with the vectorised searches: every file is indexed.
	starts := make([]int, 1, 1+strings.Count(text, "\n"))
	for i := 0; ; {
		j := strings.IndexByte(text[i:], '\n')
		if j < 0 {
			break
		}
		i += j + 1
		starts = append(starts, i)
	}
	return &Source{Text: text, lineStarts: starts}
}

// Encoding names a column unit.
type Encoding int

const (
	CodePoints Encoding = iota // Unicode code points: the CLI and JSON contract
	UTF16                      // UTF-16 code units: the LSP default
	UTF8                       // bytes: LSP clients that negotiate utf-8
)

// Position is a 0-based line and a 0-based column in some Encoding.
type Position struct {
	Line, Column int
}

// LineCount is the number of lines (a file ending in \n has an empty last line).
func (s *Source) LineCount() int { return len(s.lineStarts) }

// LineStart returns the byte offset where 0-based line starts, clamped to the text.
func (s *Source) LineStart(line int) int {
	if line < 0 {
		return 0
	}
	if line >= len(s.lineStarts) {
		return len(s.Text)
	}
	return s.lineStarts[line]
}

// lineEnd is the offset of the line's terminator (\r\n or \n) or the end of text.
func (s *Source) lineEnd(line int) int {
	end := len(s.Text)
	if line+1 < len(s.lineStarts) {
		end = s.lineStarts[line+1] - 1
		if end > s.lineStarts[line] && s.Text[end-1] == '\r' {
			end--
		}
	}
	return end
}

// Line returns the text of a 0-based line without its terminator.
func (s *Source) Line(line int) string {
	if line < 0 || line >= len(s.lineStarts) {
		return ""
	}
	return s.Text[s.lineStarts[line]:s.lineEnd(line)]
}

// Position converts a byte offset to a 0-based line and column in enc. Offsets inside
// a multi-byte character resolve to the character's start; offsets past the end clamp.
func (s *Source) Position(offset int, enc Encoding) Position {
	if offset < 0 {
		offset = 0
	}
	if offset > len(s.Text) {
		offset = len(s.Text)
	}
	line := s.lineOf(offset)
	start := s.lineStarts[line]
	if end := s.lineEnd(line); offset > end {
		offset = end
	}
	return Position{Line: line, Column: columnOf(s.Text[start:offset], enc)}
}

// lineOf is the 0-based line holding offset: the last line starting at or before it.
// (sort.Search's closure, called at each step, was most of a report's positions.)
func (s *Source) lineOf(offset int) int {
	lo, hi := 0, len(s.lineStarts) // lineStarts[lo-1] <= offset < lineStarts[hi]
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if s.lineStarts[m] > offset {
			hi = m
		} else {
			lo = m + 1
		}
	}
	return lo - 1
}

func columnOf(prefix string, enc Encoding) int {
	switch enc {
	case UTF8:
		return len(prefix)
	case UTF16:
		n := 0
		for _, r := range prefix {
			if r >= 0x10000 {
				n += 2
			} else {
				n++
			}
		}
		return n
	default:
		return utf8.RuneCountInString(prefix)
	}
}

// Offset converts a 0-based line and column in enc to a byte offset. Lines past the end
// give the end of the text; columns past the end of the line give the line's end, as
// the LSP specification asks; a column inside a surrogate pair resolves to the character.
func (s *Source) Offset(p Position, enc Encoding) int {
	if p.Line < 0 {
		return 0
	}
	if p.Line >= len(s.lineStarts) {
		return len(s.Text)
	}
	start, end := s.lineStarts[p.Line], s.lineEnd(p.Line)
	if p.Column <= 0 {
		return start
	}
	if enc == UTF8 {
		off := start + p.Column
		if off >= end {
			return end
		}
		for off > start && !utf8.RuneStart(s.Text[off]) {
			off--
		}
		return off
	}
	col := 0
	for i, r := range s.Text[start:end] {
		w := 1
		if enc == UTF16 && r >= 0x10000 {
			w = 2
		}
		if col+w > p.Column {
			return start + i
		}
		col += w
	}
	return end
}

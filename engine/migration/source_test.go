package migration

import (
	"testing"

	"github.com/migsafe/migsafe/internal/corpus"
)

func TestPositionEncodings(t *testing.T) {
	// "é" is 2 bytes, 1 code point, 1 UTF-16 unit; "😀" is 4 bytes, 1 code point, 2 UTF-16 units.
	src := NewSource("SELECT 1;\r\n-- é😀 x\nCREATE INDEX i ON t (a);")
	x := len("SELECT 1;\r\n-- é😀 ")
	cases := []struct {
		enc  Encoding
		want Position
	}{
		{CodePoints, Position{1, 6}},
		{UTF16, Position{1, 7}},
		{UTF8, Position{1, 10}},
	}
	for _, c := range cases {
		got := src.Position(x, c.enc)
		if got != c.want {
			t.Errorf("enc %d: Position(%d) = %+v, want %+v", c.enc, x, got, c.want)
		}
		if back := src.Offset(got, c.enc); back != x {
			t.Errorf("enc %d: Offset(%+v) = %d, want %d", c.enc, got, back, x)
		}
	}
	// The \r of a CRLF is not a column: the end of line 0 is column 9.
	if got := src.Position(len("SELECT 1;\r"), CodePoints); got != (Position{0, 9}) {
		t.Errorf("CR position = %+v, want {0 9}", got)
	}
	if got := src.Line(0); got != "SELECT 1;" {
		t.Errorf("Line(0) = %q", got)
	}
}

func TestOffsetClamps(t *testing.T) {
	src := NewSource("ab\ncd")
	for _, c := range []struct {
		p    Position
		want int
	}{
		{Position{0, 99}, 2}, // past the end of the line: the line's end
		{Position{9, 0}, 5},  // past the last line: end of text
		{Position{-1, 3}, 0}, // negative line
		{Position{1, -4}, 3}, // negative column
	} {
		for _, enc := range []Encoding{CodePoints, UTF16, UTF8} {
			if got := src.Offset(c.p, enc); got != c.want {
				t.Errorf("Offset(%+v, %d) = %d, want %d", c.p, enc, got, c.want)
			}
		}
	}
	// A UTF-16 column inside a surrogate pair resolves to the character's start.
	s := NewSource("😀a")
	if got := s.Offset(Position{0, 1}, UTF16); got != 0 {
		t.Errorf("inside surrogate pair: %d, want 0", got)
	}
	if got := s.Offset(Position{0, 2}, UTF8); got != 0 {
		t.Errorf("inside UTF-8 sequence: %d, want 0", got)
	}
}

// TestLineStarts: a line starts after each \n, the first at 0, on edge cases and on
// every file of the corpus.
func TestLineStarts(t *testing.T) {
	texts := []string{"", "\n", "a", "a\n", "a\nb", "\n\n", "a\r\nb\r\n", "é\n😀\nx"}
	for _, f := range corpus.SQLFiles(t) {
		texts = append(texts, f.Text)
	}
	for _, text := range texts {
		want := []int{0}
		for i := 0; i < len(text); i++ {
			if text[i] == '\n' {
				want = append(want, i+1)
			}
		}
		s := NewSource(text)
		if s.LineCount() != len(want) {
			t.Fatalf("%q...: %d lines, want %d", text[:min(len(text), 20)], s.LineCount(), len(want))
		}
		for l, w := range want {
			if got := s.LineStart(l); got != w {
				t.Fatalf("%q...: line %d starts at %d, want %d", text[:min(len(text), 20)], l, got, w)
			}
		}
	}
}

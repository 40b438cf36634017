package lsp

import (
	"fmt"
	"strings"
	"testing"

	"go.lsp.dev/protocol"

	"github.com/migsafe/migsafe/engine/migration"
)

// indexedOffset is the position-to-offset conversion by migration.Source's line index
// (how applyChanges found lines before it scanned for them), which lineScanner must
// agree with, position by position, errors included.
func indexedOffset(src *migration.Source, p protocol.Position, enc migration.Encoding) (int, error) {
	line, col := int(p.Line), int(p.Character)
	if line >= src.LineCount() {
		return 0, fmt.Errorf("line %d is past the end (the text has %d lines)", line, src.LineCount())
	}
	at, err := columnOffset(src.Line(line), line, col, enc)
	return src.LineStart(line) + at, err
}

func TestLineScannerMatchesTheLineIndex(t *testing.T) {
	texts := []string{
		"",
		"SELECT 1;",
		"SELECT 1;\n",
		"a\r\nbé\r\n\r\nc😀d\n\n",
		"one\ntwo\r\nthree\r",
		"\n\n\n",
	}
	for _, text := range texts {
		src := migration.NewSource(text)
		for _, enc := range []migration.Encoding{migration.UTF16, migration.UTF8, migration.CodePoints} {
			// One scanner for all positions in order, and one per position: both
			// ways it is used (a range's start then its end; a fresh change).
			shared := lineScanner{text: text}
			for line := 0; line <= src.LineCount()+1; line++ {
				for col := 0; col <= len(src.Line(line))*2+2; col++ {
					p := protocol.Position{Line: uint32(line), Character: uint32(col)}
					want, wantErr := indexedOffset(src, p, enc)
					fresh := lineScanner{text: text}
					for _, l := range []*lineScanner{&shared, &fresh} {
						got, err := l.checkedOffset(p, enc)
						if fmt.Sprint(err) != fmt.Sprint(wantErr) || err == nil && got != want {
							t.Fatalf("%q enc %d at %d:%d: got %d, %v; want %d, %v", text, enc, line, col, got, err, want, wantErr)
						}
					}
				}
			}
			// Going back to an earlier line after a later one.
			if _, err := shared.checkedOffset(protocol.Position{}, enc); err != nil {
				t.Fatalf("%q: back to 0:0: %v", text, err)
			}
		}
	}
}

func TestApplyChangesInOrder(t *testing.T) {
	text := "CREATE TABLE a (id int);\nCREATE TABLE b (id int);\n"
	r := func(l1, c1, l2, c2 uint32) *protocol.Range {
		return &protocol.Range{Start: protocol.Position{Line: l1, Character: c1}, End: protocol.Position{Line: l2, Character: c2}}
	}
	got, err := applyChanges(text, []contentChange{
		{Range: r(1, 13, 1, 14), Text: "users"},
		{Range: r(0, 0, 1, 0), Text: ""},
		{Range: r(1, 0, 1, 0), Text: "SELECT 1;"},
	}, migration.UTF16)
	if want := "CREATE TABLE users (id int);\nSELECT 1;"; err != nil || got != want {
		t.Fatalf("got %q, %v; want %q", got, err, want)
	}
	if _, err := applyChanges(text, []contentChange{{Range: r(0, 3, 5, 0), Text: "x"}}, migration.UTF16); err == nil || !strings.Contains(err.Error(), "line 5 is past the end (the text has 3 lines)") {
		t.Fatalf("past the end: %v", err)
	}
}

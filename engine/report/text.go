package report

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/width"

	"github.com/migsafe/migsafe/engine"
	"github.com/migsafe/migsafe/engine/migration"
	"github.com/migsafe/migsafe/engine/rules"
)

// TextOptions adjust the text format.
type TextOptions struct {
	// Color turns on ANSI colours; the CLI sets it only for a terminal without NO_COLOR.
	Color bool
}

type palette struct{ on bool }

func (p palette) wrap(code, s string) string {
	if !p.on || s == "" {
		return s
	}
	return "\x1b[" + code + "m" + s + "\x1b[0m"
}

func (p palette) bold(s string) string { return p.wrap("1", s) }
func (p palette) dim(s string) string  { return p.wrap("2", s) }

func (p palette) status(s string) string {
	switch s {
	case "BLOCK":
		return p.wrap("1;31", s)
	case "FLAG", string(engine.SafeWithModifications):
		return p.wrap("1;33", s)
	}
	return p.wrap("1;32", s)
}

// WriteText writes the report the way compilers and squawk do: one located line per
// finding, the source line with the range underlined, then help and lock lines; per
// file a verdict and the categories that did not pass; a summary at the end.
func WriteText(w io.Writer, r *Report, opts TextOptions) error {
	p := palette{on: opts.Color}
	var b bytes.Buffer
	for _, f := range r.Files {
		writeTextFile(&b, f, p)
	}
	writeTextSummary(&b, summarySentence(r), r.Summary, p)
	_, err := w.Write(b.Bytes())
	return err
}

func writeTextSummary(b *bytes.Buffer, sentence string, s Summary, p palette) {
	fmt.Fprintf(b, "%s Verdict: %s\n", sentence, p.status(s.Verdict))
}

// item is a finding or a file error, merged so the output follows the file's order.
type item struct {
	finding *Finding
	err     *Error
}

// items merges findings and errors in file order.
func (f *File) items() []item {
	items := make([]item, 0, len(f.Findings)+len(f.Errors))
	fi, ei := 0, 0
	for fi < len(f.Findings) || ei < len(f.Errors) {
		if ei >= len(f.Errors) || (fi < len(f.Findings) && before(f.Findings[fi].Line, f.Findings[fi].Column, f.Errors[ei].Line, f.Errors[ei].Column)) {
			items = append(items, item{finding: f.Findings[fi]})
			fi++
		} else {
			items = append(items, item{err: f.Errors[ei]})
			ei++
		}
	}
	return items
}

func writeTextFile(b *bytes.Buffer, f *File, p palette) {
	src := f.Result.File.Source
	for _, it := range f.items() {
		if e := it.err; e != nil {
			status, label := e.Status(), e.Label()
			writeLocated(b, p.bold(f.Path), e.Line, e.Column, p.status(status), label, e.Message)
			writeSnippet(b, src, e.Line, e.Column, e.Line, e.Column+wordLen(src.Line(e.Line-1), e.Column-1), p, status)
			continue
		}
		fd := it.finding
		writeLocated(b, p.bold(f.Path), fd.Line, fd.Column, p.status(fd.Status), fd.Rule, fd.Message)
		writeSnippet(b, src, fd.Line, fd.Column, fd.EndLine, fd.EndColumn, p, fd.Status)
		if fd.Help != "" {
			writeNote(b, p.bold("help:"), fd.Help)
		}
		if fd.Lock != nil {
			writeNote(b, p.bold("lock:"), describeLock(fd))
		}
		for _, fx := range fd.Fixes {
			writeNote(b, p.bold("fix:"), fx.Title+" (migsafe fix)")
		}
	}
	for _, fd := range f.Suppressed {
		writeLocated(b, p.bold(f.Path), fd.Line, fd.Column, p.dim("suppressed"), fd.Rule, p.dim("reason: "+fd.Reason))
	}
	fmt.Fprintf(b, "%s: %s\n", p.bold(f.Path), p.status(f.Verdict))
	if s := f.Deploy.Sentence(); s != "" {
		fmt.Fprintf(b, "  %s %s\n", p.bold("deploy:"), s)
	}
	for _, c := range rules.Categories {
		if st := f.Categories[c]; st != rules.OK.String() {
			fmt.Fprintf(b, "  %-26s %s\n", c, p.status(st))
		}
	}
	b.WriteByte('\n')
}

func before(l1, c1, l2, c2 int) bool { return l1 < l2 || (l1 == l2 && c1 <= c2) }

// describeLock says what the finding's lock does to traffic, in the knowledge base's
// words.
func describeLock(fd *Finding) string {
	s := fd.Lock.Mode
	if fd.Lock.Relation != "" {
		s += " on " + fd.Lock.Relation
	}
	if e := fd.Engine(); e != nil && e.Lock != nil {
		s += ": " + e.Lock.Mode.Blocks().Describe()
	}
	switch {
	case fd.Lock.Rewrite:
		s += "; rewrites the table"
	case fd.Lock.Scan:
		s += "; scans the table"
	}
	return s
}

// printable reports text without control characters other than tab and with valid UTF-8.
func printable(text string) bool {
	if !utf8.ValidString(text) {
		return false
	}
	for _, r := range text {
		if r < 0x20 && r != '\t' || r == 0x7f {
			return false
		}
	}
	return true
}

// writeSnippet prints the first line of a range with a gutter and underlines the
// range on it (to the end of the line when the range goes on).
func writeSnippet(b *bytes.Buffer, src *migration.Source, line, col, endLine, endCol int, p palette, status string) {
	text := src.Line(line - 1)
	if !printable(text) {
		return // binary or broken text: echoing it would garble the terminal
	}
	// Columns count code points: on an ASCII line (most lines) they count bytes, and
	// the line needs no conversion.
	ascii := isASCII(text)
	var runes []rune
	width := len(text)
	if !ascii {
		runes = []rune(text)
		width = len(runes)
	}
	sub := func(from, to int) string {
		if ascii {
			return text[from:to]
		}
		return string(runes[from:to])
	}
	// The range: at least one code point, to the line's end when it goes on.
	start, end := min(col-1, width), width
	if endLine == line && endCol-1 < end {
		end = endCol - 1
	}
	end = max(end, start+1)
	// lead is the line before the range, which the underline's padding mirrors; n the
	// range's width. Long lines (generated SQL on one line) are cut to a window around
	// the range.
	const before, after = 60, 100
	shown, lead, n := text, sub(0, start), end-start
	if width > before+after+40 {
		lo, hi := max(0, start-before), min(width, max(end, start+1)+after)
		prefix, suffix := "", ""
		if lo > 0 {
			prefix = "…"
		}
		if hi < width {
			suffix = "…"
		}
		shift := lo - utf8.RuneCountInString(prefix)
		cut := utf8.RuneCountInString(prefix) + hi - lo + utf8.RuneCountInString(suffix)
		shown, lead, n = prefix+sub(lo, hi)+suffix, prefix+sub(lo, start), min(end-shift, cut)-(start-shift)
	}
	text = shown
	gutter := fmt.Sprintf("%5d | ", line)
	b.WriteString(p.dim(gutter))
	b.WriteString(text)
	b.WriteByte('\n')
	code := "1;32"
	switch status {
	case "BLOCK":
		code = "1;31"
	case "FLAG":
		code = "1;33"
	}
	b.WriteString(p.dim(strings.Repeat(" ", len(gutter)-2) + "| "))
	for _, r := range lead {
		if r == '\t' {
			b.WriteByte('\t')
		} else {
			b.WriteString("  "[:cells(r)])
		}
	}
	if !ascii {
		// The underline spans the cells its n code points of the shown line take on
		// screen, at least one.
		shownRunes := []rune(text)
		from := min(utf8.RuneCountInString(lead), len(shownRunes))
		w := 0
		for _, r := range shownRunes[from:min(from+n, len(shownRunes))] {
			w += cells(r)
		}
		n = max(w, 1)
	}
	b.WriteString(p.wrap(code, strings.Repeat("^", n)))
	b.WriteByte('\n')
}

// writeLocated writes a finding's or problem's first line, "path:line:col: status
// label: message" (by hand: fmt took a quarter of the text report's time).
func writeLocated(b *bytes.Buffer, path string, line, col int, status, label, message string) {
	b.WriteString(path)
	b.WriteByte(':')
	b.WriteString(strconv.Itoa(line))
	b.WriteByte(':')
	b.WriteString(strconv.Itoa(col))
	b.WriteString(": ")
	b.WriteString(status)
	b.WriteByte(' ')
	b.WriteString(label)
	b.WriteString(": ")
	b.WriteString(message)
	b.WriteByte('\n')
}

// writeNote writes an indented "key text" line under a finding.
func writeNote(b *bytes.Buffer, key, text string) {
	b.WriteString("  ")
	b.WriteString(key)
	b.WriteByte(' ')
	b.WriteString(text)
	b.WriteByte('\n')
}

// cells is how many terminal columns r takes: none for a byte order mark, a
// zero-width space or a combining mark, two for a wide (CJK, fullwidth) character,
// else one. Counting one space per code point put the underline a column right of a
// statement after a byte order mark, and half a line off after a CJK comment.
func cells(r rune) int {
	switch {
	case unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf):
		return 0
	case r < 0x1100:
		return 1
	}
	switch width.LookupRune(r).Kind() {
	case width.EastAsianWide, width.EastAsianFullwidth:
		return 2
	}
	return 1
}

// isASCII reports whether every byte of s is ASCII.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// wordLen is the length in code points of the run of non-blank characters starting at
// column col of line: the token an error points at.
func wordLen(line string, col int) int {
	n := 0
	for i, r := range []rune(line) {
		if i < col {
			continue
		}
		if r == ' ' || r == '\t' {
			break
		}
		n++
	}
	return n
}

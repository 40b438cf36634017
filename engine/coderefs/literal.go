package coderefs

// pieceKind is what a part of a string literal's source is.
type pieceKind int

const (
	content pieceKind = iota // characters of the string as written
	escape                   // a backslash escape
	interp                   // an interpolation: #{...}, ${...}, {...} in an f-string
)

// piece is a part of a string literal, as byte offsets into the file.
type piece struct {
	start, end int
	kind       pieceKind
}

// literalText is the text of a string expression spanning src[start:end] as SQL for
// pg_query, at the same offsets: everything outside the pieces (quotes, prefixes, the
// + between concatenated literals) is blanked, interpolations become one identifier,
// and escapes become what they mean where that fits in the same bytes. The result is
// as long as the span, so a location in the parse tree plus start is a file offset.
func literalText(src []byte, start, end int, pieces []piece) string {
	b := make([]byte, end-start)
	for i := range b {
		b[i] = ' '
		if src[start+i] == '\n' {
			b[i] = '\n'
		}
	}
	quotes := map[byte]int{}
	for _, p := range pieces {
		s, e := p.start-start, p.end-start
		if s < 0 || e > len(b) || s >= e {
			continue
		}
		switch p.kind {
		case content:
			copy(b[s:e], src[p.start:p.end])
		case interp:
			b[s] = '_'
		case escape:
			if e-s != 2 {
				continue // \uXXXX and the like: blank
			}
			switch c := src[p.start+1]; c {
			case '"', '\'', '`':
				// An escaped quote opens or closes a quoted name or literal inside the
				// SQL; place the quote on the side that keeps the quoted text intact:
				// \"name\" becomes ` "name" `.
				quotes[c]++
				if quotes[c]%2 == 1 {
					b[s+1] = c
				} else {
					b[s] = c
				}
			}
		}
	}
	return string(b)
}

package orm

import (
	"strings"

	"github.com/migsafe/migsafe/engine/migration"
)

// sqlb builds the SQL of one generated statement, remembering which DSL node each part
// came from so findings land on the argument at fault (`null: false`, the column
// symbol) rather than on the whole call.
type sqlb struct {
	b      strings.Builder
	pieces []migration.Piece
}

// w writes generated text that belongs to the call as a whole.
func (s *sqlb) w(parts ...string) *sqlb {
	for _, p := range parts {
		s.b.WriteString(p)
	}
	return s
}

// from writes text generated from node n (nil: the whole call).
func (s *sqlb) from(n *node, text string) *sqlb {
	if n == nil {
		return s.w(text)
	}
	return s.fromSpan(n.start, n.end, text)
}

// fromSpan writes text generated from the file span [start, end).
func (s *sqlb) fromSpan(start, end int, text string) *sqlb {
	at := s.b.Len()
	s.b.WriteString(text)
	if end > start {
		s.pieces = append(s.pieces, migration.Piece{SQLStart: at, SQLEnd: s.b.Len(), FileStart: start, FileEnd: end})
	}
	return s
}

// mark maps everything fn writes to the span [start, end).
func (s *sqlb) mark(start, end int, fn func()) *sqlb {
	at := s.b.Len()
	fn()
	if end > start && s.b.Len() > at {
		s.pieces = append(s.pieces, migration.Piece{SQLStart: at, SQLEnd: s.b.Len(), FileStart: start, FileEnd: end})
	}
	return s
}

// markNode is mark for a node (nil: nothing extra is mapped).
func (s *sqlb) markNode(n *node, fn func()) *sqlb {
	if n == nil {
		fn()
		return s
	}
	return s.mark(n.start, n.end, fn)
}

// raw writes SQL the author wrote inside the DSL (a default expression, a check
// condition, an index predicate), mapped exactly when it is a plain string.
func (s *sqlb) raw(n *node) *sqlb {
	if n == nil || n.kind != kStr {
		return s
	}
	base := s.b.Len()
	s.b.WriteString(n.str.text)
	for _, p := range rawPieces(n.str) {
		p.SQLStart += base
		p.SQLEnd += base
		s.pieces = append(s.pieces, p)
	}
	return s
}

func (s *sqlb) String() string { return s.b.String() }

// qi quotes an identifier the way the ORMs do.
func qi(name string) string {
	if i := strings.IndexByte(name, '.'); i > 0 && !strings.Contains(name, `"`) {
		return qi(name[:i]) + "." + qi(name[i+1:])
	}
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// ql quotes a string literal.
func ql(v string) string { return "'" + strings.ReplaceAll(v, "'", "''") + "'" }

// qis quotes a list of identifiers, comma-separated.
func qis(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = qi(n)
	}
	return strings.Join(q, ", ")
}

// literal renders a DSL literal as a SQL constant; ok is false for values only known
// at run time.
func literal(n *node) (string, bool) {
	if n == nil {
		return "", false
	}
	switch n.kind {
	case kStr:
		if n.str.dynamic() {
			return "", false
		}
		return ql(n.str.text), true
	case kSym:
		return ql(n.name), true
	case kNum:
		return strings.ReplaceAll(n.raw, "_", ""), true
	case kBool:
		return n.raw, true
	case kNull:
		return "NULL", true
	}
	return "", false
}

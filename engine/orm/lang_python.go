package orm

import (
	"strconv"
	"strings"

	sitter "github.com/tree-sitter/go-tree-sitter"
	tspython "github.com/tree-sitter/tree-sitter-python/bindings/go"
)

var pythonLang = sitter.NewLanguage(tspython.Language())

// parsePython converts a Python file to the model.
func parsePython(src []byte) (*node, *source) {
	return convert(pythonLang, src, func(root *sitter.Node, s *source) *node {
		return (&pyConv{src: src, s: s}).conv(root)
	})
}

type pyConv struct {
	src []byte
	s   *source
}

func (c *pyConv) conv(n *sitter.Node) *node {
	if n == nil {
		return nil
	}
	start, end := span(n)
	out := &node{kind: kOther, start: start, end: end}
	switch n.Kind() {
	case "expression_statement", "parenthesized_expression":
		if ch := namedChildren(n); len(ch) == 1 {
			return c.conv(ch[0])
		}
		out.body = c.list(n)
	case "call":
		out.kind = kCall
		fn := n.ChildByFieldName("function")
		switch fn.Kind() {
		case "attribute":
			out.name = text(fn.ChildByFieldName("attribute"), c.src)
			out.recv = c.conv(fn.ChildByFieldName("object"))
		default:
			out.name = text(fn, c.src)
		}
		if a := n.ChildByFieldName("arguments"); a != nil {
			for _, arg := range namedChildren(a) {
				switch arg.Kind() {
				case "keyword_argument":
					s, e := span(arg)
					out.kw = append(out.kw, kwarg{key: text(arg.ChildByFieldName("name"), c.src), start: s, end: e, val: c.conv(arg.ChildByFieldName("value"))})
				case "comment":
				default:
					out.args = append(out.args, c.conv(arg))
				}
			}
		}
	case "identifier":
		out.kind, out.name = kName, text(n, c.src)
	case "attribute":
		out.kind = kAttr
		out.name = text(n.ChildByFieldName("attribute"), c.src)
		out.recv = c.conv(n.ChildByFieldName("object"))
	case "string":
		out.kind, out.str = kStr, c.string(n)
	case "concatenated_string":
		var parts []*str
		for _, ch := range namedChildren(n) {
			if ch.Kind() == "string" {
				parts = append(parts, c.string(ch))
			}
		}
		out.kind, out.str = kStr, concat(parts...)
	case "integer", "float":
		out.kind, out.raw = kNum, text(n, c.src)
	case "true", "false":
		out.kind, out.raw = kBool, n.Kind()
	case "none":
		out.kind = kNull
	case "list", "tuple", "set":
		out.kind = kList
		out.args = c.list(n)
	case "dictionary":
		out.kind = kDict
		for _, p := range namedChildren(n) {
			if p.Kind() != "pair" {
				continue
			}
			s, e := span(p)
			k := c.conv(p.ChildByFieldName("key"))
			out.kw = append(out.kw, kwarg{key: k.word(), start: s, end: e, val: c.conv(p.ChildByFieldName("value"))})
		}
	case "function_definition":
		out.kind = kFunc
		out.name = text(n.ChildByFieldName("name"), c.src)
		if ps := n.ChildByFieldName("parameters"); ps != nil {
			for _, p := range namedChildren(ps) {
				switch {
				case p.Kind() == "identifier":
					out.params = append(out.params, text(p, c.src))
				case p.ChildByFieldName("name") != nil:
					out.params = append(out.params, text(p.ChildByFieldName("name"), c.src))
				}
			}
		}
		out.body = c.list(n.ChildByFieldName("body"))
	case "decorated_definition":
		return c.conv(n.ChildByFieldName("definition"))
	case "class_definition":
		out.kind = kClass
		out.name = text(n.ChildByFieldName("name"), c.src)
		if s := n.ChildByFieldName("superclasses"); s != nil {
			out.super = strings.Trim(text(s, c.src), "()")
		}
		out.body = c.list(n.ChildByFieldName("body"))
	case "assignment":
		out.kind = kAssign
		out.name = text(n.ChildByFieldName("left"), c.src)
		out.args = []*node{c.conv(n.ChildByFieldName("right"))}
	case "with_statement":
		out.kind = kWith
		for _, ch := range namedChildren(n) {
			if ch.Kind() == "with_clause" {
				for _, item := range namedChildren(ch) {
					v := item.ChildByFieldName("value")
					if v != nil && v.Kind() == "as_pattern" && v.NamedChildCount() > 0 {
						// `with op.batch_alter_table("t") as batch_op:` parses as
						// as_pattern(call, alias): the context is the call.
						v = v.NamedChild(0)
					}
					out.args = append(out.args, c.conv(v))
				}
			}
		}
		out.body = c.list(n.ChildByFieldName("body"))
	case "binary_operator":
		if op := n.ChildByFieldName("operator"); op != nil && text(op, c.src) == "+" {
			l, r := c.conv(n.ChildByFieldName("left")), c.conv(n.ChildByFieldName("right"))
			if l.kind == kStr && r.kind == kStr {
				out.kind, out.str = kStr, concat(l.str, r.str)
				return out
			}
		}
		out.body = c.list(n)
	case "comment":
		c.s.comments = append(c.s.comments, comment{start: start, end: end, text: text(n, c.src)})
		return nil
	case "pass_statement":
		out.name = "pass"
	default:
		out.body = c.list(n)
	}
	return out
}

func (c *pyConv) list(n *sitter.Node) []*node { return convertChildren(n, c.conv) }

// string decodes a Python string literal: escapes (unless raw), f-string
// interpolations (placeholders), triple quotes.
func (c *pyConv) string(n *sitter.Node) *str {
	var sb strBuilder
	prefix := ""
	for _, ch := range namedChildren(n) {
		start, end := span(ch)
		switch ch.Kind() {
		case "string_start":
			prefix = strings.ToLower(strings.TrimRight(text(ch, c.src), `'"`))
		case "string_content":
			// Escape sequences are children of the content.
			at := start
			for _, e := range namedChildren(ch) {
				es, ee := span(e)
				sb.lit(c.src, at, es)
				if e.Kind() == "escape_sequence" && !strings.Contains(prefix, "r") {
					sb.decoded(pyEscape(text(e, c.src)), es)
				} else {
					sb.lit(c.src, es, ee)
				}
				at = ee
			}
			sb.lit(c.src, at, end)
		case "interpolation":
			inner := ch.ChildByFieldName("expression")
			expr := strings.Trim(text(ch, c.src), "{}")
			if inner != nil {
				expr = text(inner, c.src)
			}
			sb.interp(expr, start, end)
		case "escape_sequence":
			sb.decoded(pyEscape(text(ch, c.src)), start)
		}
	}
	return sb.done()
}

func pyEscape(e string) string {
	switch e {
	case `\n`:
		return "\n"
	case `\t`:
		return "\t"
	case `\r`:
		return "\r"
	case "\\\n":
		return "" // a line continuation
	case `{{`:
		return "{"
	case `}}`:
		return "}"
	}
	if strings.HasPrefix(e, `\x`) || strings.HasPrefix(e, `\u`) {
		if v, err := strconv.ParseUint(e[2:], 16, 32); err == nil {
			return string(rune(v))
		}
	}
	if len(e) == 2 {
		return e[1:]
	}
	return e
}

// pyInlineConstants replaces each use of a module-level name bound once, to a string
// literal, with that string: Alembic revisions name their indexes that way
// (INDEX_NAME = "ix_..." then op.create_index(INDEX_NAME, ...)), a name known before
// run time. A name bound anywhere else (another assignment, a parameter) is left as
// it is.
func pyInlineConstants(root *node) {
	bound := map[string]int{}
	walk(root, func(n *node) bool {
		switch n.kind {
		case kAssign:
			bound[n.name]++
		case kFunc:
			for _, p := range n.params {
				bound[p]++
			}
		}
		return true
	})
	consts := map[string]*str{}
	for _, s := range root.body {
		if s.kind == kAssign && bound[s.name] == 1 && len(s.args) == 1 && s.args[0] != nil && s.args[0].kind == kStr && !s.args[0].str.dynamic() {
			consts[s.name] = s.args[0].str
		}
	}
	if len(consts) == 0 {
		return
	}
	walk(root, func(n *node) bool {
		if n.kind == kName {
			if s, ok := consts[n.name]; ok {
				n.kind, n.str = kStr, s
			}
		}
		return true
	})
}

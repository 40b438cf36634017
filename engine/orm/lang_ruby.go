package orm

import (
	"strings"

	sitter "github.com/tree-sitter/go-tree-sitter"
	tsruby "github.com/tree-sitter/tree-sitter-ruby/bindings/go"
)

var rubyLang = sitter.NewLanguage(tsruby.Language())

// parseRuby converts a Ruby file to the model.
func parseRuby(src []byte) (*node, *source) {
	return convert(rubyLang, src, func(root *sitter.Node, s *source) *node {
		c := &rubyConv{src: src, s: s}
		// Heredoc bodies follow the line that opens them, outside the call: pair each
		// opener with its body in source order.
		c.collectHeredocs(root)
		return c.conv(root, true)
	})
}

type rubyConv struct {
	src    []byte
	s      *source
	bodies []*sitter.Node
	next   int
}

func (c *rubyConv) collectHeredocs(n *sitter.Node) {
	switch n.Kind() {
	case "heredoc_body":
		c.bodies = append(c.bodies, n)
	case "comment":
		start, end := span(n)
		c.s.comments = append(c.s.comments, comment{start: start, end: end, text: text(n, c.src)})
	}
	// A cursor steps to the next sibling in constant time; Child(i) walks from the
	// first child, so the ERROR node of 100,000 unclosed brackets took 110 s.
	cur := n.Walk()
	defer cur.Close()
	for ok := cur.GotoFirstChild(); ok; ok = cur.GotoNextSibling() {
		c.collectHeredocs(cur.Node())
	}
}

// conv converts a node; stmt is true in statement position, where a bare identifier
// is a method call (irreversible, disable_ddl_transaction!).
func (c *rubyConv) conv(n *sitter.Node, stmt bool) *node {
	if n == nil {
		return nil
	}
	start, end := span(n)
	out := &node{kind: kOther, start: start, end: end}
	switch n.Kind() {
	case "call":
		out.kind = kCall
		if m := n.ChildByFieldName("method"); m != nil {
			out.name = text(m, c.src)
		}
		out.recv = c.conv(n.ChildByFieldName("receiver"), false)
		c.args(out, n.ChildByFieldName("arguments"))
		out.block = c.conv(n.ChildByFieldName("block"), false)
	case "identifier":
		out.kind, out.name = kName, text(n, c.src)
		if stmt {
			out.kind = kCall
		}
	case "constant", "self", "instance_variable", "global_variable":
		out.kind, out.name = kName, text(n, c.src)
	case "scope_resolution":
		out.kind, out.name = kName, text(n, c.src)
	case "simple_symbol":
		out.kind, out.name = kSym, strings.TrimPrefix(text(n, c.src), ":")
	case "hash_key_symbol":
		out.kind, out.name = kSym, text(n, c.src)
	case "delimited_symbol":
		out.kind = kSym
		out.name = c.string(n).text
	case "string", "chained_string", "heredoc_beginning":
		out.kind, out.str = kStr, c.string(n)
	case "integer", "float":
		out.kind, out.raw = kNum, text(n, c.src)
	case "true", "false":
		out.kind, out.raw = kBool, n.Kind()
	case "nil":
		out.kind = kNull
	case "array", "string_array", "symbol_array":
		out.kind = kList
		for _, ch := range namedChildren(n) {
			if ch.Kind() == "bare_string" || ch.Kind() == "bare_symbol" {
				s, e := span(ch)
				kd := kStr
				if ch.Kind() == "bare_symbol" {
					kd = kSym
				}
				v := &node{kind: kd, start: s, end: e, name: text(ch, c.src)}
				if kd == kStr {
					var sb strBuilder
					sb.lit(c.src, s, e)
					v.str = sb.done()
				}
				out.args = append(out.args, v)
				continue
			}
			out.args = append(out.args, c.conv(ch, false))
		}
	case "hash":
		out.kind = kDict
		for _, ch := range namedChildren(n) {
			if ch.Kind() == "pair" {
				out.kw = append(out.kw, c.pair(ch))
			}
		}
	case "method", "singleton_method":
		out.kind = kFunc
		if m := n.ChildByFieldName("name"); m != nil {
			out.name = text(m, c.src)
		}
		out.params = c.params(n.ChildByFieldName("parameters"))
		out.body = c.stmts(n.ChildByFieldName("body"))
	case "do_block", "block", "lambda":
		out.kind = kFunc
		out.params = c.params(n.ChildByFieldName("parameters"))
		body := n.ChildByFieldName("body")
		if n.Kind() == "lambda" && body != nil && (body.Kind() == "block" || body.Kind() == "do_block") {
			out.params = c.params(body.ChildByFieldName("parameters"))
			body = body.ChildByFieldName("body")
		}
		out.body = c.stmts(body)
	case "class":
		out.kind = kClass
		if m := n.ChildByFieldName("name"); m != nil {
			out.name = text(m, c.src)
		}
		if s := n.ChildByFieldName("superclass"); s != nil {
			out.super = strings.TrimSpace(strings.TrimPrefix(text(s, c.src), "<"))
		}
		out.body = c.stmts(n.ChildByFieldName("body"))
	case "assignment":
		out.kind = kAssign
		if l := n.ChildByFieldName("left"); l != nil {
			out.name = text(l, c.src)
		}
		out.args = []*node{c.conv(n.ChildByFieldName("right"), false)}
	case "binary":
		if op := n.ChildByFieldName("operator"); op != nil && text(op, c.src) == "+" {
			l, r := c.conv(n.ChildByFieldName("left"), false), c.conv(n.ChildByFieldName("right"), false)
			if l.kind == kStr && r.kind == kStr {
				out.kind, out.str = kStr, concat(l.str, r.str)
				return out
			}
		}
		out.body = c.stmts(n)
	case "parenthesized_statements":
		if ch := namedChildren(n); len(ch) == 1 {
			return c.conv(ch[0], stmt)
		}
		out.body = c.stmts(n)
	case "comment", "heredoc_body":
		return nil
	default:
		out.body = c.stmts(n)
	}
	return out
}

// stmts converts the named children of a body.
func (c *rubyConv) stmts(n *sitter.Node) []*node {
	return convertChildren(n, func(ch *sitter.Node) *node { return c.conv(ch, true) })
}

func (c *rubyConv) args(out *node, list *sitter.Node) {
	if list == nil {
		return
	}
	for _, a := range namedChildren(list) {
		switch a.Kind() {
		case "pair":
			out.kw = append(out.kw, c.pair(a))
		case "hash":
			// add_index(:t, :c, { unique: true }): braces around the options.
			for _, p := range namedChildren(a) {
				if p.Kind() == "pair" {
					out.kw = append(out.kw, c.pair(p))
				}
			}
		case "block_argument", "comment":
		default:
			if v := c.conv(a, false); v != nil {
				out.args = append(out.args, v)
			}
		}
	}
}

func (c *rubyConv) pair(p *sitter.Node) kwarg {
	start, end := span(p)
	k := c.conv(p.ChildByFieldName("key"), false)
	return kwarg{key: k.word(), start: start, end: end, val: c.conv(p.ChildByFieldName("value"), false)}
}

func (c *rubyConv) params(n *sitter.Node) []string {
	if n == nil {
		return nil
	}
	var out []string
	for _, p := range namedChildren(n) {
		if p.Kind() == "identifier" {
			out = append(out, text(p, c.src))
		} else if name := p.ChildByFieldName("name"); name != nil {
			out = append(out, text(name, c.src))
		}
	}
	return out
}

// string decodes a string literal, adjacent literals, %q()/%Q() forms and heredocs.
func (c *rubyConv) string(n *sitter.Node) *str {
	switch n.Kind() {
	case "chained_string":
		var parts []*str
		for _, ch := range namedChildren(n) {
			parts = append(parts, c.string(ch))
		}
		return concat(parts...)
	case "heredoc_beginning":
		opener := text(n, c.src)
		if c.next >= len(c.bodies) {
			return &str{}
		}
		body := c.bodies[c.next]
		c.next++
		raw := strings.Contains(opener, "'")
		s := c.content(body, !raw, true)
		if strings.HasPrefix(opener, "<<~") {
			s = s.dedent()
		}
		return s
	}
	open := ""
	if n.ChildCount() > 0 {
		open = text(n.Child(0), c.src)
	}
	interpolates := open != "'" && !strings.HasPrefix(open, "%q") && !strings.HasPrefix(open, "%w") && !strings.HasPrefix(open, "%i")
	return c.content(n, interpolates, false)
}

// content decodes the contents of a string or heredoc body. In a heredoc the text
// starts after the opener's line and stops before the terminator's line.
func (c *rubyConv) content(n *sitter.Node, interpolates, heredoc bool) *str {
	var sb strBuilder
	for i := uint(0); i < n.ChildCount(); i++ {
		ch := n.Child(i)
		start, end := span(ch)
		switch ch.Kind() {
		case "string_content", "heredoc_content":
			if heredoc && i == 0 {
				// The body starts with the rest of the opener's line.
				if nl := strings.IndexByte(string(c.src[start:end]), '\n'); nl >= 0 {
					start += nl + 1
				}
			}
			if !interpolates {
				c.singleQuoted(&sb, start, end)
				continue
			}
			sb.lit(c.src, start, end)
		case "escape_sequence":
			if !interpolates {
				c.singleQuoted(&sb, start, end)
				continue
			}
			sb.decoded(rubyEscape(text(ch, c.src)), start)
		case "interpolation":
			inner := strings.TrimSuffix(strings.TrimPrefix(text(ch, c.src), "#{"), "}")
			sb.interp(inner, start, end)
		}
	}
	s := sb.done()
	if heredoc {
		// The last line (before the terminator) keeps its newline; drop trailing
		// indentation of the terminator line.
		t := strings.TrimRight(s.text, " \t")
		s.text, s.off = t, s.off[:len(t)]
	}
	return s
}

// singleQuoted appends single-quoted text, where only \' and \\ are escapes.
func (c *rubyConv) singleQuoted(sb *strBuilder, start, end int) {
	for i := start; i < end; i++ {
		if c.src[i] == '\\' && i+1 < end && (c.src[i+1] == '\'' || c.src[i+1] == '\\') {
			sb.decoded(string(c.src[i+1]), i)
			i++
			continue
		}
		sb.lit(c.src, i, i+1)
	}
}

func rubyEscape(e string) string {
	switch e {
	case `\n`:
		return "\n"
	case `\t`:
		return "\t"
	case `\r`:
		return "\r"
	case `\s`:
		return " "
	case `\0`:
		return "\x00"
	}
	if len(e) == 2 {
		return e[1:]
	}
	return e
}

package orm

import (
	"strconv"
	"strings"

	sitter "github.com/tree-sitter/go-tree-sitter"
	tsjs "github.com/tree-sitter/tree-sitter-javascript/bindings/go"
	tsts "github.com/tree-sitter/tree-sitter-typescript/bindings/go"
)

var (
	jsLang = sitter.NewLanguage(tsjs.Language())
	tsLang = sitter.NewLanguage(tsts.LanguageTypescript())
)

// parseJS converts a JavaScript or TypeScript file to the model; the two grammars
// share the node kinds the model reads.
func parseJS(src []byte, typescript bool) (*node, *source) {
	lang := jsLang
	if typescript {
		lang = tsLang
	}
	return convert(lang, src, func(root *sitter.Node, s *source) *node {
		c := &jsConv{src: src, s: s, props: map[string]*sitter.Node{}}
		c.objectConstants(root)
		return c.conv(root)
	})
}

type jsConv struct {
	src []byte
	s   *source
	// props are the properties of const objects (const dbCompat = { blobLength:
	// ... }), by "name.key", for conditions on the database read through them.
	props map[string]*sitter.Node
}

// objectConstants collects the properties of object literals declared const.
func (c *jsConv) objectConstants(n *sitter.Node) {
	if n.Kind() == "lexical_declaration" && strings.HasPrefix(text(n, c.src), "const") {
		for _, d := range namedChildren(n) {
			name, val := d.ChildByFieldName("name"), d.ChildByFieldName("value")
			if d.Kind() != "variable_declarator" || name == nil || name.Kind() != "identifier" || val == nil || val.Kind() != "object" {
				continue
			}
			for _, p := range namedChildren(val) {
				if k, v := p.ChildByFieldName("key"), p.ChildByFieldName("value"); p.Kind() == "pair" && k != nil && v != nil {
					c.props[text(name, c.src)+"."+strings.Trim(text(k, c.src), "'\"")] = v
				}
			}
		}
	}
	for _, ch := range namedChildren(n) {
		c.objectConstants(ch)
	}
}

func (c *jsConv) conv(n *sitter.Node) *node {
	if n == nil {
		return nil
	}
	start, end := span(n)
	out := &node{kind: kOther, start: start, end: end}
	switch n.Kind() {
	case "expression_statement", "parenthesized_expression", "await_expression", "as_expression",
		"non_null_expression", "satisfies_expression", "type_assertion", "return_statement":
		ch := namedChildren(n)
		if len(ch) >= 1 && n.Kind() != "expression_statement" || len(ch) == 1 {
			return c.conv(ch[0])
		}
		out.body = c.list(n)
	case "call_expression", "new_expression":
		out.kind = kCall
		fn := n.ChildByFieldName("function")
		if fn == nil {
			fn = n.ChildByFieldName("constructor")
		}
		if fn != nil && fn.Kind() == "member_expression" {
			out.at = int(fn.ChildByFieldName("property").StartByte())
			out.name = text(fn.ChildByFieldName("property"), c.src)
			out.recv = c.conv(fn.ChildByFieldName("object"))
		} else if fn != nil {
			out.name = text(fn, c.src)
		}
		if a := n.ChildByFieldName("arguments"); a != nil {
			if a.Kind() == "template_string" { // sql`...` tagged templates
				out.args = []*node{c.conv(a)}
			} else {
				for _, arg := range namedChildren(a) {
					if arg.Kind() != "comment" {
						out.args = append(out.args, c.conv(arg))
					}
				}
			}
		}
	case "member_expression":
		out.kind = kAttr
		out.name = text(n.ChildByFieldName("property"), c.src)
		out.recv = c.conv(n.ChildByFieldName("object"))
	case "identifier", "this", "property_identifier", "shorthand_property_identifier", "type_identifier":
		out.kind, out.name = kName, text(n, c.src)
	case "string":
		out.kind, out.str = kStr, c.string(n)
	case "template_string":
		out.kind, out.str = kStr, c.string(n)
	case "number":
		out.kind, out.raw = kNum, text(n, c.src)
	case "true", "false":
		out.kind, out.raw = kBool, n.Kind()
	case "null", "undefined":
		out.kind = kNull
	case "array":
		out.kind = kList
		out.args = c.list(n)
	case "object":
		out.kind = kDict
		for _, p := range namedChildren(n) {
			s, e := span(p)
			switch p.Kind() {
			case "pair":
				k := p.ChildByFieldName("key")
				key := text(k, c.src)
				if k.Kind() == "string" {
					key = c.string(k).text
				}
				out.kw = append(out.kw, kwarg{key: key, start: s, end: e, val: c.conv(p.ChildByFieldName("value"))})
			case "shorthand_property_identifier":
				out.kw = append(out.kw, kwarg{key: text(p, c.src), start: s, end: e, val: c.conv(p)})
			case "method_definition":
				f := c.conv(p)
				out.kw = append(out.kw, kwarg{key: f.name, start: s, end: e, val: f})
			}
		}
	case "function_declaration", "function_expression", "function", "arrow_function", "method_definition", "generator_function_declaration":
		out.kind = kFunc
		if nm := n.ChildByFieldName("name"); nm != nil {
			out.name = text(nm, c.src)
		}
		if p := n.ChildByFieldName("parameter"); p != nil {
			out.params = []string{text(p, c.src)}
		}
		if ps := n.ChildByFieldName("parameters"); ps != nil {
			for _, p := range namedChildren(ps) {
				if pat := p.ChildByFieldName("pattern"); pat != nil {
					p = pat
				} else if l := p.ChildByFieldName("left"); l != nil {
					p = l
				}
				out.params = append(out.params, text(p, c.src))
			}
		}
		body := n.ChildByFieldName("body")
		if body != nil && body.Kind() == "statement_block" {
			out.body = c.list(body)
		} else if body != nil {
			out.body = []*node{c.conv(body)}
		}
	case "class_declaration", "class", "abstract_class_declaration":
		out.kind = kClass
		if nm := n.ChildByFieldName("name"); nm != nil {
			out.name = text(nm, c.src)
		}
		for _, ch := range namedChildren(n) {
			if ch.Kind() == "class_heritage" {
				out.super = text(ch, c.src)
			}
		}
		out.body = c.list(n.ChildByFieldName("body"))
	case "public_field_definition", "field_definition":
		out.kind = kAssign
		nm := n.ChildByFieldName("name")
		if nm == nil {
			nm = n.ChildByFieldName("property")
		}
		if nm != nil {
			out.name = text(nm, c.src)
		}
		out.args = []*node{c.conv(n.ChildByFieldName("value"))}
	case "assignment_expression":
		out.kind = kAssign
		out.name = text(n.ChildByFieldName("left"), c.src)
		out.args = []*node{c.conv(n.ChildByFieldName("right"))}
	case "variable_declarator":
		out.kind = kAssign
		out.name = text(n.ChildByFieldName("name"), c.src)
		out.args = []*node{c.conv(n.ChildByFieldName("value"))}
	case "binary_expression":
		if op := n.ChildByFieldName("operator"); op != nil && text(op, c.src) == "+" {
			l, r := c.conv(n.ChildByFieldName("left")), c.conv(n.ChildByFieldName("right"))
			if l != nil && r != nil && l.kind == kStr && r.kind == kStr {
				out.kind, out.str = kStr, concat(l.str, r.str)
				return out
			}
		}
		out.body = c.list(n)
	case "switch_body":
		// Each case becomes one node holding the labels that reach its statements
		// (empty cases fall through), so front ends can skip other databases' branches.
		var labels []string
		for _, ch := range namedChildren(n) {
			if ch.Kind() != "switch_case" && ch.Kind() != "switch_default" {
				continue
			}
			label := "default"
			if v := ch.ChildByFieldName("value"); v != nil {
				label = strings.Trim(text(v, c.src), "'\"`")
			}
			labels = append(labels, label)
			var stmts []*node
			for _, b := range namedChildren(ch) {
				if b.Kind() == "comment" || ch.ChildByFieldName("value") != nil && b.StartByte() == ch.ChildByFieldName("value").StartByte() {
					continue
				}
				if v := c.conv(b); v != nil {
					stmts = append(stmts, v)
				}
			}
			if len(stmts) == 0 {
				continue
			}
			s, e := span(ch)
			out.body = append(out.body, &node{kind: kOther, name: "case", raw: strings.Join(labels, "|"), start: s, end: e, body: stmts})
			labels = nil
		}
	case "if_statement":
		// A branch on the database (if (client === 'mysql') ... else ...): only the
		// branch PostgreSQL takes, as for a switch on it.
		cond := n.ChildByFieldName("condition")
		out.body = []*node{c.conv(cond)}
		onPG, known := c.onPostgres(cond)
		if !known || onPG {
			out.body = append(out.body, c.conv(n.ChildByFieldName("consequence")))
		}
		if alt := n.ChildByFieldName("alternative"); alt != nil && (!known || !onPG) {
			out.body = append(out.body, c.conv(alt))
		}
	case "comment":
		c.s.comments = append(c.s.comments, comment{start: start, end: end, text: text(n, c.src)})
		return nil
	default:
		out.body = c.list(n)
	}
	return out
}

// otherDatabase reports a switch case that runs only for databases other than
// PostgreSQL: case 'mysql': case 'mssql': (Knex projects that support several).
func otherDatabase(n *node) bool {
	if n.kind != kOther || n.name != "case" {
		return false
	}
	for _, l := range strings.Split(n.raw, "|") {
		switch strings.ToLower(l) {
		case "mysql", "mysql2", "mariadb", "mssql", "sqlite", "sqlite3", "better-sqlite3", "oracle", "oracledb", "cockroachdb", "redshift":
		default:
			return false
		}
	}
	return true
}

// onPostgres evaluates a condition made of comparisons with database names
// (=== 'mysql', !== 'postgres', joined by || and &&) as it is on PostgreSQL; known is
// false for any other condition.
func (c *jsConv) onPostgres(n *sitter.Node) (value, known bool) {
	if n == nil {
		return false, false
	}
	switch n.Kind() {
	case "parenthesized_expression":
		if ch := namedChildren(n); len(ch) == 1 {
			return c.onPostgres(ch[0])
		}
	case "member_expression":
		if v := c.props[text(n, c.src)]; v != nil {
			return c.onPostgres(v)
		}
	case "binary_expression":
		op := text(n.ChildByFieldName("operator"), c.src)
		l, r := n.ChildByFieldName("left"), n.ChildByFieldName("right")
		switch op {
		case "||", "&&":
			lv, lk := c.onPostgres(l)
			rv, rk := c.onPostgres(r)
			if op == "||" && (lk && lv || rk && rv) || op == "&&" && (lk && !lv || rk && !rv) {
				return op == "||", true
			}
			if lk && rk {
				return op == "||" && (lv || rv) || op == "&&" && lv && rv, true
			}
		case "===", "==", "!==", "!=":
			lit := r
			if l != nil && (l.Kind() == "string" || l.Kind() == "template_string") {
				lit = l
			}
			if lit == nil || lit.Kind() != "string" && lit.Kind() != "template_string" {
				return false, false
			}
			name := strings.ToLower(strings.Trim(text(lit, c.src), "'\"`"))
			var is bool
			switch {
			case name == "postgres" || name == "postgresql" || name == "pg":
				is = true
			case otherDatabase(&node{kind: kOther, name: "case", raw: name}):
				is = false
			default:
				return false, false
			}
			if op == "!==" || op == "!=" {
				is = !is
			}
			return is, true
		}
	}
	return false, false
}

func (c *jsConv) list(n *sitter.Node) []*node { return convertChildren(n, c.conv) }

// string decodes a quoted string or a template literal (${...} become placeholders).
func (c *jsConv) string(n *sitter.Node) *str {
	var sb strBuilder
	for _, ch := range namedChildren(n) {
		start, end := span(ch)
		switch ch.Kind() {
		case "string_fragment":
			sb.lit(c.src, start, end)
		case "escape_sequence":
			sb.decoded(jsEscape(text(ch, c.src)), start)
		case "template_substitution":
			sb.interp(strings.TrimSuffix(strings.TrimPrefix(text(ch, c.src), "${"), "}"), start, end)
		}
	}
	return sb.done()
}

func jsEscape(e string) string {
	switch e {
	case `\n`:
		return "\n"
	case `\t`:
		return "\t"
	case `\r`:
		return "\r"
	case `\0`:
		return "\x00"
	}
	if strings.HasPrefix(e, `\x`) || strings.HasPrefix(e, `\u`) {
		if v, err := strconv.ParseUint(strings.Trim(e[2:], "{}"), 16, 32); err == nil {
			return string(rune(v))
		}
	}
	if strings.HasPrefix(e, "\\\n") || strings.HasPrefix(e, "\\\r\n") {
		return ""
	}
	if len(e) >= 2 {
		return e[1:]
	}
	return e
}

package orm

import (
	"fmt"
	"strings"

	sitter "github.com/tree-sitter/go-tree-sitter"

	"github.com/migsafe/migsafe/engine/migration"
)

// The front ends read a migration through a small language-neutral model of its code,
// built from tree-sitter's syntax tree by one converter per language (lang_*.go): the
// calls, names, literals, functions and classes that migrations are made of. What the
// model does not know becomes an "other" node that still holds what is nested in it,
// so a walk finds every call, however deep in loops and conditionals.

type kind int

const (
	kOther  kind = iota // not modelled; body holds the nodes nested in it
	kCall               // name(args, kw) on recv; block is a Ruby block
	kName               // an identifier, constant or self
	kAttr               // recv.name, not called
	kSym                // a Ruby symbol
	kStr                // a string literal (str)
	kNum                // a number (raw)
	kBool               // true or false (raw)
	kNull               // nil, None, null, undefined
	kList               // args are the elements
	kDict               // kw are the entries with literal keys
	kFunc               // a def, function, method, lambda or block: name, params, body
	kClass              // name, super (the superclass's source), body
	kAssign             // name = args[0]
	kWith               // Python's with: args are the context expressions, body the block
)

// node is one expression or statement. start and end are file byte offsets.
type node struct {
	kind       kind
	start, end int
	// at is where a method call's name starts (users.update in a chain), 0 if unknown.
	at     int
	name   string
	recv   *node
	args   []*node
	kw     []kwarg
	block  *node
	params []string
	body   []*node
	str    *str
	raw    string
	super  string
}

// kwarg is a keyword argument or a dictionary entry.
type kwarg struct {
	key        string
	start, end int // the whole entry
	val        *node
}

// str is a decoded string literal. off maps each byte of text to the file offset it
// was written at; bytes that stand for an interpolation are marked -1 and covered by a
// hole.
type str struct {
	text  string
	off   []int
	holes []hole
}

// hole is an interpolation (#{...}, {...} in an f-string, ${...}): SQL built at run time.
type hole struct {
	sqlStart, sqlEnd   int
	fileStart, fileEnd int
}

// dynamic reports a string with interpolations.
func (s *str) dynamic() bool { return len(s.holes) > 0 }

// strBuilder accumulates a decoded string.
type strBuilder struct {
	b     strings.Builder
	off   []int
	holes []hole
}

// lit appends source bytes that are their own value.
func (sb *strBuilder) lit(src []byte, start, end int) {
	for i := start; i < end; i++ {
		sb.b.WriteByte(src[i])
		sb.off = append(sb.off, i)
	}
}

// decoded appends the value of an escape sequence written at [start, end).
func (sb *strBuilder) decoded(v string, start int) {
	for i := 0; i < len(v); i++ {
		sb.b.WriteByte(v[i])
		sb.off = append(sb.off, start)
	}
}

// interp appends a placeholder for an interpolation written at [start, end): a name
// made of the expression's word characters, so the SQL still parses where a value or
// an identifier stands and messages name what was interpolated.
func (sb *strBuilder) interp(expr string, start, end int) {
	name := placeholder(expr)
	at := sb.b.Len()
	sb.b.WriteString(name)
	for range name {
		sb.off = append(sb.off, -1)
	}
	sb.holes = append(sb.holes, hole{sqlStart: at, sqlEnd: at + len(name), fileStart: start, fileEnd: end})
}

func (sb *strBuilder) done() *str {
	return &str{text: sb.b.String(), off: sb.off, holes: sb.holes}
}

// placeholder turns an interpolated expression into an identifier.
func placeholder(expr string) string {
	var b strings.Builder
	for _, r := range expr {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_':
			b.WriteRune(r)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "_"):
			b.WriteByte('_')
		}
	}
	name := strings.Trim(b.String(), "_")
	if name == "" || name[0] >= '0' && name[0] <= '9' {
		name = "v_" + name
	}
	return "dyn_" + name
}

// concat joins decoded strings (adjacent literals, + of literals).
func concat(parts ...*str) *str {
	var sb strBuilder
	for _, p := range parts {
		base := sb.b.Len()
		sb.b.WriteString(p.text)
		sb.off = append(sb.off, p.off...)
		for _, h := range p.holes {
			h.sqlStart += base
			h.sqlEnd += base
			sb.holes = append(sb.holes, h)
		}
	}
	return sb.done()
}

// dedent removes the common leading whitespace of the lines of s, as Ruby's squiggly
// heredoc and Python's textwrap.dedent do, keeping the offsets of what is left.
func (s *str) dedent() *str {
	lines := strings.SplitAfter(s.text, "\n")
	common := -1
	for _, l := range lines {
		body := strings.TrimRight(l, "\r\n")
		if strings.TrimSpace(body) == "" {
			continue
		}
		n := len(body) - len(strings.TrimLeft(body, " \t"))
		if common < 0 || n < common {
			common = n
		}
	}
	if common <= 0 {
		return s
	}
	var sb strBuilder
	at := 0
	for _, l := range lines {
		cut := common
		if body := strings.TrimRight(l, "\r\n"); len(body)-len(strings.TrimLeft(body, " \t")) < cut {
			cut = len(body) - len(strings.TrimLeft(body, " \t"))
		}
		for i := at + cut; i < at+len(l); i++ {
			sb.b.WriteByte(s.text[i])
			sb.off = append(sb.off, s.off[i])
		}
		at += len(l)
	}
	out := sb.done()
	// Holes keep their place: find them again by their marked bytes.
	j := 0
	for i := 0; i < len(out.off) && j < len(s.holes); i++ {
		if out.off[i] == -1 {
			h := s.holes[j]
			n := h.sqlEnd - h.sqlStart
			out.holes = append(out.holes, hole{sqlStart: i, sqlEnd: i + n, fileStart: h.fileStart, fileEnd: h.fileEnd})
			i += n - 1
			j++
		}
	}
	return out
}

// source is one parsed file.
type source struct {
	src      []byte
	comments []comment
	// syntax is where the host language's grammar first fails on the file, if it does.
	syntax *migration.SyntaxError
}

// comment is a comment of the host language.
type comment struct {
	start, end int
	text       string
}

// parseTree runs tree-sitter and hands the root to a converter.
func parseTree(lang *sitter.Language, src []byte) *sitter.Tree {
	p := sitter.NewParser()
	defer p.Close()
	if err := p.SetLanguage(lang); err != nil {
		return nil
	}
	return p.Parse(src, nil)
}

// convert parses src with lang and converts the root with conv, which records the
// file's comments in the source it is given.
func convert(lang *sitter.Language, src []byte, conv func(root *sitter.Node, s *source) *node) (*node, *source) {
	s := &source{src: src}
	tree := parseTree(lang, src)
	if tree == nil {
		return &node{kind: kOther}, s
	}
	defer tree.Close()
	root := tree.RootNode()
	if root.HasError() {
		s.syntax = syntaxError(root, src, languageNames[lang])
	}
	return conv(root, s), s
}

// languageNames name the grammars in messages.
var languageNames = map[*sitter.Language]string{rubyLang: "Ruby", pythonLang: "Python", jsLang: "JavaScript", tsLang: "TypeScript"}

// syntaxError describes the first place the grammar fails: a token it expected and
// did not find, or text it could not place. Such a migration fails to load in its
// ORM, and was reported SAFE TO SHIP ("defines no migration class", a PASS) when the
// error hid its class. None of the 543 ORM migrations of shared/corpus has one.
func syntaxError(root *sitter.Node, src []byte, lang string) *migration.SyntaxError {
	var first *sitter.Node
	var find func(n *sitter.Node)
	find = func(n *sitter.Node) {
		if first != nil || !n.HasError() && !n.IsMissing() {
			return
		}
		if n.IsError() || n.IsMissing() {
			first = n
			return
		}
		for i := uint(0); i < n.ChildCount() && first == nil; i++ {
			find(n.Child(i))
		}
	}
	find(root)
	if first == nil {
		first = root
	}
	start, end := span(first)
	what := "this does not parse"
	switch {
	case first.IsMissing():
		what = fmt.Sprintf("%q is missing here", first.Kind())
	case strings.Contains(string(src[start:end]), "\n"):
		// An error the parser could not narrow down spans the code it gave up on.
		last := strings.TrimRight(string(src[:end]), " \t\r\n") // the span's last line with code
		what = fmt.Sprintf("the code from here to line %d does not parse", 1+strings.Count(last, "\n"))
	case end > start:
		t := string(src[start:end])
		if len(t) > 40 {
			t = t[:40] + "..."
		}
		what = fmt.Sprintf("unexpected %q", t)
	}
	return &migration.SyntaxError{Offset: start, Message: fmt.Sprintf("%s syntax error: %s: the migration fails to load, and migsafe reads only what the parser recovers", lang, what)}
}

// convertChildren converts the named children of n, dropping what converts to nil.
func convertChildren(n *sitter.Node, conv func(*sitter.Node) *node) []*node {
	if n == nil {
		return nil
	}
	var out []*node
	for _, ch := range namedChildren(n) {
		if v := conv(ch); v != nil {
			out = append(out, v)
		}
	}
	return out
}

// text is a tree-sitter node's source.
func text(n *sitter.Node, src []byte) string { return string(src[n.StartByte():n.EndByte()]) }

// span is a tree-sitter node's byte range as ints.
func span(n *sitter.Node) (int, int) { return int(n.StartByte()), int(n.EndByte()) }

// namedChildren lists a tree-sitter node's named children.
func namedChildren(n *sitter.Node) []*sitter.Node {
	out := make([]*sitter.Node, 0, n.NamedChildCount())
	for i := uint(0); i < n.NamedChildCount(); i++ {
		out = append(out, n.NamedChild(i))
	}
	return out
}

// walk visits n and every node nested in it, depth first in source order; visit
// returns false to skip a node's insides.
func walk(n *node, visit func(*node) bool) {
	if n == nil || !visit(n) {
		return
	}
	walk(n.recv, visit)
	for _, a := range n.args {
		walk(a, visit)
	}
	for _, k := range n.kw {
		walk(k.val, visit)
	}
	walk(n.block, visit)
	for _, b := range n.body {
		walk(b, visit)
	}
}

// items are a list's elements or a call's positional arguments (none for nil).
func (n *node) items() []*node {
	if n == nil {
		return nil
	}
	return n.args
}

// arg is the i-th positional argument, nil when absent.
func (n *node) arg(i int) *node {
	if n == nil || i >= len(n.args) {
		return nil
	}
	return n.args[i]
}

// opt is a keyword argument or dictionary entry by key, nil when absent.
func (n *node) opt(key string) *node {
	if n == nil {
		return nil
	}
	for _, k := range n.kw {
		if k.key == key {
			return k.val
		}
	}
	return nil
}

// optEntry is the keyword entry itself (key and value), for spans.
func (n *node) optEntry(key string) (kwarg, bool) {
	if n != nil {
		for _, k := range n.kw {
			if k.key == key {
				return k, true
			}
		}
	}
	return kwarg{}, false
}

// word is the name a symbol or string stands for ("" otherwise): :users and "users"
// read users. A bare identifier is a variable, known only at run time.
func (n *node) word() string {
	if n == nil {
		return ""
	}
	switch n.kind {
	case kSym:
		return n.name
	case kStr:
		if !n.str.dynamic() {
			return n.str.text
		}
	case kCall:
		// Alembic's op.f("ix_name") marks a name as final; it is the name.
		if n.name == "f" && n.recv.path() == "op" && len(n.args) == 1 {
			return n.args[0].word()
		}
	}
	return ""
}

// words reads a symbol or string, or a list of them.
func (n *node) words() []string {
	if n == nil {
		return nil
	}
	if n.kind == kList {
		var out []string
		for _, e := range n.args {
			if w := e.word(); w != "" {
				out = append(out, w)
			}
		}
		return out
	}
	if w := n.word(); w != "" {
		return []string{w}
	}
	return nil
}

// truthy reports a literal true (nil node: false).
func (n *node) truthy() bool { return n != nil && n.kind == kBool && n.raw == "true" }

// falsy reports a literal false.
func (n *node) falsy() bool { return n != nil && n.kind == kBool && n.raw == "false" }

// path is the dotted name of a name or attribute chain: "op", "migrations.AddField",
// "knex.schema"; "" for anything else.
func (n *node) path() string {
	switch {
	case n == nil:
		return ""
	case n.kind == kName:
		return n.name
	case n.kind == kAttr:
		if p := n.recv.path(); p != "" {
			return p + "." + n.name
		}
	}
	return ""
}

// callee is the dotted name a call is made on: "op.add_column", "add_index",
// "migrations.AddField"; receivers that are calls themselves give "".
func (n *node) callee() string {
	if n == nil || n.kind != kCall {
		return ""
	}
	if n.recv == nil {
		return n.name
	}
	if p := n.recv.path(); p != "" {
		return p + "." + n.name
	}
	return ""
}

package coderefs

import (
	"path"
	"strings"
	"sync"

	sitter "github.com/tree-sitter/go-tree-sitter"
	tsjs "github.com/tree-sitter/tree-sitter-javascript/bindings/go"
	tspython "github.com/tree-sitter/tree-sitter-python/bindings/go"
	tsruby "github.com/tree-sitter/tree-sitter-ruby/bindings/go"
	tsts "github.com/tree-sitter/tree-sitter-typescript/bindings/go"
)

// language is a tree-sitter grammar with the node types that matter here.
type language struct {
	name    string
	grammar *sitter.Language
	parsers sync.Pool
	// binary is the node type of a binary operation (a + of string literals).
	binary string
	// models finds ORM models in a parsed file.
	models func(m *modelScan)
}

var (
	pythonLang = &language{name: "Python", grammar: sitter.NewLanguage(tspython.Language()), binary: "binary_operator", models: pythonModels}
	rubyLang   = &language{name: "Ruby", grammar: sitter.NewLanguage(tsruby.Language()), binary: "binary", models: rubyModels}
	jsLang     = &language{name: "JavaScript", grammar: sitter.NewLanguage(tsjs.Language()), binary: "binary_expression", models: jsModels}
	tsLang     = &language{name: "TypeScript", grammar: sitter.NewLanguage(tsts.LanguageTypescript()), binary: "binary_expression", models: jsModels}
	tsxLang    = &language{name: "TypeScript", grammar: sitter.NewLanguage(tsts.LanguageTSX()), binary: "binary_expression", models: jsModels}
)

func languageOf(ext string) *language {
	switch ext {
	case ".py":
		return pythonLang
	case ".rb", ".rake":
		return rubyLang
	case ".js", ".jsx", ".mjs", ".cjs":
		return jsLang
	case ".ts", ".mts", ".cts":
		return tsLang
	case ".tsx":
		return tsxLang
	}
	return nil
}

func (l *language) parse(src []byte) *sitter.Tree {
	p, _ := l.parsers.Get().(*sitter.Parser)
	if p == nil {
		p = sitter.NewParser()
		if err := p.SetLanguage(l.grammar); err != nil {
			return nil
		}
	}
	defer l.parsers.Put(p)
	return p.Parse(src, nil)
}

// stringTypes are the node types of string literals across the grammars: Python's
// string and concatenated_string, Ruby's string and heredoc_body, JavaScript's string
// and template_string.
var stringTypes = map[string]bool{"string": true, "concatenated_string": true, "heredoc_body": true, "template_string": true}

// treeRefs reads a Python, Ruby, JavaScript or TypeScript file: SQL in its string
// literals (concatenations of literals joined) and its ORM models.
func treeRefs(l *language, p string, src []byte) ([]ref, []span, map[string]map[string]bool) {
	t := l.parse(src)
	if t == nil {
		return nil, nil, nil
	}
	defer t.Close()
	detail := "SQL in a " + l.name + " string"
	var lits literals
	var visit func(n *sitter.Node)
	visit = func(n *sitter.Node) {
		typ := n.Kind()
		if typ == "comment" {
			lits.quiet = append(lits.quiet, span{int(n.StartByte()), int(n.EndByte())})
			return
		}
		if stringTypes[typ] || (typ == l.binary && stringChain(l, n)) {
			lits.add(src, int(n.StartByte()), int(n.EndByte()), stringPieces(n, nil), detail)
			return
		}
		for i := uint(0); i < n.NamedChildCount(); i++ {
			visit(n.NamedChild(i))
		}
	}
	root := t.RootNode()
	visit(root)
	m := &modelScan{path: p, src: src, root: root, ignored: map[string]map[string]bool{}}
	l.models(m)
	return append(lits.refs, m.refs...), append(lits.quiet, m.quiet...), m.ignored
}

// stringChain: a + whose operands are all string literals (or such chains).
func stringChain(l *language, n *sitter.Node) bool {
	if op := n.ChildByFieldName("operator"); op == nil || op.Kind() != "+" {
		return false
	}
	for _, f := range []string{"left", "right"} {
		c := n.ChildByFieldName(f)
		for c != nil && c.Kind() == "parenthesized_expression" && c.NamedChildCount() == 1 {
			c = c.NamedChild(0)
		}
		if c == nil || !(stringTypes[c.Kind()] || (c.Kind() == l.binary && stringChain(l, c))) {
			return false
		}
	}
	return true
}

// stringPieces lists the content, escapes and interpolations below a string node.
func stringPieces(n *sitter.Node, out []piece) []piece {
	for i := uint(0); i < n.ChildCount(); i++ {
		c := n.Child(i)
		switch c.Kind() {
		case "string_content", "string_fragment", "heredoc_content":
			out = append(out, piece{int(c.StartByte()), int(c.EndByte()), content})
			out = stringPieces(c, out) // Python nests escapes inside string_content
		case "escape_sequence":
			out = append(out, piece{int(c.StartByte()), int(c.EndByte()), escape})
		case "interpolation", "template_substitution":
			out = append(out, piece{int(c.StartByte()), int(c.EndByte()), interp})
		default:
			if stringTypes[c.Kind()] || c.Kind() == "binary_operator" || c.Kind() == "binary" || c.Kind() == "binary_expression" || c.Kind() == "parenthesized_expression" {
				out = stringPieces(c, out)
			}
		}
	}
	return out
}

// modelScan is one file's ORM model search.
type modelScan struct {
	path    string
	src     []byte
	root    *sitter.Node
	refs    []ref
	ignored map[string]map[string]bool
	// quiet are spans where an identifier is the ORM's syntax, no mention (the name
	// key of @Column({ name: "email" })).
	quiet []span
}

func (m *modelScan) text(n *sitter.Node) string {
	if n == nil {
		return ""
	}
	return n.Utf8Text(m.src)
}

func (m *modelScan) add(table, column string, n *sitter.Node, detail string) {
	m.refs = append(m.refs, ref{table: strings.ToLower(table), column: strings.ToLower(column), off: int(n.StartByte()), kind: Model, detail: detail})
}

// attr records on the last ref the attribute it maps when the column is named
// elsewhere (at).
func (m *modelScan) attr(attr, at *sitter.Node) {
	if attr != at {
		m.refs[len(m.refs)-1].attr = span{int(attr.StartByte()), int(attr.EndByte())}
	}
}

// each calls fn for every node below n of one of the types.
func each(n *sitter.Node, fn func(*sitter.Node), types ...string) {
	for i := uint(0); i < n.NamedChildCount(); i++ {
		c := n.NamedChild(i)
		for _, t := range types {
			if c.Kind() == t {
				fn(c)
				break
			}
		}
		each(c, fn, types...)
	}
}

// stringValue is the content of a plain string literal node ("" when it is not one).
func (m *modelScan) stringValue(n *sitter.Node) string {
	if n == nil || n.Kind() != "string" {
		return ""
	}
	var b strings.Builder
	for _, p := range stringPieces(n, nil) {
		if p.kind == content {
			b.Write(m.src[p.start:p.end])
		}
	}
	return b.String()
}

// djangoModels finds Django models in models.py (or a models package): each field is a
// column (db_column when given; <name>_id for a ForeignKey or OneToOneField), in table
// Meta.db_table or <app_label>_<model name in lower case>.
func djangoModels(m *modelScan) {
	dir := path.Dir(m.path)
	if path.Base(m.path) != "models.py" {
		if path.Base(dir) != "models" {
			return
		}
		dir = path.Dir(dir)
	}
	app := path.Base(dir)
	each(m.root, func(cls *sitter.Node) {
		supers := cls.ChildByFieldName("superclasses")
		if supers == nil || !strings.Contains(m.text(supers), "Model") {
			return
		}
		name := m.text(cls.ChildByFieldName("name"))
		body := cls.ChildByFieldName("body")
		if body == nil {
			return
		}
		table := strings.ToLower(app + "_" + name)
		each(body, func(meta *sitter.Node) {
			if m.text(meta.ChildByFieldName("name")) != "Meta" {
				return
			}
			each(meta, func(a *sitter.Node) {
				if m.text(a.ChildByFieldName("left")) == "db_table" {
					if v := m.stringValue(a.ChildByFieldName("right")); v != "" {
						table = strings.ToLower(v)
					}
				}
			}, "assignment")
		}, "class_definition")
		m.add(table, "", cls.ChildByFieldName("name"), "Django model "+name)
		for i := uint(0); i < body.NamedChildCount(); i++ {
			st := body.NamedChild(i)
			if st.Kind() != "expression_statement" || st.NamedChildCount() == 0 || st.NamedChild(0).Kind() != "assignment" {
				continue
			}
			a := st.NamedChild(0)
			left, right := a.ChildByFieldName("left"), a.ChildByFieldName("right")
			if left == nil || right == nil || left.Kind() != "identifier" || right.Kind() != "call" {
				continue
			}
			fn := m.text(right.ChildByFieldName("function"))
			kind := fn[strings.LastIndexByte(fn, '.')+1:]
			if !strings.HasSuffix(kind, "Field") && kind != "ForeignKey" {
				continue
			}
			if kind == "ManyToManyField" {
				continue // a join table, no column here
			}
			field := m.text(left)
			col, at := field, left
			if kind == "ForeignKey" || kind == "OneToOneField" {
				col = field + "_id"
			}
			if args := right.ChildByFieldName("arguments"); args != nil {
				each(args, func(kw *sitter.Node) {
					if m.text(kw.ChildByFieldName("name")) == "db_column" {
						if v := m.stringValue(kw.ChildByFieldName("value")); v != "" {
							col, at = v, kw.ChildByFieldName("value")
						}
					}
				}, "keyword_argument")
			}
			m.add(table, col, at, "Django field "+name+"."+field)
			m.attr(left, at)
		}
	}, "class_definition")
}

// railsModels finds ActiveRecord models: the table is self.table_name or the class
// name in plural snake case; every symbol in the class body (validates :nickname,
// belongs_to :account -> account_id) names a column; self.ignored_columns lists
// columns Rails leaves out of its SQL, which a drop may then remove.
func railsModels(m *modelScan) {
	each(m.root, func(cls *sitter.Node) {
		sup := cls.ChildByFieldName("superclass")
		if sup == nil {
			return
		}
		s := m.text(sup)
		if !strings.Contains(s, "ApplicationRecord") && !strings.Contains(s, "ActiveRecord::Base") {
			return
		}
		nameNode := cls.ChildByFieldName("name")
		name := m.text(nameNode)
		if i := strings.LastIndex(name, "::"); i >= 0 {
			name = name[i+2:]
		}
		table := plural(snake(name))
		body := cls.ChildByFieldName("body")
		if body == nil {
			for i := uint(0); i < cls.NamedChildCount(); i++ {
				if c := cls.NamedChild(i); c.Kind() == "body_statement" {
					body = c
				}
			}
		}
		if body == nil {
			m.add(table, "", nameNode, "Rails model "+name)
			m.refs[len(m.refs)-1].loadsColumns = true
			return
		}
		ignoredNodes := map[uint]bool{}
		each(body, func(a *sitter.Node) {
			lhs := m.text(a.ChildByFieldName("left"))
			rhs := a.ChildByFieldName("right")
			switch lhs {
			case "self.table_name":
				if v := m.stringValue(rhs); v != "" {
					table = strings.ToLower(v)
				}
			case "self.ignored_columns":
				if rhs == nil {
					return
				}
				each(rhs, func(v *sitter.Node) {
					ignoredNodes[v.StartByte()] = true
					col := strings.TrimPrefix(m.text(v), ":")
					if v.Kind() == "string" {
						col = m.stringValue(v)
					}
					if m.ignored[table] == nil {
						m.ignored[table] = map[string]bool{}
					}
					m.ignored[table][strings.ToLower(col)] = true
				}, "string", "bare_string", "simple_symbol", "bare_symbol")
			}
		}, "assignment", "operator_assignment")
		m.add(table, "", nameNode, "Rails model "+name)
		m.refs[len(m.refs)-1].loadsColumns = true
		each(body, func(sym *sitter.Node) {
			if ignoredNodes[sym.StartByte()] {
				return
			}
			col := strings.TrimPrefix(m.text(sym), ":")
			if call := sym.Parent(); call != nil && call.Kind() == "argument_list" {
				if c := call.Parent(); c != nil && c.Kind() == "call" {
					switch m.text(c.ChildByFieldName("method")) {
					case "belongs_to":
						col += "_id"
					case "has_many", "has_one", "has_and_belongs_to_many", "scope":
						return // other tables, or a name
					}
				}
			}
			m.add(table, col, sym, "Rails model "+name)
		}, "simple_symbol")
		// where(email: e), find_by(email: e): the keys of a query method's hash are
		// the model's columns (a validation's presence: true is an option, no column).
		each(body, func(key *sitter.Node) {
			pair := key.Parent()
			if pair == nil || pair.Kind() != "pair" || pair.ChildByFieldName("key").StartByte() != key.StartByte() {
				return
			}
			args := pair.Parent()
			if args != nil && args.Kind() == "hash" {
				args = args.Parent()
			}
			if args == nil || args.Kind() != "argument_list" {
				return
			}
			if c := args.Parent(); c != nil && c.Kind() == "call" && railsQueryMethods[m.text(c.ChildByFieldName("method"))] {
				m.add(table, m.text(key), key, "Rails model "+name)
			}
		}, "hash_key_symbol")
	}, "class")
}

// railsQueryMethods take a hash of column names to values.
var railsQueryMethods = map[string]bool{
	"where": true, "not": true, "rewhere": true, "find_by": true, "find_by!": true, "find_or_create_by": true,
	"find_or_initialize_by": true, "exists?": true, "order": true, "reorder": true, "update": true,
	"update!": true, "update_all": true, "update_columns": true, "create": true, "create!": true, "new": true,
	"insert_all": true, "upsert_all": true, "enum": true,
}

// typeormModels finds TypeORM entities: the table is @Entity's name or the class name
// in snake case (TypeORM's default naming strategy); each @Column-like decorated
// property is a column, named by its name option or the property itself.
func typeormModels(m *modelScan) {
	each(m.root, func(cls *sitter.Node) {
		decorators := decoratorsOf(cls)
		entity := false
		nameNode := cls.ChildByFieldName("name")
		if nameNode == nil {
			return
		}
		className := m.text(nameNode)
		table := snake(className)
		for _, d := range decorators {
			fn, args := decoratorCall(d)
			if fn == nil || m.text(fn) != "Entity" {
				continue
			}
			entity = true
			if v, _, ok := m.nameOption(args, true); ok {
				table = v
			}
		}
		if !entity {
			return
		}
		m.add(table, "", nameNode, "TypeORM entity "+className)
		body := cls.ChildByFieldName("body")
		if body == nil {
			return
		}
		for i := uint(0); i < body.NamedChildCount(); i++ {
			fld := body.NamedChild(i)
			if fld.Kind() != "public_field_definition" && fld.Kind() != "field_definition" {
				continue
			}
			prop := fld.ChildByFieldName("name")
			if prop == nil {
				prop = fld.ChildByFieldName("property")
			}
			if prop == nil {
				continue
			}
			for _, d := range decoratorsOf(fld) {
				fn, args := decoratorCall(d)
				if fn == nil || !strings.HasSuffix(m.text(fn), "Column") {
					continue
				}
				col, at := m.text(prop), prop
				if v, n, ok := m.nameOption(args, false); ok {
					col, at = v, n
				} else if m.text(fn) == "JoinColumn" {
					continue // named after the relation and the referenced column
				}
				m.add(table, col, at, "TypeORM entity "+className+"."+m.text(prop))
				m.attr(prop, at)
			}
		}
	}, "class_declaration", "class")
}

// decoratorsOf lists a class's or field's decorators, including those TypeScript puts
// on the export statement around an exported class.
func decoratorsOf(n *sitter.Node) []*sitter.Node {
	var ds []*sitter.Node
	collect := func(p *sitter.Node) {
		for i := uint(0); i < p.NamedChildCount(); i++ {
			if c := p.NamedChild(i); c.Kind() == "decorator" {
				ds = append(ds, c)
			}
		}
	}
	collect(n)
	if p := n.Parent(); p != nil && p.Kind() == "export_statement" {
		collect(p)
	}
	return ds
}

// decoratorCall is a decorator's function name and arguments node.
func decoratorCall(d *sitter.Node) (*sitter.Node, *sitter.Node) {
	for i := uint(0); i < d.NamedChildCount(); i++ {
		c := d.NamedChild(i)
		switch c.Kind() {
		case "call_expression":
			return c.ChildByFieldName("function"), c.ChildByFieldName("arguments")
		case "identifier":
			return c, nil
		}
	}
	return nil, nil
}

// nameOption reads a name from decorator arguments: a { name: "x" } object anywhere,
// or (for @Entity) a first string argument.
func (m *modelScan) nameOption(args *sitter.Node, firstString bool) (string, *sitter.Node, bool) {
	if args == nil {
		return "", nil, false
	}
	for i := uint(0); i < args.NamedChildCount(); i++ {
		a := args.NamedChild(i)
		if i == 0 && firstString {
			if v := m.stringValue(a); v != "" {
				return v, a, true
			}
		}
		if a.Kind() != "object" {
			continue
		}
		for j := uint(0); j < a.NamedChildCount(); j++ {
			p := a.NamedChild(j)
			if k := p.ChildByFieldName("key"); p.Kind() == "pair" && strings.Trim(m.text(k), `"'`) == "name" {
				if v := m.stringValue(p.ChildByFieldName("value")); v != "" {
					m.quiet = append(m.quiet, span{int(k.StartByte()), int(k.EndByte())})
					return v, p.ChildByFieldName("value"), true
				}
			}
		}
	}
	return "", nil, false
}

// jsModels finds TypeORM entities, Sequelize models and Knex queries.
func jsModels(m *modelScan) {
	typeormModels(m)
	sequelizeModels(m)
	knexQueries(m)
}

// sequelizeModels finds Sequelize models: sequelize.define("Account", { attrs },
// { tableName }) and Account.init({ attrs }, { sequelize, tableName }). Each attribute
// is a column, named by its field option or its key; the table is tableName, else the
// model name in plural (Sequelize's default). Their columns were mentions only.
func sequelizeModels(m *modelScan) {
	each(m.root, func(call *sitter.Node) {
		fn, args := call.ChildByFieldName("function"), call.ChildByFieldName("arguments")
		if fn == nil || args == nil || fn.Kind() != "member_expression" {
			return
		}
		method := m.text(fn.ChildByFieldName("property"))
		var name string
		var attrs, opts *sitter.Node
		arg := func(i uint) *sitter.Node {
			if i < args.NamedChildCount() {
				return args.NamedChild(i)
			}
			return nil
		}
		switch method {
		case "define":
			// sequelize.define, db.define; customElements.define is no model.
			obj := strings.ToLower(m.text(fn.ChildByFieldName("object")))
			if obj = obj[strings.LastIndexByte(obj, '.')+1:]; !strings.Contains(obj, "sequelize") && obj != "db" {
				return
			}
			name, attrs, opts = m.stringValue(arg(0)), arg(1), arg(2)
		case "init":
			name, attrs, opts = m.text(fn.ChildByFieldName("object")), arg(0), arg(1)
		default:
			return
		}
		if name == "" || attrs == nil || attrs.Kind() != "object" {
			return
		}
		table, sequelize := plural(snake(name)), method == "define"
		if opts != nil && opts.Kind() == "object" {
			for j := uint(0); j < opts.NamedChildCount(); j++ {
				p := opts.NamedChild(j)
				key := ""
				if p.Kind() == "pair" {
					key = strings.Trim(m.text(p.ChildByFieldName("key")), `"'`)
				} else if p.Kind() == "shorthand_property_identifier" {
					key = m.text(p)
				}
				switch key {
				case "tableName":
					if v := m.stringValue(p.ChildByFieldName("value")); v != "" {
						table = strings.ToLower(v)
					}
				case "sequelize":
					sequelize = true
				}
			}
		}
		if !sequelize {
			return // an init of something else
		}
		m.add(table, "", call, "Sequelize model "+name)
		for j := uint(0); j < attrs.NamedChildCount(); j++ {
			p := attrs.NamedChild(j)
			if p.Kind() != "pair" {
				continue
			}
			k := p.ChildByFieldName("key")
			attr := strings.Trim(m.text(k), `"'`)
			col, at := attr, k
			if v := p.ChildByFieldName("value"); v != nil && v.Kind() == "object" {
				for i := uint(0); i < v.NamedChildCount(); i++ {
					o := v.NamedChild(i)
					if o.Kind() == "pair" && strings.Trim(m.text(o.ChildByFieldName("key")), `"'`) == "field" {
						if f := m.stringValue(o.ChildByFieldName("value")); f != "" {
							col, at = f, o.ChildByFieldName("value")
						}
					}
				}
			}
			m.add(table, col, at, "Sequelize model "+name+"."+attr)
			m.attr(k, at)
		}
	}, "call_expression")
}

// knexRoots are the names a Knex instance goes by: knex("users"), db("users"),
// trx("users"), this.knex("users").
var knexRoots = map[string]bool{"knex": true, "db": true, "trx": true, "tx": true, "database": true}

// Knex builder methods by where their column names are: every string argument
// (select("id", "email")), the first (where("status", 1)), or an object's keys
// (where({ email }), update({ email: e })); predicate marks the ones an index serves.
var (
	knexAllArgs   = map[string]bool{"select": true, "column": true, "columns": true, "pluck": true, "distinct": true, "returning": true, "first": true, "groupBy": true}
	knexFirstArg  = map[string]bool{"where": true, "andWhere": true, "orWhere": true, "whereNot": true, "whereIn": true, "whereNotIn": true, "orWhereIn": true, "whereNull": true, "whereNotNull": true, "orWhereNull": true, "whereBetween": true, "orderBy": true, "having": true, "increment": true, "decrement": true}
	knexObjectArg = map[string]bool{"where": true, "andWhere": true, "orWhere": true, "whereNot": true, "update": true, "insert": true, "merge": true}
	knexPredicate = map[string]bool{"where": true, "andWhere": true, "orWhere": true, "whereNot": true, "whereIn": true, "whereNotIn": true, "orWhereIn": true, "whereNull": true, "whereNotNull": true, "orWhereNull": true, "whereBetween": true, "orderBy": true, "groupBy": true, "having": true}
)

// chainLink is one call of a query builder chain: the method and its arguments.
type chainLink struct {
	method string
	args   *sitter.Node
}

// chainSyntax names the nodes of a method call in a grammar whose calls hold their
// callee in a member node (JavaScript's call_expression/member_expression, Python's
// call/attribute).
type chainSyntax struct{ call, member, property string }

var (
	jsChain = chainSyntax{call: "call_expression", member: "member_expression", property: "property"}
	pyChain = chainSyntax{call: "call", member: "attribute", property: "attribute"}
)

// methodChain walks a chain a.b(x).c(y) from its outermost call inwards: the links,
// outermost first, and the node where the chain starts (the first that is not a call
// of a member: an identifier, an attribute, or a call of a plain function); nil when a
// member has no object (a tree with errors).
func methodChain(m *modelScan, call *sitter.Node, g chainSyntax) ([]chainLink, *sitter.Node) {
	var chain []chainLink
	n := call
	for n.Kind() == g.call {
		fn := n.ChildByFieldName("function")
		if fn == nil || fn.Kind() != g.member {
			break
		}
		chain = append(chain, chainLink{m.text(fn.ChildByFieldName(g.property)), n.ChildByFieldName("arguments")})
		if n = fn.ChildByFieldName("object"); n == nil {
			return chain, nil
		}
	}
	return chain, n
}

// knexQueries finds Knex query builder chains whose table is a string:
// knex("users").select("email").where({ id }) and knex.select("email").from("users").
// The column names of the chain's calls are SQL uses of that table; without this they
// were mentions only, and a drop of a column only Knex queries was no BLOCK.
func knexQueries(m *modelScan) {
	each(m.root, func(call *sitter.Node) {
		if p := call.Parent(); p != nil && p.Kind() == "member_expression" {
			return // not the outermost call of its chain
		}
		chain, n := methodChain(m, call, jsChain)
		if n == nil {
			return
		}
		root := ""
		table := ""
		switch fn := n.ChildByFieldName("function"); {
		case n.Kind() != "call_expression":
			root = m.text(n)
		case fn == nil:
			return
		default:
			// knex("users"): the root call names the table
			root = m.text(fn)
			if args := n.ChildByFieldName("arguments"); args != nil && args.NamedChildCount() > 0 {
				table = m.stringValue(args.NamedChild(0))
			}
		}
		if i := strings.LastIndexByte(root, '.'); i >= 0 {
			root = root[i+1:]
		}
		if !knexRoots[root] || len(chain) == 0 {
			return
		}
		for _, l := range chain {
			if strings.Contains(strings.ToLower(l.method), "join") {
				return // an unqualified column may be the joined table's
			}
			if (l.method == "from" || l.method == "into" || l.method == "table") && l.args != nil && l.args.NamedChildCount() > 0 {
				if v := m.stringValue(l.args.NamedChild(0)); v != "" {
					table = v
				}
			}
		}
		table = strings.ToLower(table)
		if i := strings.LastIndexByte(table, '.'); i >= 0 {
			table = table[i+1:]
		}
		if table == "" || strings.ContainsAny(table, " ()") {
			return
		}
		add := func(n *sitter.Node, col string, predicate bool) {
			col = strings.ToLower(strings.TrimSpace(col))
			if i := strings.Index(col, " as "); i >= 0 {
				col = col[:i]
			}
			if i := strings.LastIndexByte(col, '.'); i >= 0 {
				if col[:i] != table {
					return // another table's column (a join)
				}
				col = col[i+1:]
			}
			if col == "" || col == "*" || strings.ContainsAny(col, " ()") {
				return
			}
			m.refs = append(m.refs, ref{table: table, column: col, off: int(n.StartByte()), kind: SQL, detail: "Knex query on " + table, predicate: predicate})
		}
		for _, l := range chain {
			if l.args == nil {
				continue
			}
			pred := knexPredicate[l.method]
			for i := uint(0); i < l.args.NamedChildCount(); i++ {
				a := l.args.NamedChild(i)
				switch {
				case a.Kind() == "object" && knexObjectArg[l.method]:
					for j := uint(0); j < a.NamedChildCount(); j++ {
						p := a.NamedChild(j)
						switch p.Kind() {
						case "pair":
							if k := p.ChildByFieldName("key"); k != nil {
								add(k, strings.Trim(m.text(k), `"'`+"`"), pred)
							}
						case "shorthand_property_identifier":
							add(p, m.text(p), pred)
						}
					}
				case a.Kind() == "array" && knexAllArgs[l.method]:
					for j := uint(0); j < a.NamedChildCount(); j++ {
						if v := m.stringValue(a.NamedChild(j)); v != "" {
							add(a.NamedChild(j), v, pred)
						}
					}
				case knexAllArgs[l.method] || (i == 0 && knexFirstArg[l.method]):
					if v := m.stringValue(a); v != "" {
						add(a, v, pred)
					}
				}
			}
		}
	}, "call_expression")
}

// pythonModels finds Django and SQLAlchemy models, and Django queries.
func pythonModels(m *modelScan) {
	djangoModels(m)
	sqlalchemyModels(m)
	djangoQueries(m)
}

// djangoQueryMethods are the QuerySet methods whose keyword arguments (filter(email=e),
// email__iexact) or string arguments (values("email"), order_by("-created_at")) name
// the model's columns; the value says whether an index serves them.
var djangoQueryMethods = map[string]bool{
	"filter": true, "exclude": true, "get": true, "get_or_create": false, "update_or_create": false,
	"create": false, "update": false, "values": false, "values_list": false, "order_by": true,
	"only": false, "defer": false, "exists": false, "first": false, "latest": true, "earliest": true,
}

// djangoQueries finds queries through a model's manager, Model.objects.<chain>, in any
// file: the model's table is known from its name only (the model is defined in
// models.py), so the refs name the model and match the tables named after it. Their
// columns were mentions before (values("email"), F("email"), filter(email=e)).
func djangoQueries(m *modelScan) {
	each(m.root, func(call *sitter.Node) {
		if p := call.Parent(); p != nil && p.Kind() == "attribute" {
			return // not the outermost call of its chain
		}
		chain, obj := methodChain(m, call, pyChain)
		model := ""
		if obj != nil && obj.Kind() == "attribute" && m.text(obj.ChildByFieldName("attribute")) == "objects" {
			if o := obj.ChildByFieldName("object"); o != nil && o.Kind() == "identifier" {
				model = m.text(o)
			}
		}
		if model == "" {
			return
		}
		detail := "Django query on " + model
		add := func(n *sitter.Node, col string, pred bool) {
			col, _, _ = strings.Cut(strings.TrimPrefix(col, "-"), "__")
			if col == "" || col == "pk" || strings.ContainsAny(col, " .()") {
				return
			}
			m.refs = append(m.refs, ref{model: strings.ToLower(model), column: strings.ToLower(col), off: int(n.StartByte()), kind: SQL, detail: detail, predicate: pred})
		}
		// F("email") and Q(email=e) anywhere in the chain's arguments.
		var expr func(n *sitter.Node, pred bool)
		expr = func(n *sitter.Node, pred bool) {
			each(n, func(c *sitter.Node) {
				fn := m.text(c.ChildByFieldName("function"))
				args := c.ChildByFieldName("arguments")
				if args == nil || (fn != "F" && fn != "Q" && !strings.HasSuffix(fn, ".F") && !strings.HasSuffix(fn, ".Q")) {
					return
				}
				for i := uint(0); i < args.NamedChildCount(); i++ {
					a := args.NamedChild(i)
					if v := m.stringValue(a); v != "" && strings.HasSuffix(fn, "F") {
						add(a, v, pred)
					} else if a.Kind() == "keyword_argument" {
						add(a.ChildByFieldName("name"), m.text(a.ChildByFieldName("name")), pred)
					}
				}
			}, "call")
		}
		for _, l := range chain {
			pred, ok := djangoQueryMethods[l.method]
			if !ok || l.args == nil {
				continue
			}
			for i := uint(0); i < l.args.NamedChildCount(); i++ {
				a := l.args.NamedChild(i)
				switch {
				case a.Kind() == "keyword_argument":
					if name := m.text(a.ChildByFieldName("name")); name != "defaults" {
						add(a.ChildByFieldName("name"), name, pred)
					}
				case m.stringValue(a) != "":
					add(a, m.stringValue(a), pred)
				}
			}
			expr(l.args, pred)
		}
	}, "call")
}

// sqlalchemyModels finds SQLAlchemy mappings: a declarative class's __tablename__ with
// its Column(...) and mapped_column(...) attributes (named by the attribute, or by a
// first string argument: Column("nick", String)), and Core's Table("orders", metadata,
// Column("status", Integer)). Without them a model's columns were mentions only, and
// an orders Table's status one of users.status in the same file.
func sqlalchemyModels(m *modelScan) {
	isColumn := func(call *sitter.Node) bool {
		if call == nil || call.Kind() != "call" {
			return false
		}
		fn := m.text(call.ChildByFieldName("function"))
		fn = fn[strings.LastIndexByte(fn, '.')+1:]
		return fn == "Column" || fn == "mapped_column"
	}
	firstString := func(call *sitter.Node) (string, *sitter.Node) {
		args := call.ChildByFieldName("arguments")
		if args == nil || args.NamedChildCount() == 0 {
			return "", nil
		}
		a := args.NamedChild(0)
		return m.stringValue(a), a
	}
	each(m.root, func(cls *sitter.Node) {
		body := cls.ChildByFieldName("body")
		if body == nil {
			return
		}
		name := m.text(cls.ChildByFieldName("name"))
		table := ""
		var assigns []*sitter.Node
		for i := uint(0); i < body.NamedChildCount(); i++ {
			st := body.NamedChild(i)
			if st.Kind() != "expression_statement" || st.NamedChildCount() == 0 || st.NamedChild(0).Kind() != "assignment" {
				continue
			}
			a := st.NamedChild(0)
			if m.text(a.ChildByFieldName("left")) == "__tablename__" {
				table = strings.ToLower(m.stringValue(a.ChildByFieldName("right")))
			} else {
				assigns = append(assigns, a)
			}
		}
		if table == "" {
			return
		}
		m.add(table, "", cls.ChildByFieldName("name"), "SQLAlchemy model "+name)
		for _, a := range assigns {
			left, right := a.ChildByFieldName("left"), a.ChildByFieldName("right")
			if left == nil || left.Kind() != "identifier" || !isColumn(right) {
				continue
			}
			col, at := m.text(left), left
			if v, n := firstString(right); v != "" {
				col, at = v, n
			}
			m.add(table, col, at, "SQLAlchemy model "+name+"."+m.text(left))
			m.attr(left, at)
		}
	}, "class_definition")
	each(m.root, func(call *sitter.Node) {
		fn := m.text(call.ChildByFieldName("function"))
		if fn[strings.LastIndexByte(fn, '.')+1:] != "Table" {
			return
		}
		table, at := firstString(call)
		if table == "" {
			return
		}
		table = strings.ToLower(table)
		m.add(table, "", at, "SQLAlchemy table "+table)
		args := call.ChildByFieldName("arguments")
		for i := uint(1); i < args.NamedChildCount(); i++ {
			if c := args.NamedChild(i); isColumn(c) {
				if col, n := firstString(c); col != "" {
					m.add(table, col, n, "SQLAlchemy table "+table)
				}
			}
		}
	}, "call")
}

// rubyModels finds Rails models and queries through them.
func rubyModels(m *modelScan) {
	railsModels(m)
	railsQueries(m)
}

// railsSymbolArgs are the query methods whose symbol arguments are columns
// (User.pluck(:email), order(:created_at)), with whether an index serves them.
var railsSymbolArgs = map[string]bool{"select": false, "pluck": false, "pick": false, "order": true, "reorder": true, "group": true, "distinct": false}

// railsQueries finds queries through a model class outside its body (a controller's
// User.where(email: e).pluck(:id)): the model is known by its name only, so the refs
// name it and match the tables named after it. They were mentions before.
func railsQueries(m *modelScan) {
	each(m.root, func(call *sitter.Node) {
		if p := call.Parent(); p != nil && p.Kind() == "call" && p.ChildByFieldName("receiver") != nil && p.ChildByFieldName("receiver").StartByte() == call.StartByte() {
			return // not the outermost call of its chain
		}
		var chain []chainLink
		model := ""
		for n := call; n != nil; {
			if n.Kind() == "constant" {
				model = m.text(n)
				break
			}
			if n.Kind() == "scope_resolution" {
				model = m.text(n.ChildByFieldName("name"))
				break
			}
			if n.Kind() != "call" {
				return
			}
			chain = append(chain, chainLink{m.text(n.ChildByFieldName("method")), n.ChildByFieldName("arguments")})
			n = n.ChildByFieldName("receiver")
		}
		if model == "" {
			return
		}
		detail := "Rails query on " + model
		add := func(n *sitter.Node, col string, pred bool) {
			col = strings.ToLower(strings.TrimSuffix(strings.TrimPrefix(col, ":"), ":"))
			if col == "" {
				return
			}
			m.refs = append(m.refs, ref{model: strings.ToLower(model), column: col, off: int(n.StartByte()), kind: SQL, detail: detail, predicate: pred})
		}
		for _, l := range chain {
			_, hashes := railsQueryMethods[l.method]
			pred, symbols := railsSymbolArgs[l.method]
			if l.args == nil || (!hashes && !symbols) {
				continue
			}
			if hashes {
				pred = l.method != "update" && l.method != "update_all" && l.method != "create" && l.method != "new"
			}
			for i := uint(0); i < l.args.NamedChildCount(); i++ {
				a := l.args.NamedChild(i)
				switch {
				case a.Kind() == "simple_symbol" && symbols:
					add(a, m.text(a), pred)
				case a.Kind() == "pair" && hashes:
					if k := a.ChildByFieldName("key"); k != nil && k.Kind() == "hash_key_symbol" {
						add(k, m.text(k), pred)
					}
				}
			}
		}
	}, "call")
}

package orm

import "strings"

// What the JavaScript and TypeScript front ends share: finding a migration's up and
// down functions (exports.up = ..., module.exports = { up, down }, export async
// function up, class methods) and walking the call chains rooted in one of its
// parameters.

// jsExports finds a module's exported functions and objects by name: up, down, config.
func jsExports(root *node) map[string]*node {
	out := map[string]*node{}
	var visit func(n *node)
	visit = func(n *node) {
		switch n.kind {
		case kAssign:
			target := strings.TrimSpace(n.name)
			v := n.arg(0)
			switch {
			case strings.HasPrefix(target, "exports.") || strings.HasPrefix(target, "module.exports."):
				out[target[strings.LastIndexByte(target, '.')+1:]] = v
			case target == "module.exports" && v != nil && v.kind == kDict:
				for _, k := range v.kw {
					out[k.key] = k.val
				}
			default:
				// export const up = async (knex) => ...
				if v != nil && (v.kind == kFunc || v.kind == kDict) {
					if _, taken := out[target]; !taken {
						out[target] = v
					}
				}
			}
		case kFunc:
			if n.name != "" {
				if _, taken := out[n.name]; !taken {
					out[n.name] = n
				}
			}
			return
		}
		for _, b := range n.body {
			visit(b)
		}
		for _, a := range n.args {
			if a != nil && a.kind != kFunc {
				visit(a)
			}
		}
	}
	visit(root)
	// Shorthand module.exports = { up, down } names functions declared above.
	for k, v := range out {
		if v != nil && v.kind == kName && v.name != k {
			if f, ok := out[v.name]; ok {
				out[k] = f
			}
		}
	}
	return out
}

// jsMigration parses a JavaScript or TypeScript migration module and returns its
// exports and its up function; up is nil, and the file noted, when there is none.
func jsMigration(t *translation, orm string) (exports map[string]*node, up *node) {
	root, src := parseJS(t.src, strings.HasSuffix(t.path, "ts"))
	t.read(src)
	exports = jsExports(root)
	if up = exports["up"]; up == nil || up.kind != kFunc {
		t.note(0, 0, "this "+orm+" migration exports no up function")
		return exports, nil
	}
	return exports, up
}

// jsScope is what a migration function's calls are read against: the names its call
// chains start from (its first parameter: knex, queryInterface, queryRunner) and its
// string constants.
func jsScope(f *node) (roots map[string]bool, strs map[string]*node) {
	roots = map[string]bool{}
	if p := firstParam(f); p != "" {
		roots[p] = true
	}
	return roots, jsStrings(f.body)
}

// chain is a call chain from its root: knex.schema.alterTable(...).dropTable(...) is
// [knex, schema, alterTable(...), dropTable(...)].
type link struct {
	name string
	call *node // nil for a property access
}

// chainOf flattens a call or member chain; root is the name it starts from ("" when it
// starts from something else).
func chainOf(n *node) (root string, links []link) {
	var rev []link
	for n != nil {
		switch n.kind {
		case kCall:
			if n.recv == nil {
				// knex('users') or a bare function call: the root is called.
				rev = append(rev, link{name: "()", call: n})
				root = n.name
				n = nil
				continue
			}
			rev = append(rev, link{name: n.name, call: n})
			n = n.recv
		case kAttr:
			rev = append(rev, link{name: n.name})
			n = n.recv
		case kName:
			root = n.name
			n = nil
		default:
			return "", nil
		}
	}
	for i := len(rev) - 1; i >= 0; i-- {
		links = append(links, rev[i])
	}
	return root, links
}

// firstParam is a function's first parameter name, without a type annotation.
func firstParam(f *node) string {
	if f == nil || len(f.params) == 0 {
		return ""
	}
	p := f.params[0]
	if i := strings.IndexAny(p, ":="); i >= 0 {
		p = p[:i]
	}
	return strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(p), "?"))
}

// jsCalls visits, in source order, the outermost calls whose chain starts from one of
// roots; it does not descend into them (their handler reads their callbacks).
func jsCalls(body []*node, roots map[string]bool, visit func(c *node)) {
	var walkN func(n *node)
	walkN = func(n *node) {
		if n == nil || otherDatabase(n) {
			return
		}
		if n.kind == kCall {
			if root, _ := chainOf(n); roots[root] {
				visit(n)
				return
			}
		}
		walkN(n.recv)
		for _, a := range n.args {
			walkN(a)
		}
		for _, k := range n.kw {
			walkN(k.val)
		}
		for _, b := range n.body {
			walkN(b)
		}
	}
	for _, b := range body {
		walkN(b)
	}
}

// jsStrings records local const/let bindings of string literals, so query(sql) with
// const sql = `...` is read as SQL.
func jsStrings(body []*node) map[string]*node {
	out := map[string]*node{}
	var visit func(n *node)
	visit = func(n *node) {
		if n == nil || otherDatabase(n) {
			return
		}
		if n.kind == kAssign && n.arg(0) != nil && n.arg(0).kind == kStr {
			out[strings.TrimSpace(n.name)] = n.arg(0)
		}
		for _, b := range n.body {
			visit(b)
		}
	}
	for _, b := range body {
		visit(b)
	}
	return out
}

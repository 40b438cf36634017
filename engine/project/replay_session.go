package project

import (
	"maps"
	"strings"
	"sync"

	pg "github.com/pganalyze/pg_query_go/v5"

	"github.com/migsafe/migsafe/engine/sqlast"
)

// setVariable replays SET [LOCAL] search_path and RESET: unqualified names after it
// resolve on the new path (until the end of the file: each migration is judged as a
// session of its own).
func (r replay) setVariable(vs *pg.VariableSetStmt) bool {
	switch {
	case vs.Kind == pg.VariableSetKind_VAR_RESET_ALL:
		r.path = nil
	case !strings.EqualFold(vs.Name, "search_path"):
		return false
	case vs.Kind == pg.VariableSetKind_VAR_SET_VALUE:
		r.path = r.pathValue(vs.Args)
	case vs.Kind == pg.VariableSetKind_VAR_SET_DEFAULT, vs.Kind == pg.VariableSetKind_VAR_RESET:
		r.path = nil
	default:
		return false
	}
	return true
}

// setSessionDefault replays ALTER DATABASE / ROLE ... SET search_path: sessions that
// start after it (the later migrations) use that path.
func (r replay) setSessionDefault(vs *pg.VariableSetStmt) bool {
	if vs == nil || !strings.EqualFold(vs.Name, "search_path") {
		return false
	}
	switch vs.Kind {
	case pg.VariableSetKind_VAR_SET_VALUE:
		r.sessionDefault = r.pathValue(vs.Args)
	case pg.VariableSetKind_VAR_SET_DEFAULT, pg.VariableSetKind_VAR_RESET:
		r.sessionDefault = nil
	default:
		return false
	}
	return true
}

// pathValue reads a search_path value. The parser gives identifiers and string
// literals alike as strings; PostgreSQL then reads a literal as a list of identifiers
// (so 'App' folds to app) while a quoted identifier "App" keeps its case.
func (r replay) pathValue(args []*pg.Node) []string {
	var out []string
	for _, a := range args {
		c := a.GetAConst()
		if c == nil || c.GetSval() == nil {
			continue
		}
		if r.literalAt(c.Location) {
			out = append(out, pathList(c.GetSval().Sval)...)
		} else {
			out = append(out, c.GetSval().Sval)
		}
	}
	if len(out) == 0 {
		return []string{}
	}
	return out
}

// literalAt reports a string literal (not an identifier) at a location of the
// statement's tree.
func (r replay) literalAt(loc int32) bool {
	if loc < 0 {
		return false
	}
	i := r.st.Pos(loc) - r.st.Start
	if i < 0 || i >= len(r.st.Text) {
		return false
	}
	switch r.st.Text[i] {
	case '\'', 'E', 'e', '$':
		return true
	}
	return false
}

// call replays a function call made for its effects. set_config('search_path', v, _)
// sets the path; a function the history defined may change the relations its body
// names; any other function is assumed to change only the relations it is given by
// name (create_hypertable('events', ...)). Built-in functions change nothing.
func (r replay) call(fc *pg.FuncCall) bool {
	if fc == nil {
		return false
	}
	name := ListName(fc.Funcname)
	if strings.EqualFold(name.Name, "set_config") && len(fc.Args) >= 2 {
		if setting := stringArg(fc.Args[0]); strings.EqualFold(setting, "search_path") {
			if v, ok := fc.Args[1].GetAConst().GetVal().(*pg.A_Const_Sval); ok {
				r.path = pathList(v.Sval.Sval)
				return true
			}
		}
		return false
	}
	var words map[string]bool
	if f, ok := r.funcs.getName(r.resolveFunc(name)); ok {
		words = f.words()
	} else if sideEffectFree(name) {
		return false
	}
	own := false // the function's words are shared by every call: copied before adding
	for _, a := range fc.Args {
		if s := stringArg(a); s != "" {
			if !own {
				words, own = maps.Clone(words), true
				if words == nil {
					words = map[string]bool{}
				}
			}
			words[TextName(s).Name] = true
		}
	}
	return r.uncertainNamed(words)
}

// sideEffectFree reports built-in functions migrations call that change no schema.
func sideEffectFree(n Name) bool {
	if n.Schema == "pg_catalog" {
		return true
	}
	switch strings.ToLower(n.Name) {
	case "nextval", "setval", "currval", "now", "count", "max", "min", "version", "current_setting",
		"pg_advisory_lock", "pg_advisory_unlock", "pg_advisory_xact_lock", "pg_try_advisory_lock",
		"pg_sleep", "txid_current", "pg_notify", "coalesce", "format", "concat", "length", "lower", "upper":
		return true
	}
	return false
}

// doBlock replays a DO block: its statements are not modelled, so the relations its
// body names become uncertain, and dynamic SQL (EXECUTE) may have created or dropped
// anything.
func (r replay) doBlock(ds *pg.DoStmt) {
	body := ""
	for _, a := range ds.Args {
		if d := a.GetDefElem(); d != nil && d.Defname == "as" {
			body = d.Arg.GetString_().GetSval()
		}
	}
	if b := r.st.Body; b != nil && b.Unread == "" {
		// The body's static statements are replayed after the DO (see InOrder); what
		// it runs as dynamic SQL is not: the relations it names are uncertain, and it
		// may have made or dropped anything.
		if len(b.Dynamic) == 0 {
			return
		}
		words := map[string]bool{}
		for _, d := range b.Dynamic {
			for w := range identifierWords(d.Text) {
				words[w] = true
			}
		}
		r.opaque = true
		r.uncertainNamed(words)
		return
	}
	words := identifierWords(body)
	if words["execute"] {
		r.opaque = true
	}
	if words["execute"] || words["alter"] || words["create"] || words["drop"] || words["comment"] || words["perform"] {
		r.uncertainNamed(words)
		return
	}
	// Only data statements (UPDATE, INSERT, DELETE, SELECT): the schema is as it was.
	for _, id := range r.named(words) {
		r.written(r.mustRel(id).Name)
	}
}

// createFunction records a function's body, so a later call can be judged by it.
func (r replay) createFunction(cf *pg.CreateFunctionStmt) {
	name := ListName(cf.Funcname)
	if name.Schema == "" {
		name.Schema = r.creationSchema()
	}
	body := ""
	for _, o := range cf.Options {
		if d := o.GetDefElem(); d != nil && d.Defname == "as" {
			if l := d.Arg.GetList(); l != nil && len(l.Items) > 0 {
				body = l.Items[0].GetString_().GetSval()
			}
		}
	}
	if cf.SqlBody != nil {
		body = "" // BEGIN ATOMIC bodies are parsed statements; their names are in the tree
		sqlast.Walk(cf.SqlBody, func(x *pg.Node) {
			if rv := x.GetRangeVar(); rv != nil {
				body += " " + rv.Relname
			}
		})
	}
	r.funcs = r.funcs.Set(name.key(), &Function{Name: name, Body: body,
		words: sync.OnceValue(func() map[string]bool { return identifierWords(body) })})
}

// resolveFunc finds a function the history defined on the search_path.
func (r replay) resolveFunc(n Name) Name { return resolveIn(r.Catalog, r.funcs, n) }

// uncertainNamed marks the relations whose names are among words (on the search path
// or in a schema the history created); false when none is.
func (r replay) uncertainNamed(words map[string]bool) bool {
	ids := r.named(words)
	r.uncertain(ids...)
	return len(ids) > 0 || r.opaque
}

// named lists the relations whose names are among words.
func (r replay) named(words map[string]bool) []ID {
	schemas := append([]string(nil), r.Path()...)
	r.schemas.Range(func(name string, _ *Schema) bool {
		schemas = append(schemas, name)
		return true
	})
	var ids []ID
	for w := range words {
		for _, s := range schemas {
			if id, ok := r.names.getName(Name{s, w}); ok && !hasID(ids, id) {
				ids = append(ids, id)
			}
		}
	}
	return ids
}

func (r replay) mustRel(id ID) *Relation {
	rel, _ := r.rel(id)
	return rel
}

// identifierWords lists the identifiers of a body of code, folded as PostgreSQL folds
// them, including those inside string literals (dynamic SQL builds statements from
// them).
func identifierWords(body string) map[string]bool {
	words := map[string]bool{}
	for i := 0; i < len(body); {
		c := body[i]
		switch {
		case c == '"':
			j := strings.IndexByte(body[i+1:], '"')
			if j < 0 {
				return words
			}
			words[body[i+1:i+1+j]] = true
			i += j + 2
		case isIdentStart(c):
			j := i + 1
			for j < len(body) && (isIdentStart(body[j]) || body[j] >= '0' && body[j] <= '9' || body[j] == '$') {
				j++
			}
			words[sqlast.FoldIdent(body[i:j])] = true
			i = j
		default:
			i++
		}
	}
	return words
}

func isIdentStart(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

func stringArg(n *pg.Node) string {
	if c := n.GetAConst(); c != nil && c.GetSval() != nil {
		return c.GetSval().Sval
	}
	if tc := n.GetTypeCast(); tc != nil {
		return stringArg(tc.Arg)
	}
	return ""
}

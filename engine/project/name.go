package project

import (
	"strings"

	pg "github.com/pganalyze/pg_query_go/v5"

	"github.com/migsafe/migsafe/engine/sqlast"
)

// Name is a schema object's name as PostgreSQL stores it: unquoted identifiers folded
// to lower case, quoted ones as written ("Users" and users are two tables). Schema is
// "" when the name was written unqualified and has not been resolved yet.
type Name struct {
	Schema, Name string
}

// String is the name as a message shows it: schema.name, or name when unqualified.
func (n Name) String() string {
	if n.Schema == "" {
		return n.Name
	}
	return n.Schema + "." + n.Name
}

// SQL is the name as SQL would write it: parts quoted where folding would change
// them ("Users", public."Order Items").
func (n Name) SQL() string {
	if n.Schema == "" {
		return quoteIdent(n.Name)
	}
	return quoteIdent(n.Schema) + "." + quoteIdent(n.Name)
}

// quoteIdent quotes an identifier unless it reads back unchanged without quotes.
func quoteIdent(s string) string {
	plain := s != ""
	for i, c := range s {
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 0x80 || i > 0 && (c >= '0' && c <= '9' || c == '$')) {
			plain = false
			break
		}
	}
	if plain {
		return s
	}
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// key is the name's key in the catalog's maps (the separator cannot occur in names).
func (n Name) key() string { return n.Schema + "\x00" + n.Name }

// RangeVarName is the name of a relation in a syntax tree, already folded by the parser.
func RangeVarName(rv *pg.RangeVar) Name {
	if rv == nil {
		return Name{}
	}
	return Name{Schema: rv.Schemaname, Name: rv.Relname}
}

// ListName is a qualified name given as a list of String nodes (DROP, types,
// functions): [schema, name] or [name]; a leading database name is ignored.
func ListName(items []*pg.Node) Name {
	var parts []string
	for _, it := range items {
		parts = append(parts, it.GetString_().GetSval())
	}
	return partsName(parts)
}

// ObjectName reads a DROP statement's object: a List of names or a single String.
func ObjectName(obj *pg.Node) Name {
	if l := obj.GetList(); l != nil {
		return ListName(l.Items)
	}
	if tn := obj.GetTypeName(); tn != nil {
		return ListName(tn.Names)
	}
	return Name{Name: obj.GetString_().GetSval()}
}

// TreeName reads a name as the rules and the lock knowledge base spell names taken
// from trees (sqlast.RangeVarName: "schema.name" or "name", parts already folded).
func TreeName(s string) Name {
	if i := strings.LastIndexByte(s, '.'); i >= 0 {
		return Name{Schema: s[:i], Name: s[i+1:]}
	}
	return Name{Name: s}
}

// TextName reads a name written in SQL text (configuration keys, stats files), folding
// unquoted parts as PostgreSQL does.
func TextName(s string) Name {
	return partsName(sqlast.SplitQualified(s))
}

func partsName(parts []string) Name {
	switch len(parts) {
	case 0:
		return Name{}
	case 1:
		return Name{Name: parts[0]}
	}
	return Name{Schema: parts[len(parts)-2], Name: parts[len(parts)-1]}
}

// tempSchema is where temporary relations live (pg_temp_N in PostgreSQL).
const tempSchema = "pg_temp"

// defaultPath is PostgreSQL's default search_path. "$user" names a schema only when
// one is named like the connecting role, which migsafe cannot know; it is skipped.
var defaultPath = []string{"$user", "public"}

// searchPath reads the value of SET search_path: a list of names (or one string of
// comma-separated names, as set_config and ALTER ... SET give it).
func searchPath(args []*pg.Node) []string {
	var out []string
	for _, a := range args {
		s := ""
		if c := a.GetAConst(); c != nil && c.GetSval() != nil {
			s = c.GetSval().Sval
		} else if str := a.GetString_(); str != nil {
			s = str.Sval
		}
		if len(args) == 1 && strings.Contains(s, ",") {
			return pathList(s)
		}
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// pathList splits a search_path string: "app, public" or "\"App\", public".
func pathList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, sqlast.FoldIdent(p))
		}
	}
	return out
}

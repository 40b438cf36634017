// Package sqlast holds small helpers over pg_query's syntax tree: a generic walk and
// the canonical spelling of names and types. Rules and the lock knowledge base share
// them so that a table or type is spelled one way everywhere.
package sqlast

import (
	"fmt"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v5"

	"github.com/migsafe/migsafe/internal/pgtree"
)

// Walk calls fn for n and every Node below it, depth first (through generated code:
// protobuf reflection cost a tenth of a check run).
func Walk(n *pg.Node, fn func(*pg.Node)) { pgtree.Walk(n, fn) }

// RangeVarName is a relation's name as written: schema.name or name.
func RangeVarName(rv *pg.RangeVar) string {
	if rv == nil {
		return ""
	}
	if rv.Schemaname != "" {
		return rv.Schemaname + "." + rv.Relname
	}
	return rv.Relname
}

// LastName is the last element of a qualified name list.
func LastName(items []*pg.Node) string {
	if len(items) == 0 {
		return ""
	}
	return items[len(items)-1].GetString_().GetSval()
}

// QualifiedName joins a qualified name list: "pg_catalog.now".
func QualifiedName(items []*pg.Node) string {
	names := make([]string, len(items))
	for i, it := range items {
		names[i] = it.GetString_().GetSval()
	}
	return strings.Join(names, ".")
}

// ObjectName joins a qualified name given as a List or a String node.
func ObjectName(obj *pg.Node) string {
	if l := obj.GetList(); l != nil {
		return QualifiedName(l.Items)
	}
	return obj.GetString_().GetSval()
}

// Collation is the name a COLLATE clause gives, without schema; "" for none and for
// "default", which both mean the type's default collation.
func Collation(c *pg.CollateClause) string {
	if c == nil {
		return ""
	}
	if name := LastName(c.Collname); name != "default" {
		return name
	}
	return ""
}

// TypeName is a type's canonical lower-case name without schema: "varchar", "int8".
func TypeName(t *pg.TypeName) string {
	if t == nil {
		return ""
	}
	name := strings.ToLower(LastName(t.Names))
	switch name {
	case "character varying":
		return "varchar"
	case "integer", "int":
		return "int4"
	case "bigint":
		return "int8"
	case "smallint":
		return "int2"
	case "timestamp with time zone":
		return "timestamptz"
	case "character":
		return "bpchar"
	}
	return name
}

// sqlTypeNames are the SQL spellings of canonical type names, for messages.
var sqlTypeNames = map[string]string{"int2": "smallint", "int4": "integer", "int8": "bigint",
	"float4": "real", "float8": "double precision", "bpchar": "char", "timestamp": "timestamp without time zone"}

// TypeText renders a type for a message: "varchar(20)", "bigint".
func TypeText(t *pg.TypeName) string {
	s := TypeName(t)
	if n, ok := sqlTypeNames[s]; ok {
		s = n
	}
	if mods := Typmods(t); len(mods) > 0 {
		s += "("
		for i, m := range mods {
			if i > 0 {
				s += ","
			}
			s += fmt.Sprint(m)
		}
		s += ")"
	}
	if len(t.GetArrayBounds()) > 0 {
		s += "[]"
	}
	return s
}

// Typmods are a type's integer modifiers: varchar(20) has [20].
func Typmods(t *pg.TypeName) []int32 {
	var out []int32
	for _, m := range t.GetTypmods() {
		if c := m.GetAConst(); c != nil && c.GetIval() != nil {
			out = append(out, c.GetIval().Ival)
		}
	}
	return out
}

// IsNullConst reports a NULL literal, possibly cast.
func IsNullConst(n *pg.Node) bool {
	if c := n.GetAConst(); c != nil {
		return c.Isnull
	}
	if tc := n.GetTypeCast(); tc != nil {
		return IsNullConst(tc.Arg)
	}
	return false
}

// IsFalse reports a literal false, off or 0.
func IsFalse(n *pg.Node) bool {
	if c := n.GetAConst(); c != nil {
		if b := c.GetBoolval(); b != nil {
			return !b.Boolval
		}
		if i := c.GetIval(); i != nil {
			return i.Ival == 0
		}
		if s := c.GetSval(); s != nil {
			return strings.EqualFold(s.Sval, "false") || s.Sval == "0" || strings.EqualFold(s.Sval, "off")
		}
	}
	if s := n.GetString_(); s != nil {
		return strings.EqualFold(s.Sval, "false") || strings.EqualFold(s.Sval, "off")
	}
	return false
}

// FoldIdent is PostgreSQL's reading of one identifier written in SQL text: a quoted
// identifier keeps its case ("Users" stays Users, "" inside is one quote), an unquoted
// one folds ASCII letters to lower case (PostgreSQL leaves other letters as they are
// in a UTF-8 database). Names in pg_query trees are already read this way; FoldIdent
// is for names that come as text (configuration keys, stats files, tokens).
func FoldIdent(s string) string {
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		return strings.ReplaceAll(s[1:len(s)-1], `""`, `"`)
	}
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// SplitQualified splits a qualified name written in SQL text ("Sales"."Orders",
// public.users) at the dots outside quotes and folds each part with FoldIdent.
func SplitQualified(s string) []string {
	var parts []string
	start, quoted := 0, false
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '"':
			quoted = !quoted
		case s[i] == '.' && !quoted:
			parts = append(parts, FoldIdent(strings.TrimSpace(s[start:i])))
			start = i + 1
		}
	}
	return append(parts, FoldIdent(strings.TrimSpace(s[start:])))
}

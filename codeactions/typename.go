package codeactions

import (
	"strconv"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v5"
)

// TypeName writes a type back as pg_query's deparser writes it in a cast (int for
// pg_catalog.int4, varchar(255), "Mixed".t[]). The common shapes, names with integer
// modifiers and array bounds, are written here as the deparser's deparseTypeName does
// (a fix names a column's type in its title, and deparsing costs a protobuf round trip
// through C); the others (interval fields, time zones with a precision, char without
// a length, point, modifiers that are not integers) are asked of the deparser.
func TypeName(tn *pg.TypeName) (string, bool) {
	if tn == nil {
		return "", false
	}
	if s, ok := typeNameText(tn); ok {
		return s, true
	}
	return deparsedTypeName(tn)
}

// catalogTypes are the deparser's spellings of pg_catalog's types that have a keyword
// of their own; the others are written pg_catalog.name.
var catalogTypes = map[string]string{
	"bpchar": "char", "varchar": "varchar", "numeric": "numeric", "bool": "boolean",
	"int2": "smallint", "int4": "int", "int8": "bigint", "real": "real", "float4": "real",
	"float8": "double precision", "time": "time", "timestamp": "timestamp", "interval": "interval",
}

// typeNameText is deparseTypeName for the shapes written here as it writes them;
// false for the rest.
func typeNameText(tn *pg.TypeName) (string, bool) {
	if len(tn.Names) == 0 {
		return "", false
	}
	var b strings.Builder
	if tn.Setof {
		b.WriteString("SETOF ")
	}
	names := make([]string, len(tn.Names))
	for i, n := range tn.Names {
		s := n.GetString_()
		if s == nil {
			return "", false
		}
		names[i] = s.Sval
	}
	typmods := len(tn.Typmods) > 0
	switch {
	case len(names) == 2 && names[0] == "pg_catalog":
		name := names[1]
		switch {
		case name == "bpchar" && len(tn.Typmods) == 0, // a cast writes `char NULL`
			name == "interval" && len(tn.Typmods) > 0: // fields: interval hour to minute
			return "", false
		case name == "timetz" || name == "timestamptz":
			// The precision goes before the zone: timestamp (3) with time zone. (The
			// migrations' usual timestamp type: asking the deparser for it was most
			// of what the titles of changing-column-type's fixes cost.)
			b.WriteString(strings.TrimSuffix(name, "tz") + " ")
			if typmods {
				if !writeTypmods(&b, tn.Typmods, false) {
					return "", false
				}
				b.WriteByte(' ')
			}
			b.WriteString("with time zone")
			typmods = false
		case catalogTypes[name] != "":
			b.WriteString(catalogTypes[name])
		default:
			b.WriteString("pg_catalog." + name)
		}
	case len(names) == 1 && names[0] == "point": // the cast may write ` point NULL`
		return "", false
	default:
		for i, n := range names {
			if i > 0 {
				b.WriteByte('.')
			}
			b.WriteString(quoteIdentifier(n))
		}
	}
	if typmods && !writeTypmods(&b, tn.Typmods, true) {
		return "", false
	}
	for _, n := range tn.ArrayBounds {
		b.WriteByte('[')
		if i := n.GetInteger(); i != nil && i.Ival != -1 {
			b.WriteString(strconv.Itoa(int(i.Ival)))
		}
		b.WriteByte(']')
	}
	if tn.PctType {
		b.WriteString("%type")
	}
	return b.String(), true
}

// writeTypmods writes type modifiers in parentheses: integers, (10, 2), and where
// names are allowed names too, as PostGIS's geometry(Point, 4326) has them (the
// deparser writes a time zone type's modifiers as integers whatever they are); false
// for other modifiers.
func writeTypmods(b *strings.Builder, typmods []*pg.Node, names bool) bool {
	b.WriteByte('(')
	for i, m := range typmods {
		if i > 0 {
			b.WriteString(", ")
		}
		if cr := m.GetColumnRef(); names && cr != nil && len(cr.Fields) == 1 && cr.Fields[0].GetString_() != nil {
			b.WriteString(quoteIdentifier(cr.Fields[0].GetString_().Sval))
			continue
		}
		c := m.GetAConst()
		if c == nil || c.Isnull || c.GetIval() == nil {
			return false
		}
		b.WriteString(strconv.Itoa(int(c.GetIval().Ival)))
	}
	b.WriteByte(')')
	return true
}

// quoteIdentifier is PostgreSQL's quote_identifier, which the deparser calls: unlike
// Ident it also quotes a name with a dollar sign.
func quoteIdentifier(name string) string {
	if plainIdent(name, false) {
		return name
	}
	return quoted(name)
}

// deparsedTypeName asks pg_query's deparser, by way of a cast of NULL.
func deparsedTypeName(tn *pg.TypeName) (string, bool) {
	cast := &pg.Node{Node: &pg.Node_TypeCast{TypeCast: &pg.TypeCast{
		Arg:      &pg.Node{Node: &pg.Node_AConst{AConst: &pg.A_Const{Isnull: true}}},
		TypeName: tn,
	}}}
	out, ok := DeparseExpr(cast)
	if !ok {
		return "", false
	}
	out = strings.TrimPrefix(out, "NULL::")
	if strings.HasPrefix(out, "CAST(NULL AS ") {
		out = strings.TrimSuffix(strings.TrimPrefix(out, "CAST(NULL AS "), ")")
	}
	return out, out != ""
}

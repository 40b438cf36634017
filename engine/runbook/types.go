package runbook

import (
	"fmt"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v5"

	"github.com/migsafe/migsafe/engine/sqlast"
)

// formatNames are format_type()'s spellings of the canonical type names, so that a
// verification query compares a column's type with what the migration wrote.
var formatNames = map[string]string{
	"int2": "smallint", "int4": "integer", "int8": "bigint", "float4": "real", "float8": "double precision",
	"bool": "boolean", "varchar": "character varying", "bpchar": "character", "timestamptz": "timestamp with time zone",
	"timestamp": "timestamp without time zone", "timetz": "time with time zone", "time": "time without time zone",
	"serial": "integer", "serial4": "integer", "bigserial": "bigint", "serial8": "bigint", "smallserial": "smallint", "serial2": "smallint",
	"decimal": "numeric",
}

// plainTypes format as they are written.
var plainTypes = map[string]bool{
	"text": true, "numeric": true, "date": true, "uuid": true, "json": true, "jsonb": true, "bytea": true,
	"interval": true, "inet": true, "cidr": true, "macaddr": true, "money": true, "xml": true, "tsvector": true,
	"citext": true, "bit": true, "varbit": true, "point": true, "oid": true,
}

// formatType is how format_type(atttypid, atttypmod) spells the type of a column
// definition: varchar(20) -> character varying(20), timestamptz(3) -> timestamp(3)
// with time zone. "" for a type it does not know (a domain, an enum): verification
// then checks only that the column exists.
func formatType(t *pg.TypeName) string {
	if t == nil || t.Setof || t.PctType {
		return ""
	}
	name := sqlast.TypeName(t)
	if len(t.Names) == 2 && strings.ToLower(t.Names[0].GetString_().GetSval()) != "pg_catalog" {
		return ""
	}
	mods := sqlast.Typmods(t)
	if len(mods) != len(t.Typmods) {
		return "" // a modifier that is not an integer (interval fields)
	}
	if (name == "numeric" || name == "decimal") && len(mods) == 1 {
		mods = append(mods, 0) // numeric(p) is numeric(p,0)
	}
	modText := ""
	if len(mods) > 0 {
		parts := make([]string, len(mods))
		for i, m := range mods {
			parts[i] = fmt.Sprint(m)
		}
		modText = "(" + strings.Join(parts, ",") + ")"
	}
	var s string
	switch name {
	case "timestamp", "timestamptz", "time", "timetz":
		zone := " without time zone"
		if name == "timestamptz" || name == "timetz" {
			zone = " with time zone"
		}
		base := "timestamp"
		if name == "time" || name == "timetz" {
			base = "time"
		}
		s = base + modText + zone
	case "bpchar":
		if modText == "" {
			modText = "(1)"
		}
		s = "character" + modText
	case "interval":
		if modText != "" {
			return ""
		}
		s = "interval"
	default:
		if f, ok := formatNames[name]; ok {
			s = f + modText
		} else if plainTypes[name] {
			s = name + modText
		} else {
			return ""
		}
	}
	for range t.ArrayBounds {
		s += "[]"
	}
	return s
}

// serialType reports serial, bigserial and smallserial, which carry a default.
func serialType(t *pg.TypeName) bool {
	switch sqlast.TypeName(t) {
	case "serial", "serial4", "bigserial", "serial8", "smallserial", "serial2":
		return true
	}
	return false
}

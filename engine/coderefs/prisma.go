package coderefs

import (
	"regexp"
	"strings"
)

var (
	prismaModel = regexp.MustCompile(`^\s*model\s+(\w+)\s*\{`)
	prismaField = regexp.MustCompile(`^\s*(\w+)\s+(\w+)(\[\]|\?)?`)
	prismaMap   = regexp.MustCompile(`@map\(\s*(?:name:\s*)?"([^"]*)"`)
	prismaTable = regexp.MustCompile(`^\s*@@map\(\s*(?:name:\s*)?"([^"]*)"`)
)

// prismaRefs reads a Prisma schema: each model is a table (@@map, else the model's
// name) and each scalar field a column (@map, else the field's name). Relation fields
// (typed with another model) have no column of their own. Prisma's schema language is
// line-oriented: one field or block attribute per line.
func prismaRefs(text string) []ref {
	lines := strings.SplitAfter(text, "\n")
	models := map[string]bool{}
	for _, l := range lines {
		if m := prismaModel.FindStringSubmatch(l); m != nil {
			models[m[1]] = true
		}
	}
	var out []ref
	off := 0
	var model string
	var modelOff int
	var fields []ref
	for _, l := range lines {
		code := l
		if i := strings.Index(code, "//"); i >= 0 {
			code = code[:i]
		}
		switch m := prismaModel.FindStringSubmatchIndex(code); {
		case m != nil:
			model, modelOff, fields = code[m[2]:m[3]], off+m[2], nil
		case model != "" && strings.TrimSpace(code) == "}":
			table := model
			for _, f := range fields {
				if f.table != "" {
					table = f.table
				}
			}
			out = append(out, ref{table: strings.ToLower(table), off: modelOff, kind: Model, detail: "Prisma model " + model})
			for _, f := range fields {
				if f.column != "" {
					f.table = strings.ToLower(table)
					out = append(out, f)
				}
			}
			model = ""
		case model != "":
			if t := prismaTable.FindStringSubmatch(code); t != nil {
				fields = append(fields, ref{table: t[1]})
				break
			}
			fm := prismaField.FindStringSubmatchIndex(code)
			if fm == nil || strings.HasPrefix(strings.TrimSpace(code), "@@") {
				break
			}
			name, typ := code[fm[2]:fm[3]], code[fm[4]:fm[5]]
			if models[typ] || strings.Contains(code, "@relation") || strings.Contains(code, "@ignore") {
				break
			}
			col, at := name, off+fm[2]
			if mm := prismaMap.FindStringSubmatchIndex(code); mm != nil {
				col, at = code[mm[2]:mm[3]], off+mm[2]
			}
			fields = append(fields, ref{column: strings.ToLower(col), off: at, kind: Model, detail: "Prisma field " + model + "." + name})
		}
		off += len(l)
	}
	return out
}

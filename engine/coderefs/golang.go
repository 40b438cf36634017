package coderefs

import (
	"go/ast"
	"go/parser"
	"go/token"
	"reflect"
	"strconv"
	"strings"
)

// goRefs reads a Go file: SQL in string literals (concatenations of literals joined)
// and struct tags that map fields to columns (db, gorm column:, bun, pg). A struct's
// table is what its TableName method returns, else its name in plural snake case: a
// guess, so a match of the column alone is a mention.
func goRefs(p string, src []byte) ([]ref, []span) {
	fset := token.NewFileSet()
	f, _ := parser.ParseFile(fset, p, src, parser.SkipObjectResolution|parser.ParseComments)
	if f == nil {
		return nil, nil
	}
	off := func(pos token.Pos) int { return fset.Position(pos).Offset }
	var lits literals
	for _, cg := range f.Comments {
		lits.quiet = append(lits.quiet, span{off(cg.Pos()), off(cg.End())})
	}
	var out []ref
	consumed := map[*ast.BasicLit]bool{}
	tableNames := map[string]string{}
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Name.Name == "TableName" && fd.Recv != nil && len(fd.Recv.List) == 1 && fd.Body != nil {
			recv := receiverName(fd.Recv.List[0].Type)
			for _, st := range fd.Body.List {
				if rs, ok := st.(*ast.ReturnStmt); ok && len(rs.Results) == 1 {
					if bl, ok := rs.Results[0].(*ast.BasicLit); ok && bl.Kind == token.STRING {
						if s, err := strconv.Unquote(bl.Value); err == nil {
							tableNames[recv] = strings.ToLower(s)
						}
					}
				}
			}
		}
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.BinaryExpr:
			var leaves []*ast.BasicLit
			if x.Op == token.ADD && stringLeaves(x, &leaves) {
				var pieces []piece
				for _, l := range leaves {
					consumed[l] = true
					pieces = append(pieces, goPieces(src, off(l.Pos()), off(l.End()))...)
				}
				lits.add(src, off(x.Pos()), off(x.End()), pieces, goDetail)
				return false
			}
		case *ast.BasicLit:
			if x.Kind == token.STRING && !consumed[x] {
				start, end := off(x.Pos()), off(x.End())
				lits.add(src, start, end, goPieces(src, start, end), goDetail)
			}
		case *ast.TypeSpec:
			st, ok := x.Type.(*ast.StructType)
			if !ok {
				return true
			}
			table, guessed := tableNames[x.Name.Name], false
			if table == "" {
				table, guessed = plural(snake(x.Name.Name)), true
			}
			for _, fl := range st.Fields.List {
				if fl.Tag == nil {
					continue
				}
				raw := fl.Tag.Value
				tag, err := strconv.Unquote(raw)
				if err != nil {
					continue
				}
				col, key := tagColumn(reflect.StructTag(tag))
				if col == "" {
					continue
				}
				at := off(fl.Tag.Pos())
				if i := strings.Index(raw, col); i >= 0 {
					at += i
				}
				field := x.Name.Name
				if len(fl.Names) > 0 {
					field += "." + fl.Names[0].Name
				}
				out = append(out, ref{table: table, guessed: guessed, column: strings.ToLower(col), off: at, kind: Model,
					detail: "struct tag " + key + " on " + field})
			}
		}
		return true
	})
	return append(out, lits.refs...), lits.quiet
}

const goDetail = "SQL in a Go string"

// tagColumn is the column a struct tag maps its field to, and the tag's key.
func tagColumn(tag reflect.StructTag) (string, string) {
	for _, key := range []string{"db", "bun", "pg"} {
		if v, ok := tag.Lookup(key); ok {
			name := strings.Split(v, ",")[0]
			if name != "" && name != "-" {
				return name, key
			}
		}
	}
	if v, ok := tag.Lookup("gorm"); ok {
		for _, part := range strings.Split(v, ";") {
			if c, ok := strings.CutPrefix(strings.TrimSpace(part), "column:"); ok && c != "" {
				return c, "gorm"
			}
		}
	}
	return "", ""
}

// stringLeaves collects the literals of a + chain made only of string literals.
func stringLeaves(e ast.Expr, out *[]*ast.BasicLit) bool {
	switch x := e.(type) {
	case *ast.BasicLit:
		if x.Kind != token.STRING {
			return false
		}
		*out = append(*out, x)
		return true
	case *ast.ParenExpr:
		return stringLeaves(x.X, out)
	case *ast.BinaryExpr:
		return x.Op == token.ADD && stringLeaves(x.X, out) && stringLeaves(x.Y, out)
	}
	return false
}

// goPieces splits a Go string literal src[start:end] into content and escapes.
func goPieces(src []byte, start, end int) []piece {
	if end-start < 2 {
		return nil
	}
	if src[start] == '`' {
		return []piece{{start + 1, end - 1, content}}
	}
	var ps []piece
	from := start + 1
	for i := start + 1; i < end-1; i++ {
		if src[i] != '\\' {
			continue
		}
		if i > from {
			ps = append(ps, piece{from, i, content})
		}
		n := 2
		switch src[i+1] {
		case 'x':
			n = 4
		case 'u':
			n = 6
		case 'U':
			n = 10
		case '0', '1', '2', '3', '4', '5', '6', '7':
			n = 4
		}
		if i+n > end-1 {
			n = end - 1 - i
		}
		ps = append(ps, piece{i, i + n, escape})
		i += n - 1
		from = i + 1
	}
	if from < end-1 {
		ps = append(ps, piece{from, end - 1, content})
	}
	return ps
}

func receiverName(e ast.Expr) string {
	switch x := e.(type) {
	case *ast.StarExpr:
		return receiverName(x.X)
	case *ast.Ident:
		return x.Name
	case *ast.IndexExpr:
		return receiverName(x.X)
	}
	return ""
}

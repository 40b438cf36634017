package lsp

import (
	"context"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v5"
	"go.lsp.dev/protocol"

	"github.com/migsafe/migsafe/engine/migration"
	"github.com/migsafe/migsafe/engine/sqlast"
)

// DocumentSymbol lists one symbol per statement, named by operation and table.
func (s *Server) DocumentSymbol(ctx context.Context, p *protocol.DocumentSymbolParams) ([]any, error) {
	sn, _, err := s.snapshot(ctx, p.TextDocument.URI)
	if err != nil || sn == nil || sn.res == nil {
		return []any{}, err
	}
	s.mu.Lock()
	hierarchical := s.caps.hierarchicalSyms
	s.mu.Unlock()
	out := make([]any, 0, len(sn.res.Statements))
	for _, st := range sn.res.Statements {
		name := symbolName(st.Stmt)
		r := sn.rng(st.Stmt.Start, st.Stmt.End)
		kind := symbolKind(st.Stmt.Outline())
		if hierarchical {
			out = append(out, protocol.DocumentSymbol{Name: name, Kind: kind, Range: r, SelectionRange: r})
		} else {
			out = append(out, protocol.SymbolInformation{Name: name, Kind: kind,
				Location: protocol.Location{URI: p.TextDocument.URI, Range: r}})
		}
	}
	return out, nil
}

// symbolName names a statement by its operation and table: "CREATE INDEX
// users_email_idx ON users", "ALTER TABLE users". Statements without a table are named
// by their leading keywords.
func symbolName(st *migration.Statement) string {
	n := st.Outline()
	switch {
	case n == nil:
	case n.GetIndexStmt() != nil:
		is := n.GetIndexStmt()
		name := "CREATE INDEX "
		if is.Unique {
			name = "CREATE UNIQUE INDEX "
		}
		if is.Concurrent {
			name += "CONCURRENTLY "
		}
		if is.Idxname != "" {
			name += is.Idxname + " "
		}
		return name + "ON " + sqlast.RangeVarName(is.Relation)
	case n.GetCreateStmt() != nil:
		return "CREATE TABLE " + sqlast.RangeVarName(n.GetCreateStmt().Relation)
	case n.GetAlterTableStmt() != nil:
		return "ALTER TABLE " + sqlast.RangeVarName(n.GetAlterTableStmt().Relation)
	case n.GetRenameStmt() != nil && n.GetRenameStmt().Relation != nil:
		return "ALTER TABLE " + sqlast.RangeVarName(n.GetRenameStmt().Relation) + " RENAME"
	case n.GetDropStmt() != nil:
		ds := n.GetDropStmt()
		names := make([]string, 0, len(ds.Objects))
		for _, o := range ds.Objects {
			names = append(names, sqlast.ObjectName(o))
		}
		return strings.TrimSpace(leadingWords(st, 2) + " " + strings.Join(names, ", "))
	case n.GetInsertStmt() != nil:
		return "INSERT INTO " + sqlast.RangeVarName(n.GetInsertStmt().Relation)
	case n.GetUpdateStmt() != nil:
		return "UPDATE " + sqlast.RangeVarName(n.GetUpdateStmt().Relation)
	case n.GetDeleteStmt() != nil:
		return "DELETE FROM " + sqlast.RangeVarName(n.GetDeleteStmt().Relation)
	case n.GetTruncateStmt() != nil:
		var names []string
		for _, r := range n.GetTruncateStmt().Relations {
			names = append(names, sqlast.RangeVarName(r.GetRangeVar()))
		}
		return "TRUNCATE " + strings.Join(names, ", ")
	}
	return leadingWordsAndName(st, 3)
}

// leadingWords upper-cases the statement's first keyword tokens, at most max.
// Identifiers keep the case they are written in: the table of "VACUUM FULL users"
// is users, not USERS.
func leadingWords(st *migration.Statement, max int) string {
	var words []string
	for _, t := range st.Tokens {
		w := st.TokenText(t)
		if len(words) == max || t.Kind == pg.Token_IDENT || !isWord(w) {
			break
		}
		words = append(words, strings.ToUpper(w))
	}
	if len(words) == 0 {
		first := st.Text
		if i := strings.IndexAny(first, "\n"); i >= 0 {
			first = first[:i]
		}
		return strings.TrimSpace(first)
	}
	return strings.Join(words, " ")
}

// leadingWordsAndName is leadingWords followed by the (possibly schema-qualified)
// name written right after them, so a statement the outline does not know still
// names its object: "REFRESH MATERIALIZED VIEW mv", "CLUSTER users".
func leadingWordsAndName(st *migration.Statement, max int) string {
	words := leadingWords(st, max)
	n := 0
	for _, t := range st.Tokens {
		if t.Kind == pg.Token_IDENT || !isWord(st.TokenText(t)) {
			break
		}
		n++
	}
	if n == 0 || n > max {
		return words
	}
	var name strings.Builder
	for i, t := range st.Tokens[n:] {
		w := st.TokenText(t)
		if i%2 == 0 && t.Kind != pg.Token_IDENT || i%2 == 1 && w != "." {
			break
		}
		name.WriteString(w)
	}
	if qualified := strings.TrimSuffix(name.String(), "."); qualified != "" {
		return words + " " + qualified
	}
	return words
}

func isWord(w string) bool {
	for _, r := range w {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '_') {
			return false
		}
	}
	return w != ""
}

func symbolKind(n *pg.Node) protocol.SymbolKind {
	switch {
	case n == nil:
		return protocol.SymbolKindNull
	case n.GetCreateStmt() != nil:
		return protocol.SymbolKindClass
	case n.GetIndexStmt() != nil:
		return protocol.SymbolKindKey
	case n.GetAlterTableStmt() != nil, n.GetRenameStmt() != nil:
		return protocol.SymbolKindField
	case n.GetDropStmt() != nil, n.GetTruncateStmt() != nil:
		return protocol.SymbolKindOperator
	case n.GetInsertStmt() != nil, n.GetUpdateStmt() != nil, n.GetDeleteStmt() != nil:
		return protocol.SymbolKindEvent
	}
	return protocol.SymbolKindFunction
}

// CodeLens shows the file's verdict above line 1.
func (s *Server) CodeLens(ctx context.Context, p *protocol.CodeLensParams) ([]protocol.CodeLens, error) {
	sn, _, err := s.snapshot(ctx, p.TextDocument.URI)
	if err != nil || sn == nil || sn.res == nil {
		return []protocol.CodeLens{}, err
	}
	return []protocol.CodeLens{{Range: sn.rng(0, 0), Command: &protocol.Command{Title: verdictLine(sn.res)}}, runbookLens(sn, p.TextDocument.URI)}, nil
}

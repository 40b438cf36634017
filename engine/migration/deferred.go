package migration

import (
	pg "github.com/pganalyze/pg_query_go/v5"
	"github.com/pganalyze/pg_query_go/v5/parser"

	"github.com/migsafe/migsafe/internal/pgtree"
)

// DeferMin is the size from which an INSERT ... VALUES statement is deferred: checked
// by the parser but not decoded into a Go tree. Its rows are data no rule reads (only
// the target table matters, for its lock), and as Go structs they take about sixty
// times the bytes of their text: a data migration of a few megabytes would need
// gigabytes. Smaller INSERTs (seeds of a few rows) are decoded like any statement.
const DeferMin = 1024

// Tree is the statement's parse tree: Node, or for a deferred statement a tree decoded
// now, on every call (hold on to it rather than calling again); nil when the statement
// did not parse. Locations inside it are relative to Base. Safe for concurrent use.
func (s *Statement) Tree() *pg.Node {
	if s.Node != nil || !s.Deferred {
		return s.Node
	}
	tree, err := pgtree.Parse(s.Text)
	if err != nil || len(tree.Stmts) != 1 {
		return nil
	}
	return tree.Stmts[0].Stmt
}

// Outline is what lock classification and document symbols read: Node, or Shape for a
// deferred statement.
func (s *Statement) Outline() *pg.Node {
	if s.Node != nil {
		return s.Node
	}
	return s.Shape
}

// insertValues recognises a deferrable INSERT from its tokens: INSERT INTO target
// [(columns)] [OVERRIDING ...] VALUES (row) [, (row)]... [ON CONFLICT ...]
// [RETURNING ...]. It returns the text of the target (the table and its alias) and how
// many tokens come before the rows; ok is false for anything else (INSERT ... SELECT,
// VALUES combined with UNION or ORDER BY, a WITH clause).
func insertValues(text string, toks []Token) (target string, head int, ok bool) {
	if len(toks) < 6 || toks[0].Kind != pg.Token_INSERT || toks[1].Kind != pg.Token_INTO {
		return "", 0, false
	}
	depth, values, targetEnd := 0, -1, -1
	for i := 2; i < len(toks) && values < 0; i++ {
		switch k := toks[i].Kind; {
		case k == pg.Token_ASCII_40:
			if depth == 0 && targetEnd < 0 {
				targetEnd = i
			}
			depth++
		case k == pg.Token_ASCII_41:
			depth--
		case depth > 0:
		case k == pg.Token_VALUES:
			values = i
		case k == pg.Token_SELECT || k == pg.Token_WITH || k == pg.Token_DEFAULT || k == pg.Token_TABLE:
			return "", 0, false
		case k == pg.Token_OVERRIDING && targetEnd < 0:
			targetEnd = i
		}
	}
	if values < 0 {
		return "", 0, false
	}
	if targetEnd < 0 {
		targetEnd = values
	}
	// The rows: parenthesised lists separated by commas, then the end or ON / RETURNING.
	i := values + 1
	for {
		if i >= len(toks) || toks[i].Kind != pg.Token_ASCII_40 {
			return "", 0, false
		}
		depth := 0
		for ; i < len(toks); i++ {
			if toks[i].Kind == pg.Token_ASCII_40 {
				depth++
			} else if toks[i].Kind == pg.Token_ASCII_41 {
				if depth--; depth == 0 {
					break
				}
			}
		}
		if i++; i < len(toks) && toks[i].Kind == pg.Token_ASCII_44 {
			i++
			continue
		}
		break
	}
	if i < len(toks) && toks[i].Kind != pg.Token_ON && toks[i].Kind != pg.Token_RETURNING {
		return "", 0, false
	}
	return text[toks[2].Start:toks[targetEnd-1].End], values + 1, true
}

// checkSyntax runs PostgreSQL's grammar over a deferred statement without building the
// Go tree.
func checkSyntax(s *Statement, scanText string) {
	if _, err := parser.SplitWithParser(scanText[s.Start:s.End], false); err != nil {
		s.Err = locate(err, s.Start, scanText[s.Start:s.End])
		s.Deferred, s.Shape = false, nil
	}
}

// shapes parses the `INSERT INTO target DEFAULT VALUES` outlines of deferred
// statements, once per distinct target.
type shapes map[string]*pg.Node

func (m shapes) of(target string) *pg.Node {
	if n, ok := m[target]; ok {
		return n
	}
	var n *pg.Node
	if tree, err := pgtree.Parse("INSERT INTO " + target + " DEFAULT VALUES"); err == nil && len(tree.Stmts) == 1 {
		n = tree.Stmts[0].Stmt
	}
	m[target] = n
	return n
}

package migration

import (
	"fmt"

	pg "github.com/pganalyze/pg_query_go/v5"
)

// MaxNesting is how deeply a statement's expressions may nest before migsafe refuses to
// analyse it. PostgreSQL's grammar stops right-nested input at 10,000 levels itself
// ("memory exhausted"), but left-nested chains (`1 + 1 + ...`, `a JOIN b JOIN c ...`,
// `x::t::t ...`) parse to any depth, and pg_query then serialises the tree
// recursively on the C stack: a 24,000-term sum overflows an 8 MB thread stack and
// kills the process with SIGSEGV (measured with pg_query_go v5.1.0; about 2,500 terms
// on a 1 MB stack). The same trees would also overflow pg_query's deparser, which
// fixes use. 1,000 levels keeps every such recursion well inside any stack migsafe may
// run on, and is far deeper than migrations nest.
const MaxNesting = 1000

// TooComplexMessage starts the error of a statement deeper than MaxNesting.
const TooComplexMessage = "statement too complex to analyse"

// tooComplex estimates how deeply a statement's tree nests, from its tokens, and
// returns an error located where the estimate first passes MaxNesting (nil below it).
// The estimate is an upper bound up to a constant: every level of a tree needs a
// token that opens it, so each open bracket counts one level, and within a bracket
// every operator-like token counts one more (a left-nested chain), until a separator
// that PostgreSQL flattens (a comma, AND, OR, the arms of CASE) ends the chain.
func tooComplex(toks []Token) *SyntaxError {
	if len(toks) <= MaxNesting { // a tree is never deeper than its tokens
		return nil
	}
	ops := []int{0} // operators counted in the current chain of each open bracket
	sum := 0        // their total
	for _, t := range toks {
		switch t.Kind {
		case pg.Token_ASCII_40, pg.Token_ASCII_91: // ( [
			ops = append(ops, 0)
		case pg.Token_ASCII_41, pg.Token_ASCII_93: // ) ]
			if len(ops) > 1 {
				sum -= ops[len(ops)-1]
				ops = ops[:len(ops)-1]
			}
		case pg.Token_ASCII_44, pg.Token_AND, pg.Token_OR, pg.Token_WHEN, pg.Token_THEN, pg.Token_ELSE:
			sum -= ops[len(ops)-1]
			ops[len(ops)-1] = 0
		default:
			if !chains(t.Kind) {
				continue
			}
			ops[len(ops)-1]++
			sum++
		}
		if depth := len(ops) + sum; depth > MaxNesting {
			return &SyntaxError{Offset: int(t.Start), TooComplex: true,
				Message: fmt.Sprintf("%s: its expressions nest more than %d levels deep here; pg_query cannot serialise a tree that deep without overflowing its stack", TooComplexMessage, MaxNesting)}
		}
	}
	return nil
}

// chains reports tokens that make PostgreSQL's grammar nest one node inside the next
// when repeated: binary and unary operators, casts, and the keyword operators and set
// operations that build left-deep trees.
func chains(k pg.Token) bool {
	switch k {
	case pg.Token_Op, pg.Token_TYPECAST, pg.Token_LESS_EQUALS, pg.Token_GREATER_EQUALS, pg.Token_NOT_EQUALS,
		pg.Token_ASCII_43, pg.Token_ASCII_45, pg.Token_ASCII_42, pg.Token_ASCII_47, pg.Token_ASCII_37,
		pg.Token_ASCII_94, pg.Token_ASCII_60, pg.Token_ASCII_62, pg.Token_ASCII_61,
		pg.Token_NOT, pg.Token_IS, pg.Token_ISNULL, pg.Token_NOTNULL, pg.Token_LIKE, pg.Token_ILIKE,
		pg.Token_SIMILAR, pg.Token_BETWEEN, pg.Token_IN_P, pg.Token_AT, pg.Token_COLLATE,
		pg.Token_OVERLAPS, pg.Token_OPERATOR, pg.Token_UNION, pg.Token_INTERSECT, pg.Token_EXCEPT,
		pg.Token_JOIN:
		return true
	}
	return false
}

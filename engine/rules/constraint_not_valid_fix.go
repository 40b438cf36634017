package rules

import (
	"fmt"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v5"

	ca "github.com/migsafe/migsafe/codeactions"
	"github.com/migsafe/migsafe/engine/sqlast"
)

// The fix of constraint-missing-not-valid and adding-foreign-key-constraint: add the
// constraint NOT VALID (naming it when it has no name, so it can be validated) and
// validate it afterwards. The validation scans under SHARE UPDATE EXCLUSIVE, which lets
// reads and writes go on; in a transaction it would still run under the lock ADD
// CONSTRAINT took, so there it goes into a phase of its own.

// addedConstraint is one ADD CONSTRAINT command of an ALTER TABLE.
type addedConstraint struct {
	con *pg.Constraint
	// name is the constraint's name, or PostgreSQL's default when it has none.
	name  string
	start int // file offset of CONSTRAINT, or of CHECK/FOREIGN/UNIQUE when unnamed
	end   int // end of the command's last token
}

// addedConstraints lists the statement's ADD CONSTRAINT commands of the given kinds.
func addedConstraints(s ca.Site, kinds ...pg.ConstrType) (*pg.AlterTableStmt, []addedConstraint) {
	at, cmds := ca.AlterTable(s.Stmt)
	if at == nil {
		return nil, nil
	}
	var out []addedConstraint
	for _, cmd := range cmds {
		con := cmd.GetDef().GetConstraint()
		if cmd.Subtype != pg.AlterTableType_AT_AddConstraint || con == nil || con.Location < 0 {
			continue
		}
		match := false
		for _, k := range kinds {
			match = match || con.Contype == k
		}
		start := s.Stmt.Pos(con.Location)
		ti := s.TokenAt(start)
		if !match || ti < 0 {
			continue
		}
		name := con.Conname
		if name == "" {
			name = defaultConstraintName(at.Relation.GetRelname(), con)
		}
		out = append(out, addedConstraint{con: con, name: name, start: start, end: s.ClauseEnd(ti)})
	}
	return at, out
}

// defaultConstraintName is the name PostgreSQL gives an unnamed constraint:
// table_col_check for a check over one column (table_check otherwise),
// table_cols_fkey, table_cols_key, table_pkey.
func defaultConstraintName(table string, con *pg.Constraint) string {
	switch con.Contype {
	case pg.ConstrType_CONSTR_CHECK:
		var cols []string
		seen := map[string]bool{}
		sqlast.Walk(con.RawExpr, func(n *pg.Node) {
			if cr := n.GetColumnRef(); cr != nil {
				if col := sqlast.LastName(cr.Fields); col != "" && !seen[col] {
					seen[col] = true
					cols = append(cols, col)
				}
			}
		})
		if len(cols) != 1 {
			cols = nil
		}
		return ca.ConstraintName(table, cols, "check")
	case pg.ConstrType_CONSTR_FOREIGN:
		return ca.ConstraintName(table, ca.Names(con.FkAttrs), "fkey")
	case pg.ConstrType_CONSTR_PRIMARY:
		return ca.ConstraintName(table, nil, "pkey")
	}
	return ca.ConstraintName(table, ca.Names(con.Keys), "key")
}

func notValidFixes(s ca.Site) []ca.Fix {
	at, cons := addedConstraints(s, pg.ConstrType_CONSTR_CHECK, pg.ConstrType_CONSTR_FOREIGN)
	if at == nil {
		return nil
	}
	_, cmds := ca.AlterTable(s.Stmt)
	var edits []ca.Edit
	var validates, names, verify []string
	for _, c := range cons {
		if c.con.SkipValidation {
			continue
		}
		names = append(names, c.name)
		if s.TitlesOnly {
			continue // the titles name the constraints; the statements are the edits'
		}
		if c.con.Conname == "" {
			edits = append(edits, ca.Edit{Start: c.start, End: c.start, NewText: "CONSTRAINT " + ca.Ident(c.name) + " "})
		}
		edits = append(edits, ca.Edit{Start: c.end, End: c.end, NewText: " NOT VALID"})
		validates = append(validates, fmt.Sprintf("ALTER TABLE %s VALIDATE CONSTRAINT %s;", ca.Relation(at.Relation), ca.Ident(c.name)))
		verify = append(verify, fmt.Sprintf("SELECT 1 / count(*) FROM pg_constraint WHERE conrelid = %s::regclass AND conname = %s AND convalidated;", ca.Literal(ca.Relation(at.Relation)), ca.Literal(c.name)))
	}
	// A CHECK written on a column ADD COLUMN adds cannot be NOT VALID: it moves out
	// of the column into a table constraint added NOT VALID after the statement.
	var adds []string
	for _, cmd := range cmds {
		cd := cmd.GetDef().GetColumnDef()
		if cmd.Subtype != pg.AlterTableType_AT_AddColumn || cd == nil {
			continue
		}
		for i, cc := range cd.Constraints {
			con := cc.GetConstraint()
			if con.GetContype() != pg.ConstrType_CONSTR_CHECK {
				continue
			}
			start, end, ok := constraintSpan(s, cd, i)
			if !ok {
				return nil
			}
			name := con.Conname
			if name == "" {
				name = defaultConstraintName(at.Relation.GetRelname(), con)
			}
			names = append(names, name)
			if s.TitlesOnly {
				continue
			}
			text := strings.TrimSpace(s.Text()[start:end])
			if con.Conname == "" {
				text = "CONSTRAINT " + ca.Ident(name) + " " + text
			}
			edits = append(edits, s.Cut(start, end))
			adds = append(adds, fmt.Sprintf("ALTER TABLE %s ADD %s NOT VALID;", ca.Relation(at.Relation), text))
			validates = append(validates, fmt.Sprintf("ALTER TABLE %s VALIDATE CONSTRAINT %s;", ca.Relation(at.Relation), ca.Ident(name)))
			verify = append(verify, fmt.Sprintf("SELECT 1 / count(*) FROM pg_constraint WHERE conrelid = %s::regclass AND conname = %s AND convalidated;", ca.Literal(ca.Relation(at.Relation)), ca.Literal(name)))
		}
	}
	if len(names) == 0 {
		return nil
	}
	what := strings.Join(names, ", ")
	inPlace := ca.Fix{
		Title: fmt.Sprintf("Add %s NOT VALID and validate it in a second statement", what),
		Kind:  "quickfix",
	}
	if !s.TitlesOnly {
		inPlace.Edits = append(edits, s.After(append(adds[:len(adds):len(adds)], validates...)...))
	}
	if !s.SharesTx() {
		inPlace.Preferred = true
		return []ca.Fix{inPlace}
	}
	split := ca.Fix{
		Title: fmt.Sprintf("Add %s NOT VALID and validate it in a phase of its own, outside this transaction's lock", what),
		Kind:  "refactor.rewrite",
		Edits: edits,
	}
	if len(adds) > 0 {
		split.Edits = append(edits[:len(edits):len(edits)], s.After(adds...))
	}
	if !s.TitlesOnly {
		split.Phases = []ca.Phase{{Name: "validate", Up: ca.Lines(validates...), Verify: ca.Lines(verify...)}}
	}
	return preferSplitInTx(s, inPlace, split)
}

// preferSplitInTx orders an in-place fix and its split variant: where the added
// statements share a transaction, the validation would run under the lock the NOT
// VALID step took, so the split wins.
func preferSplitInTx(s ca.Site, inPlace, split ca.Fix) []ca.Fix {
	if s.SharesTx() {
		split.Preferred = true
		return []ca.Fix{split, inPlace}
	}
	inPlace.Preferred = true
	return []ca.Fix{inPlace, split}
}

package codeactions

import (
	"fmt"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v5"

	"github.com/migsafe/migsafe/engine"
	"github.com/migsafe/migsafe/engine/sqlast"
)

// addedConstraint is one ADD CONSTRAINT command of an ALTER TABLE.
type addedConstraint struct {
	con *pg.Constraint
	// name is the constraint's name, or PostgreSQL's default when it has none.
	name  string
	start int // file offset of CONSTRAINT, or of CHECK/FOREIGN/UNIQUE when unnamed
	end   int // end of the command's last token
}

// addedConstraints lists the statement's ADD CONSTRAINT commands of the given kinds.
func addedConstraints(s site, kinds ...pg.ConstrType) (*pg.AlterTableStmt, []addedConstraint) {
	at, cmds := alterTable(s.st)
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
		start := s.st.Pos(con.Location)
		ti := s.tokenAt(start)
		if !match || ti < 0 {
			continue
		}
		name := con.Conname
		if name == "" {
			name = defaultConstraintName(at.Relation.GetRelname(), con)
		}
		out = append(out, addedConstraint{con: con, name: name, start: start, end: s.clauseEnd(ti)})
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
		return constraintName(table, cols, "check")
	case pg.ConstrType_CONSTR_FOREIGN:
		return constraintName(table, names(con.FkAttrs), "fkey")
	case pg.ConstrType_CONSTR_PRIMARY:
		return constraintName(table, nil, "pkey")
	}
	return constraintName(table, names(con.Keys), "key")
}

// notValidFixes adds NOT VALID to a CHECK or FOREIGN KEY constraint (naming it when it
// has no name, so it can be validated) and validates it afterwards: the validation
// scans under SHARE UPDATE EXCLUSIVE, which lets reads and writes go on. In a
// transaction the validation would still run under the lock ADD CONSTRAINT took, so
// it goes into a follow-up migration.
func notValidFixes(s site) []engine.Fix {
	at, cons := addedConstraints(s, pg.ConstrType_CONSTR_CHECK, pg.ConstrType_CONSTR_FOREIGN)
	var edits []engine.Edit
	var validates, names []string
	for _, c := range cons {
		if c.con.SkipValidation {
			continue
		}
		if c.con.Conname == "" {
			edits = append(edits, engine.Edit{Start: c.start, End: c.start, NewText: "CONSTRAINT " + ident(c.name) + " "})
		}
		edits = append(edits, engine.Edit{Start: c.end, End: c.end, NewText: " NOT VALID"})
		validates = append(validates, fmt.Sprintf("ALTER TABLE %s VALIDATE CONSTRAINT %s;", relation(at.Relation), ident(c.name)))
		names = append(names, c.name)
	}
	if len(validates) == 0 {
		return nil
	}
	what := strings.Join(names, ", ")
	inPlace := engine.Fix{
		Title: fmt.Sprintf("Add %s NOT VALID and validate it in a second statement", what),
		Kind:  "quickfix",
		Edits: append(edits, s.after(validates...)),
	}
	if !s.sharesTx() {
		inPlace.Preferred = true
		return []engine.Fix{inPlace}
	}
	split := engine.Fix{
		Title:    fmt.Sprintf("Add %s NOT VALID and validate it in a follow-up migration, outside this transaction's lock", what),
		Kind:     "refactor.rewrite",
		Edits:    edits,
		NewFiles: followUps(s.res, []step{{suffix: "validate", up: lines(validates...)}}),
	}
	return preferSplitInTx(s, inPlace, split)
}

// uniqueFixes builds the unique index CONCURRENTLY first and attaches it with
// ADD CONSTRAINT ... USING INDEX, which only takes a brief ACCESS EXCLUSIVE.
func uniqueFixes(s site) []engine.Fix {
	at, cons := addedConstraints(s, pg.ConstrType_CONSTR_UNIQUE, pg.ConstrType_CONSTR_PRIMARY)
	_, cmds := alterTable(s.st)
	// The statement is replaced whole: only a lone ADD UNIQUE/PRIMARY KEY over columns.
	if len(cons) != 1 || len(cmds) != 1 || cons[0].con.Indexname != "" || len(cons[0].con.Keys) == 0 {
		return nil
	}
	c := cons[0].con
	name := ident(cons[0].name)
	table := relation(at.Relation)
	index := "CREATE UNIQUE INDEX CONCURRENTLY " + name + " ON " + table + " (" + identList(names(c.Keys)) + ")"
	if len(c.Including) > 0 {
		index += " INCLUDE (" + identList(names(c.Including)) + ")"
	}
	if c.NullsNotDistinct {
		index += " NULLS NOT DISTINCT"
	}
	index += ";"
	kind := "UNIQUE"
	if c.Contype == pg.ConstrType_CONSTR_PRIMARY {
		kind = "PRIMARY KEY"
	}
	attach := fmt.Sprintf("ALTER TABLE %s ADD CONSTRAINT %s %s USING INDEX %s;", table, name, kind, name)
	if c.Deferrable {
		attach = strings.TrimSuffix(attach, ";") + " DEFERRABLE"
		if c.Initdeferred {
			attach += " INITIALLY DEFERRED"
		}
		attach += ";"
	}
	inPlace := engine.Fix{
		Title: fmt.Sprintf("Build the unique index CONCURRENTLY, then add the %s constraint USING INDEX", kind),
		Kind:  "quickfix",
		Edits: []engine.Edit{s.replace(index, attach)},
	}
	if !s.sharesTx() {
		inPlace.Preferred = true
		return []engine.Fix{inPlace}
	}
	inPlace.Title += "; CONCURRENTLY fails in this migration's transaction"
	dropIndex := lines("DROP INDEX CONCURRENTLY IF EXISTS " + qualifiedIndex(at.Relation, name) + ";")
	dropConstraint := lines(fmt.Sprintf("ALTER TABLE %s DROP CONSTRAINT IF EXISTS %s;", table, name))
	if edits, files, ok := noTransaction(s, 2); ok {
		inPlace.Title = fmt.Sprintf("Run this migration without a transaction, build the unique index CONCURRENTLY, then add the %s constraint USING INDEX", kind)
		inPlace.Edits = append(edits, inPlace.Edits...)
		inPlace.NewFiles = files
		inPlace.Preferred = true
		return []engine.Fix{inPlace}
	}
	if alone(s) && !s.st.Tx.In() {
		// Alone in its file the statement runs outside a transaction: the index build
		// can stay here, and the constraint follows in the next migration.
		return []engine.Fix{{
			Title:     fmt.Sprintf("Build the unique index CONCURRENTLY here, then add the %s constraint USING INDEX in the next migration", kind),
			Kind:      "refactor.rewrite",
			Preferred: true,
			Edits:     []engine.Edit{s.replace(index)},
			NewFiles:  followUps(s.res, []step{{suffix: "unique_constraint", up: lines(attach), down: dropConstraint}}),
		}, inPlace}
	}
	split := engine.Fix{
		Title:     fmt.Sprintf("Build the unique index CONCURRENTLY in a migration of its own, then add the %s constraint USING INDEX in the next", kind),
		Kind:      "refactor.rewrite",
		Preferred: true,
		Edits:     []engine.Edit{s.remove()},
		NewFiles: followUps(s.res, []step{
			{suffix: "unique_index", up: lines(index), down: dropIndex, noTx: true},
			{suffix: "unique_constraint", up: lines(attach), down: dropConstraint},
		}),
	}
	return []engine.Fix{split, inPlace}
}

// qualifiedIndex names an index in its table's schema.
func qualifiedIndex(rv *pg.RangeVar, name string) string {
	if rv.GetSchemaname() != "" {
		return ident(rv.Schemaname) + "." + name
	}
	return name
}

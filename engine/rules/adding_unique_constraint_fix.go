package rules

import (
	"fmt"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v5"

	ca "github.com/migsafe/migsafe/codeactions"
)

// uniqueFixes builds the unique index CONCURRENTLY first and attaches it with ADD
// CONSTRAINT ... USING INDEX, which only takes a brief ACCESS EXCLUSIVE. A PRIMARY KEY
// also needs its columns NOT NULL, and ADD PRIMARY KEY would scan under ACCESS
// EXCLUSIVE to set that: the columns not known to be NOT NULL go through the NOT NULL
// phases first, so the key is attached without a scan. nullable says which key
// columns may hold NULLs; vouch is as for notNullPhases.
func uniqueFixes(nullable func(table, column string) bool, vouch bool) func(ca.Site) []ca.Fix {
	return func(s ca.Site) []ca.Fix {
		at, cons := addedConstraints(s, pg.ConstrType_CONSTR_UNIQUE, pg.ConstrType_CONSTR_PRIMARY)
		_, cmds := ca.AlterTable(s.Stmt)
		// The statement is replaced whole: only a lone ADD UNIQUE/PRIMARY KEY over columns.
		if len(cons) != 1 || len(cmds) != 1 || cons[0].con.Indexname != "" || len(cons[0].con.Keys) == 0 {
			return nil
		}
		c := cons[0].con
		name := ca.Ident(cons[0].name)
		table := ca.Relation(at.Relation)
		keys := ca.Names(c.Keys)
		index := "CREATE UNIQUE INDEX CONCURRENTLY " + name + " ON " + table + " (" + ca.IdentList(keys) + ")"
		if len(c.Including) > 0 {
			index += " INCLUDE (" + ca.IdentList(ca.Names(c.Including)) + ")"
		}
		if c.NullsNotDistinct {
			index += " NULLS NOT DISTINCT"
		}
		index += ";"
		kind := "UNIQUE"
		if c.Contype == pg.ConstrType_CONSTR_PRIMARY {
			kind = "PRIMARY KEY"
		}
		attach := fmt.Sprintf("ALTER TABLE %s ADD CONSTRAINT %s %s USING INDEX %s", table, name, kind, name)
		if c.Deferrable {
			attach += " DEFERRABLE"
			if c.Initdeferred {
				attach += " INITIALLY DEFERRED"
			}
		}
		attach += ";"
		var nns []ca.NotNull
		if kind == "PRIMARY KEY" {
			for _, k := range keys {
				if nullable(table, k) {
					nns = append(nns, ca.NewNotNull(at.Relation, k, s.PG()))
				}
			}
		}
		dropIndex := ca.Lines("DROP INDEX CONCURRENTLY IF EXISTS " + qualifiedIndex(at.Relation, name) + ";")
		// Dropping the constraint drops its index too; the index phase's down then finds none.
		dropConstraint := ca.Lines(fmt.Sprintf("ALTER TABLE %s DROP CONSTRAINT IF EXISTS %s;", table, name))
		invalid := fmt.Sprintf("-- If the build fails it leaves the INVALID index %s: DROP INDEX CONCURRENTLY IF EXISTS %s; then run this again.", name, name)
		verify := fmt.Sprintf("SELECT 1 / count(*) FROM pg_constraint WHERE conrelid = %s::regclass AND conname = %s;\n", ca.Literal(table), ca.Literal(cons[0].name))
		indexPhase := ca.Phase{Name: strings.ToLower(strings.ReplaceAll(kind, " ", "_")) + "_index", Up: ca.Lines(invalid, index), Down: dropIndex, NoTx: true,
			Verify: fmt.Sprintf("SELECT 1 / count(*) FROM pg_index WHERE indexrelid = to_regclass(%s) AND indisvalid;\n", ca.Literal(cons[0].name))}
		attachPhase := ca.Phase{Name: strings.ToLower(strings.ReplaceAll(kind, " ", "_")), Up: ca.Lines(attach), Down: dropConstraint, Brief: true, Verify: verify}
		var nnPhases []ca.Phase
		if len(nns) > 0 {
			nnPhases = notNullPhases(nns, vouch)
		}
		inFile, others := s.DownEdits(ca.Undo{Match: ca.DropsConstraint(table, cons[0].name)})
		title := fmt.Sprintf("Build the unique index CONCURRENTLY, then add the %s constraint USING INDEX", kind)
		if len(nns) > 0 {
			title = fmt.Sprintf("Build the unique index CONCURRENTLY, make %s NOT NULL through a validated check, then add the PRIMARY KEY USING INDEX", ca.IdentList(keys))
		}
		split := ca.Fix{
			Title:     title + ", in phases of their own",
			Kind:      "refactor.rewrite",
			Preferred: true,
			Edits:     append([]ca.Edit{s.MoveOut("the constraint is built in the phases that follow this migration")}, inFile...),
			Others:    others,
			Phases:    append(append([]ca.Phase{indexPhase}, nnPhases...), attachPhase),
		}
		if len(nns) > 0 || s.SharesTx() {
			if edits, files, ok := noTransaction(s, 2); ok && len(nns) == 0 {
				return []ca.Fix{{
					Title:     "Run this migration without a transaction, " + strings.ToLower(title[:1]) + title[1:],
					Kind:      "quickfix",
					Preferred: true,
					Edits:     append(edits, s.Replace(index, attach)),
					Files:     files,
				}, unpreferred(split)}
			}
			if alone(s) && !s.Stmt.Tx.In() && len(nns) == 0 {
				// Alone in its file the statement runs outside a transaction: the index
				// build can stay here, and the constraint follows in the next migration.
				here, hereOthers := s.DownEdits(ca.Undo{Match: ca.DropsConstraint(table, cons[0].name),
					Stmts: []string{"DROP INDEX IF EXISTS " + qualifiedIndex(at.Relation, name) + ";"}})
				return []ca.Fix{{
					Title:     fmt.Sprintf("Build the unique index CONCURRENTLY here, then add the %s constraint USING INDEX in the next migration", kind),
					Kind:      "refactor.rewrite",
					Preferred: true,
					Edits:     append([]ca.Edit{s.Replace(invalid, index)}, here...),
					Others:    hereOthers,
					Phases:    []ca.Phase{attachPhase},
				}, unpreferred(split)}
			}
			return []ca.Fix{split}
		}
		return []ca.Fix{{
			Title:     title,
			Kind:      "quickfix",
			Preferred: true,
			Edits:     []ca.Edit{s.Replace(index, attach)},
		}, unpreferred(split)}
	}
}

func unpreferred(f ca.Fix) ca.Fix {
	f.Preferred = false
	return f
}

// qualifiedIndex names an index in its table's schema.
func qualifiedIndex(rv *pg.RangeVar, name string) string {
	if rv.GetSchemaname() != "" {
		return ca.Ident(rv.Schemaname) + "." + name
	}
	return name
}

package codeactions

import (
	"fmt"
	"path/filepath"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v5"

	"github.com/migsafe/migsafe/engine"
	"github.com/migsafe/migsafe/engine/migration"
	"github.com/migsafe/migsafe/engine/rules"
)

// notNullPhases are the statements that make column NOT NULL without holding ACCESS
// EXCLUSIVE for a scan: a NOT VALID check (instant), its validation (SHARE UPDATE
// EXCLUSIVE: reads and writes go on), then, from PostgreSQL 12, SET NOT NULL, which
// trusts the validated check instead of scanning, and the check's removal.
type notNullPhases struct {
	table, check, column string
	pgVersion            int
}

func newNotNullPhases(s site, rv *pg.RangeVar, column string) notNullPhases {
	return notNullPhases{
		table:     relation(rv),
		check:     ident(constraintName(rv.GetRelname(), []string{column}, "not_null")),
		column:    ident(column),
		pgVersion: s.res.Config.PGVersion,
	}
}

func (p notNullPhases) backfillNote() string {
	return fmt.Sprintf("-- TODO(migsafe): backfill %s in batches before the constraint below is validated: existing rows must not be NULL.", p.column)
}

func (p notNullPhases) addCheck() string {
	return fmt.Sprintf("ALTER TABLE %s ADD CONSTRAINT %s CHECK (%s IS NOT NULL) NOT VALID;", p.table, p.check, p.column)
}

func (p notNullPhases) validate() string {
	return fmt.Sprintf("ALTER TABLE %s VALIDATE CONSTRAINT %s;", p.table, p.check)
}

// setNotNull is SET NOT NULL and the check's removal, or before PostgreSQL 12 (where
// SET NOT NULL would scan anyway) a note that the validated check is the guarantee.
func (p notNullPhases) setNotNull() []string {
	if p.pgVersion < 12 {
		return []string{"-- Before PostgreSQL 12, SET NOT NULL scans the table under ACCESS EXCLUSIVE even after the check is validated: keep the CHECK constraint as the NOT NULL guarantee."}
	}
	return []string{
		fmt.Sprintf("ALTER TABLE %s ALTER COLUMN %s SET NOT NULL;", p.table, p.column),
		fmt.Sprintf("ALTER TABLE %s DROP CONSTRAINT %s;", p.table, p.check),
	}
}

func (p notNullPhases) undoSetNotNull() string {
	if p.pgVersion < 12 {
		return fmt.Sprintf("ALTER TABLE %s DROP CONSTRAINT IF EXISTS %s;", p.table, p.check)
	}
	return fmt.Sprintf("ALTER TABLE %s ALTER COLUMN %s DROP NOT NULL;", p.table, p.column)
}

// requiredColumnFixes turns ADD COLUMN ... NOT NULL (no default) into a nullable
// column and the phased NOT NULL, in this file or split into follow-up migrations.
func requiredColumnFixes(s site) []engine.Fix {
	at, cmds := alterTable(s.st)
	if at == nil {
		return nil
	}
	var cuts []engine.Edit
	var phases []notNullPhases
	for _, cmd := range cmds {
		cd := cmd.GetDef().GetColumnDef()
		if cmd.Subtype != pg.AlterTableType_AT_AddColumn || cd == nil || hasConstraint(cd, pg.ConstrType_CONSTR_DEFAULT) {
			continue
		}
		for i, c := range cd.Constraints {
			if c.GetConstraint().GetContype() == pg.ConstrType_CONSTR_NOTNULL {
				start, end, ok := constraintSpan(s, cd, i)
				if !ok {
					return nil
				}
				cuts = append(cuts, s.cut(start, end))
				phases = append(phases, newNotNullPhases(s, at.Relation, cd.Colname))
			}
		}
	}
	if len(phases) == 0 {
		return nil
	}
	var inline []string
	for _, p := range phases {
		inline = append(inline, p.backfillNote(), p.addCheck(), p.validate())
		inline = append(inline, p.setNotNull()...)
	}
	inPlace := engine.Fix{
		Title: "Add the column nullable, then backfill, add a NOT VALID check, validate it and SET NOT NULL (fill in the backfill)",
		Kind:  "quickfix",
		Edits: append(cuts, s.after(inline...)),
	}
	var checks, sets, undoChecks, undoSets []string
	for _, p := range phases {
		checks = append(checks, p.backfillNote(), p.addCheck())
		undoChecks = append(undoChecks, fmt.Sprintf("ALTER TABLE %s DROP CONSTRAINT IF EXISTS %s;", p.table, p.check))
		sets = append(sets, p.validate())
		sets = append(sets, p.setNotNull()...)
		undoSets = append(undoSets, p.undoSetNotNull())
	}
	split := engine.Fix{
		Title: "Split into phased migrations: nullable column now; NOT VALID check after the backfill; validate and SET NOT NULL last",
		Kind:  "refactor.rewrite",
		Edits: cuts,
		NewFiles: s.vouch(followUps(s.res, []step{
			{suffix: "not_null_check", up: lines(checks...), down: lines(undoChecks...)},
			{suffix: "set_not_null", up: lines(sets...), down: lines(undoSets...)},
		})),
	}
	return preferSplitInTx(s, inPlace, split)
}

// setNotNullFixes precedes ALTER COLUMN ... SET NOT NULL with a validated NOT VALID
// check, so SET NOT NULL does not scan under ACCESS EXCLUSIVE.
func setNotNullFixes(s site) []engine.Fix {
	at, cmds := alterTable(s.st)
	if at == nil {
		return nil
	}
	var phases []notNullPhases
	for _, cmd := range cmds {
		if cmd.Subtype == pg.AlterTableType_AT_SetNotNull {
			phases = append(phases, newNotNullPhases(s, at.Relation, cmd.Name))
		}
	}
	if len(phases) == 0 {
		return nil
	}
	only := len(phases) == len(cmds)
	var pre, post, adds, later, undo []string
	for _, p := range phases {
		pre = append(pre, p.addCheck(), p.validate())
		adds = append(adds, p.addCheck())
		undo = append(undo, p.undoSetNotNull())
		if p.pgVersion >= 12 {
			post = append(post, p.setNotNull()[1])
		}
		later = append(later, p.validate())
	}
	if phases[0].pgVersion < 12 {
		// SET NOT NULL scans regardless: the validated check replaces it.
		if !only {
			return nil
		}
		return []engine.Fix{{
			Title:     "Replace SET NOT NULL by a NOT VALID check and its validation (PostgreSQL < 12 would scan for SET NOT NULL anyway)",
			Kind:      "quickfix",
			Preferred: true,
			Edits:     []engine.Edit{s.replace(pre...)},
		}}
	}
	edits := []engine.Edit{s.before(pre...)}
	if len(post) > 0 {
		edits = append(edits, s.after(post...))
	}
	inPlace := engine.Fix{
		Title: "Add and validate a NOT VALID check first, so SET NOT NULL skips its scan",
		Kind:  "quickfix",
		Edits: edits,
	}
	if !only {
		inPlace.Preferred = true
		return []engine.Fix{inPlace}
	}
	later = append(later, s.sql())
	later = append(later, post...)
	split := engine.Fix{
		Title:    "Split into phased migrations: NOT VALID check now; validate and SET NOT NULL in a follow-up migration",
		Kind:     "refactor.rewrite",
		Edits:    []engine.Edit{s.replace(adds...)},
		NewFiles: s.vouch(followUps(s.res, []step{{suffix: "set_not_null", up: lines(later...), down: lines(undo...)}})),
	}
	return preferSplitInTx(s, inPlace, split)
}

// preferSplitInTx orders an in-place fix and its split variant: where the added
// statements share a transaction, the validation would run under the lock the NOT
// VALID step took, so the split wins.
func preferSplitInTx(s site, inPlace, split engine.Fix) []engine.Fix {
	if s.sharesTx() {
		split.Preferred = true
		return []engine.Fix{split, inPlace}
	}
	inPlace.Preferred = true
	return []engine.Fix{inPlace, split}
}

func hasConstraint(cd *pg.ColumnDef, t pg.ConstrType) bool {
	for _, c := range cd.Constraints {
		if c.GetConstraint().GetContype() == t {
			return true
		}
	}
	return false
}

// constraintSpan is the file span of a column definition's i-th constraint: from its
// location to the last token before the next constraint or the end of the column
// definition.
func constraintSpan(s site, cd *pg.ColumnDef, i int) (start, end int, ok bool) {
	c := cd.Constraints[i].GetConstraint()
	if c == nil || c.Location < 0 {
		return 0, 0, false
	}
	start = s.st.Pos(c.Location)
	ti := s.tokenAt(start)
	if ti < 0 || s.st.Tokens[ti].Start != start {
		return 0, 0, false
	}
	if i+1 < len(cd.Constraints) {
		next := cd.Constraints[i+1].GetConstraint()
		ni := s.tokenAt(s.st.Pos(next.GetLocation()))
		if next == nil || next.Location < 0 || ni <= ti {
			return 0, 0, false
		}
		return start, s.st.Tokens[ni-1].End, true
	}
	return start, s.clauseEnd(ti), true
}

// vouchSetNotNull suppresses setting-not-null, with the reason, on the SET NOT NULL of
// follow-up migrations that validate the column's CHECK (col IS NOT NULL) just before
// it: the check was added NOT VALID in an earlier migration, which an analysis of one
// file cannot see. Where the rule is registered, the new file is analysed under its
// own name and only the statements it reports get the comment, so no suppression is
// left suppressing nothing (a small table); where it is not, every SET NOT NULL does.
func (s site) vouch(files []engine.NewFile) []engine.NewFile {
	if s.titles {
		return files // the comments change the files' text, not the fix's title
	}
	return vouchSetNotNull(s.res, files)
}

func vouchSetNotNull(res *engine.Result, files []engine.NewFile) []engine.NewFile {
	const id = "setting-not-null"
	registered := rules.ByID(id) != nil
	// Only this rule's findings are read: the other rules are not run (every fix of a
	// NOT NULL finding analyses its follow-ups, and `check` builds fixes for all).
	only := *res.Config
	only.Disable = map[string]bool{}
	for _, r := range rules.All {
		if r.ID != id {
			only.Disable[r.ID] = true
		}
	}
	for i, nf := range files {
		if !strings.HasSuffix(nf.Path, ".sql") || strings.HasSuffix(nf.Path, ".down.sql") || filepath.Base(nf.Path) == "down.sql" {
			continue
		}
		a := engine.Analyze(nf.Path, nf.Text, &only, engine.Options{NoSiblings: true})
		text := nf.Text
		for j := len(a.Statements) - 1; j >= 0; j-- {
			sr := a.Statements[j]
			if sr.Stmt.Section != migration.Up || !setsNotNull(sr.Stmt) {
				continue
			}
			if registered && !reports(sr.Findings, id) {
				continue
			}
			at := strings.LastIndexByte(text[:sr.Stmt.Start], '\n') + 1
			text = text[:at] + "-- migsafe:ignore " + id + " -- the CHECK (col IS NOT NULL) validated above, added NOT VALID in an earlier migration, lets SET NOT NULL skip its scan\n" + text[at:]
		}
		files[i].Text = text
	}
	return files
}

func setsNotNull(st *migration.Statement) bool {
	_, cmds := alterTable(st)
	for _, cmd := range cmds {
		if cmd.Subtype == pg.AlterTableType_AT_SetNotNull {
			return true
		}
	}
	return false
}

func reports(findings []*engine.Finding, id string) bool {
	for _, fd := range findings {
		if fd.Rule.ID == id {
			return true
		}
	}
	return false
}

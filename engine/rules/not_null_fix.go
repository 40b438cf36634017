package rules

import (
	"fmt"
	"path/filepath"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v5"

	ca "github.com/migsafe/migsafe/codeactions"
	"github.com/migsafe/migsafe/engine/migration"
	"github.com/migsafe/migsafe/engine/sqlast"
)

// The phases that make columns NOT NULL, shared by the fixes of adding-required-column,
// setting-not-null, adding-field-with-rewrite and adding-unique-constraint (a primary
// key's columns): the checks NOT VALID in one phase; validation and SET NOT NULL in the
// next, so the validation scan never runs under the ACCESS EXCLUSIVE the ADD took.

// vouchNotNull is the suppression written on a phase's SET NOT NULL when
// setting-not-null would report it there: a phase judged alone cannot show that the
// CHECK it validates says col IS NOT NULL, since the phase before added it.
const vouchNotNull = "-- migsafe:ignore setting-not-null -- the CHECK (col IS NOT NULL) validated just above, added NOT VALID in the phase before, lets SET NOT NULL skip its scan"

// notNullPhases are the two phases for nns. vouch: setting-not-null reports the SET NOT
// NULL of this table (its size matters and PostgreSQL is 12+).
func notNullPhases(nns []ca.NotNull, vouch bool) []ca.Phase {
	var checks, undoChecks, sets, undoSets, verify []string
	for _, n := range nns {
		checks = append(checks, n.AddCheck())
		undoChecks = append(undoChecks, n.DropCheck())
		sets = append(sets, n.Validate())
		for _, st := range n.SetNotNull() {
			if vouch && strings.Contains(st, "SET NOT NULL") {
				sets = append(sets, vouchNotNull)
			}
			sets = append(sets, st)
		}
		undoSets = append(undoSets, n.UndoSetNotNull()...)
		verify = append(verify, n.VerifyNotNull(n.Table, unquoted(n.Column)))
	}
	return []ca.Phase{
		{Name: "not_null_check", Up: ca.Lines(checks...), Down: ca.Lines(undoChecks...), Brief: true},
		{Name: "set_not_null", Up: ca.Lines(sets...), Down: linesOrNone(undoSets), Verify: strings.Join(verify, "")},
	}
}

func linesOrNone(stmts []string) string {
	if len(stmts) == 0 {
		return ""
	}
	return ca.Lines(stmts...)
}

func unquoted(id string) string {
	if len(id) >= 2 && id[0] == '"' {
		return strings.ReplaceAll(id[1:len(id)-1], `""`, `"`)
	}
	return id
}

// vouchFor says whether setting-not-null would report the SET NOT NULL a phase runs on
// table. A migration judged in its migration set has phases judged there too (check and
// the language server read the set; migsafe fix judges the new phases in it): the
// history shows the CHECK the phase before added, so the rule is silent and a vouch
// would be an ignore that suppresses nothing. Only a migration judged alone (no set
// found, standard input) gets phases judged alone, which need it.
func (p *Pass) vouchFor(table string) bool {
	return p.State.History == nil && p.PG() >= 12 && p.LockDurationMatters(table) && !p.Config.Disable["setting-not-null"]
}

// mayBeNull tells, for the key columns of the statement's ADD PRIMARY KEY, whether they
// may hold NULLs before it: not when its history shows them NOT NULL. (Today that
// history is this file; the schema catalog of engine/project will tell for the earlier
// migrations.) It is worked out now, while the State is the one before the statement.
func (p *Pass) mayBeNull() func(table, column string) bool {
	known := map[string]bool{}
	at, cmds := ca.AlterTable(p.Stmt)
	for _, cmd := range cmds {
		if con := cmd.GetDef().GetConstraint(); con != nil && con.Contype == pg.ConstrType_CONSTR_PRIMARY {
			for _, k := range ca.Names(con.Keys) {
				known[strings.ToLower(k)] = !p.State.HasNotNullCheck(sqlast.RangeVarName(at.Relation), k)
			}
		}
	}
	return func(_, column string) bool { return known[strings.ToLower(column)] }
}

// jobName names a batch job after its migration and what it changes, so a rerun of
// the same migration resumes it.
func jobName(s ca.Site, what string) string {
	base := filepath.Base(s.File.Path)
	if s.File.Runner == migration.Prisma || s.File.Runner == migration.Diesel {
		base = filepath.Base(filepath.Dir(s.File.Path))
	}
	for _, ext := range []string{".up.sql", ".sql"} {
		base = strings.TrimSuffix(base, ext)
	}
	return base + ": " + what
}

// requiredColumnFixes turns ADD COLUMN ... NOT NULL without a default into a nullable
// column with a DEFAULT whose value the author fills in (check reports the placeholder
// until then), a batched backfill of the existing rows with that DEFAULT, and the NOT
// NULL phases; the DEFAULT, which the migration did not want, goes in a contract phase
// once all code sets the column. The DEFAULT comes before the backfill because the
// code still running during the deploy inserts rows without the column: without it,
// those rows stay NULL (the backfill's key cursor has passed them, or it has
// finished), VALIDATE fails, and the NOT VALID check, which new rows must pass, refuses
// that code's inserts. SET DEFAULT on an existing column changes the catalog alone,
// whatever the value, with no rewrite. On PostgreSQL 11+ a constant DEFAULT on the ADD
// COLUMN is offered too: it is stored in the catalog, with no rewrite.
func requiredColumnFixes(vouch bool) func(ca.Site) []ca.Fix {
	return func(s ca.Site) []ca.Fix {
		at, cmds := ca.AlterTable(s.Stmt)
		if at == nil {
			return nil
		}
		var cuts, defaults []ca.Edit
		var nns []ca.NotNull
		var setDefaults, dropDefaults, restoreDefaults, jobs []string
		for _, cmd := range cmds {
			cd := cmd.GetDef().GetColumnDef()
			if cmd.Subtype != pg.AlterTableType_AT_AddColumn || cd == nil || hasConstraint(cd, pg.ConstrType_CONSTR_DEFAULT) {
				continue
			}
			for i, c := range cd.Constraints {
				if c.GetConstraint().GetContype() != pg.ConstrType_CONSTR_NOTNULL {
					continue
				}
				start, end, ok := constraintSpan(s, cd, i)
				if _, tok := ca.TypeName(cd.TypeName); !ok || !tok {
					return nil
				}
				cuts = append(cuts, s.Cut(start, end))
				nn := ca.NewNotNull(at.Relation, cd.Colname, s.PG())
				nns = append(nns, nn)
				if zero, ok := zeroValue(cd.TypeName); ok {
					defaults = append(defaults, ca.Edit{Start: start, End: start, NewText: "DEFAULT " + zero + " "})
				}
				if s.TitlesOnly {
					continue // defaults, jobs and phases are all a titles-only build leaves out
				}
				setDefault := fmt.Sprintf("ALTER TABLE %s ALTER COLUMN %s SET DEFAULT NULL;", nn.Table, nn.Column)
				setDefaults = append(setDefaults,
					fmt.Sprintf("-- migsafe:todo set the DEFAULT below to the value existing rows of %s get for %s, as do rows inserted by code that does not set it (NULL fails the NOT NULL that follows), then delete this line.", nn.Table, nn.Column),
					setDefault)
				dropDefaults = append(dropDefaults, fmt.Sprintf("ALTER TABLE %s ALTER COLUMN %s DROP DEFAULT;", nn.Table, nn.Column))
				restoreDefaults = append(restoreDefaults,
					fmt.Sprintf("-- migsafe:todo set the DEFAULT below to the one the migration this phase follows gave %s.%s, then delete this line.", nn.Table, nn.Column),
					setDefault)
				jobs = append(jobs, ca.BatchJob(s.Config, ca.Job{Name: jobName(s, nn.Table+"."+cd.Colname+" backfill"), Table: nn.Table,
					Set: nn.Column + " = DEFAULT", Needs: nn.Column + " IS NULL", Converges: true}))
			}
		}
		if len(nns) == 0 {
			return nil
		}
		var phases []ca.Phase
		if !s.TitlesOnly {
			phases = notNullPhases(nns, vouch)
		}
		var fixes []ca.Fix
		var backfill []ca.Phase
		for i, job := range jobs {
			backfill = append(backfill, ca.Phase{Name: "backfill_" + unquoted(nns[i].Column), Up: ca.Lines(ca.BatchJobNote("Existing rows get the DEFAULT of "+nns[i].Column), job), NoTx: true})
		}
		var columns []string
		for _, n := range nns {
			columns = append(columns, n.Table+"."+n.Column)
		}
		split := ca.Fix{
			Title:  "Split into phases: the column nullable with a DEFAULT (fill in its value), a batched backfill, a NOT VALID check, validate and SET NOT NULL; drop the DEFAULT once all code sets the column",
			Kind:   "refactor.rewrite",
			Edits:  cuts,
			Phases: append(backfill, phases...),
		}
		if !s.TitlesOnly {
			split.Edits = append(cuts[:len(cuts):len(cuts)], s.After(setDefaults...))
			split.Phases = append(split.Phases, ca.Phase{Name: "drop_default", Brief: true,
				Wait: "application code that sets " + strings.Join(columns, ", ") + " in every INSERT",
				Up:   ca.Lines(dropDefaults...), Down: ca.Lines(restoreDefaults...)})
		}
		fixes = append(fixes, split)
		if !s.SharesTx() {
			all := append([]string(nil), setDefaults...)
			for _, job := range jobs {
				all = append(all, s.Block(job))
			}
			if !s.TitlesOnly {
				for _, ph := range notNullPhases(nns, false) {
					all = append(all, strings.TrimSuffix(ph.Up, "\n"))
				}
				all = append(all, fmt.Sprintf("-- The DEFAULT stays for the code still running that does not set %s: drop it in a migration once all code does.", strings.Join(columns, ", ")))
			}
			fixes = append(fixes, ca.Fix{
				Title: "Add the column nullable with a DEFAULT (fill in its value), then backfill in batches, add a NOT VALID check, validate it and SET NOT NULL, in this file",
				Kind:  "quickfix",
				Edits: append(cuts[:len(cuts):len(cuts)], s.After(all...)),
			})
		}
		fixes[0].Preferred = true
		if s.PG() >= 11 && len(defaults) == len(nns) {
			fixes = append(fixes, ca.Fix{
				Title: "Give the column a constant DEFAULT instead (stored in the catalog from PostgreSQL 11, no rewrite): check the value",
				Kind:  "quickfix",
				Edits: append(defaults, s.Before("-- migsafe:todo check the DEFAULT that existing rows get, then delete this line.")),
			})
		}
		return fixes
	}
}

// setNotNullFixes precedes ALTER COLUMN ... SET NOT NULL with a validated NOT VALID
// check, so SET NOT NULL does not scan under ACCESS EXCLUSIVE.
func setNotNullFixes(vouch bool) func(ca.Site) []ca.Fix {
	return func(s ca.Site) []ca.Fix {
		at, cmds := ca.AlterTable(s.Stmt)
		if at == nil {
			return nil
		}
		var nns []ca.NotNull
		for _, cmd := range cmds {
			if cmd.Subtype == pg.AlterTableType_AT_SetNotNull {
				nns = append(nns, ca.NewNotNull(at.Relation, cmd.Name, s.PG()))
			}
		}
		if len(nns) == 0 {
			return nil
		}
		only := len(nns) == len(cmds)
		if s.TitlesOnly {
			return setNotNullTitles(s, only)
		}
		var pre, post, adds []string
		var undo []ca.Undo
		for _, n := range nns {
			pre = append(pre, n.AddCheck(), n.Validate())
			adds = append(adds, n.AddCheck())
			if s.PG() >= 12 {
				post = append(post, n.SetNotNull()[1])
			}
			undo = append(undo, ca.Undo{Match: ca.DropsNotNull(n.Table, unquoted(n.Column)), Stmts: []string{n.DropCheck()}})
		}
		if s.PG() < 12 {
			// SET NOT NULL scans regardless: the validated check replaces it.
			if !only {
				return nil
			}
			return []ca.Fix{{
				Title:     setNotNullReplaceTitle,
				Kind:      "quickfix",
				Preferred: true,
				Edits:     []ca.Edit{s.Replace(pre...)},
			}}
		}
		edits := []ca.Edit{s.Before(pre...)}
		if len(post) > 0 {
			edits = append(edits, s.After(post...))
		}
		inPlace := ca.Fix{
			Title: setNotNullInPlaceTitle,
			Kind:  "quickfix",
			Edits: edits,
		}
		var split ca.Fix
		if only {
			inFile, others := s.DownEdits(undo...)
			split = ca.Fix{
				Title:  setNotNullSplitTitle,
				Kind:   "refactor.rewrite",
				Edits:  append([]ca.Edit{s.Replace(adds...)}, inFile...),
				Others: others,
				Phases: notNullPhases(nns, vouch)[1:],
			}
		} else {
			// The other commands stay; the SET NOT NULL clauses leave the statement.
			cuts, ok := setNotNullClauses(s)
			if !ok {
				inPlace.Preferred = true
				return []ca.Fix{inPlace}
			}
			var keep []ca.Undo
			for _, u := range undo {
				keep = append(keep, ca.Undo{Match: u.Match, Stmts: u.Stmts, Keep: true})
			}
			inFile, others := s.DownEdits(keep...)
			split = ca.Fix{
				Title:  setNotNullSplitTitle,
				Kind:   "refactor.rewrite",
				Edits:  append(append([]ca.Edit{s.Before(adds...)}, cuts...), inFile...),
				Others: others,
				Phases: notNullPhases(nns, vouch)[1:],
			}
		}
		return preferSplitInTx(s, inPlace, split)
	}
}

const (
	setNotNullReplaceTitle = "Replace SET NOT NULL by a NOT VALID check and its validation (PostgreSQL < 12 would scan for SET NOT NULL anyway)"
	setNotNullInPlaceTitle = "Add and validate a NOT VALID check first, so SET NOT NULL skips its scan"
	setNotNullSplitTitle   = "Split into phases: a NOT VALID check now; validate and SET NOT NULL in the next migration"
)

// setNotNullTitles are setNotNullFixes for their titles, kinds and preference alone
// (see ca.Site.TitlesOnly): which fixes there are depends on the commands, not on the
// checks, phases and down edits they would write. only says every command of the
// ALTER TABLE is a SET NOT NULL.
func setNotNullTitles(s ca.Site, only bool) []ca.Fix {
	if s.PG() < 12 {
		if !only {
			return nil
		}
		return []ca.Fix{{Title: setNotNullReplaceTitle, Kind: "quickfix", Preferred: true}}
	}
	inPlace := ca.Fix{Title: setNotNullInPlaceTitle, Kind: "quickfix"}
	if !only {
		if _, ok := setNotNullClauses(s); !ok {
			inPlace.Preferred = true
			return []ca.Fix{inPlace}
		}
	}
	return preferSplitInTx(s, inPlace, ca.Fix{Title: setNotNullSplitTitle, Kind: "refactor.rewrite"})
}

// setNotNullClauses are edits that cut the SET NOT NULL subcommands out of an ALTER
// TABLE that has others, with the comma that joins each to the rest.
func setNotNullClauses(s ca.Site) ([]ca.Edit, bool) {
	at, cmds := ca.AlterTable(s.Stmt)
	text := s.Text()
	toks := s.Stmt.Tokens
	i := s.TokenAt(s.Stmt.Pos(at.Relation.GetLocation()))
	if i < 0 {
		return nil, false
	}
	for i+2 < len(toks) && text[toks[i+1].Start:toks[i+1].End] == "." {
		i += 2
	}
	// The subcommands are the depth-0 comma-separated runs of tokens after the name.
	type clause struct{ start, end, comma int } // comma: offset of the comma after, -1
	var clauses []clause
	depth, start, end := 0, -1, -1
	for j := i + 1; j < len(toks); j++ {
		t := text[toks[j].Start:toks[j].End]
		switch {
		case t == "(":
			depth++
		case t == ")":
			depth--
		case t == ";" && depth == 0:
			continue
		case t == "," && depth == 0:
			clauses = append(clauses, clause{start, end, int(toks[j].Start)})
			start = -1
			continue
		}
		if start < 0 {
			start = int(toks[j].Start)
		}
		end = int(toks[j].End)
	}
	if start >= 0 {
		clauses = append(clauses, clause{start, end, -1})
	}
	if len(clauses) != len(cmds) {
		return nil, false
	}
	lastKept := -1
	for k := range clauses {
		if cmds[k].Subtype != pg.AlterTableType_AT_SetNotNull {
			lastKept = k
		}
	}
	var edits []ca.Edit
	for k, c := range clauses {
		switch {
		case cmds[k].Subtype != pg.AlterTableType_AT_SetNotNull:
		case k < lastKept:
			// "a SET NOT NULL, b" -> "b": the clause, its comma and the space after.
			edits = append(edits, ca.Edit{Start: c.start, End: clauses[k+1].start})
		case k == lastKept+1:
			// The clauses after the last kept one go with the comma before them.
			edits = append(edits, ca.Edit{Start: clauses[lastKept].end, End: clauses[len(clauses)-1].end})
		}
	}
	return edits, true
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
func constraintSpan(s ca.Site, cd *pg.ColumnDef, i int) (start, end int, ok bool) {
	c := cd.Constraints[i].GetConstraint()
	if c == nil || c.Location < 0 {
		return 0, 0, false
	}
	start = s.Stmt.Pos(c.Location)
	ti := s.TokenAt(start)
	if ti < 0 || int(s.Stmt.Tokens[ti].Start) != start {
		return 0, 0, false
	}
	if i+1 < len(cd.Constraints) {
		next := cd.Constraints[i+1].GetConstraint()
		ni := s.TokenAt(s.Stmt.Pos(next.GetLocation()))
		if next == nil || next.Location < 0 || ni <= ti {
			return 0, 0, false
		}
		return start, int(s.Stmt.Tokens[ni-1].End), true
	}
	return start, s.ClauseEnd(ti), true
}

// zeroValue is the constant an empty value of a type is written as, for the types that
// have an obvious one.
func zeroValue(tn *pg.TypeName) (string, bool) {
	if tn == nil || len(tn.ArrayBounds) > 0 {
		return "", false
	}
	var names []string
	for _, n := range tn.Names {
		names = append(names, n.GetString_().GetSval())
	}
	switch strings.ToLower(names[len(names)-1]) {
	case "text", "varchar", "bpchar", "citext":
		return "''", true
	case "int2", "int4", "int8", "numeric", "float4", "float8", "smallint", "integer", "bigint", "real":
		return "0", true
	case "bool", "boolean":
		return "false", true
	case "json", "jsonb":
		return "'{}'", true
	}
	return "", false
}

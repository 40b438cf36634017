package engine

import (
	"reflect"

	"github.com/migsafe/migsafe/codeactions"
	"github.com/migsafe/migsafe/engine/locks"
	"github.com/migsafe/migsafe/engine/migration"
	"github.com/migsafe/migsafe/engine/project"
	"github.com/migsafe/migsafe/engine/rules"
)

// reuseMoved finishes res, the analysis of an edited version of a document whose
// problems outside the rules are recorded already, from opts.Previous, when the edit
// only moved statements: every statement has the text, section and transaction it
// had (the edit was to white space or comments between them, or moved a statement's
// start). A rule's finding on a statement depends on that statement, the statements
// around it and the catalog and file state they leave, all unchanged but for where
// they are: the findings are the previous ones moved with their statements, and their
// fixes are built on the moved statements. Nil when the edit did more, or the inputs
// differ otherwise (configuration, workspace, history): the rules run again.
//
// What is not reused: the file-level rules run again (a sibling down file may have
// appeared), and suppression comments, syntax and other problems are judged on the
// new text. A file with a down (section, sibling file, or ORM irreversible
// operations) resumes after the last mark before the first moved statement instead
// (resume): irreversible-down-migration reports at the offsets the catalog records for
// the objects the up created, and a catalog kept from before the move has the old ones.
func reuseMoved(res *Result, opts Options) *Result {
	prev, f := opts.Previous, res.File
	if prev == nil || prev.File == nil || !sameJudgement(prev, res, opts) || !noDown(prev.File, f) {
		return nil
	}
	if !movedStatements(prev, f) {
		return nil
	}
	moved := func(old *migration.Statement) *migration.Statement { return counterpart(prev.File, f, old) }

	res.Statements = make([]StatementResult, len(f.Statements))
	analyses := make([]locks.Analysis, len(f.Statements))
	bodyAnalyses := map[*migration.Statement]locks.Analysis{}
	all := make([]*Finding, 0, len(prev.all))
	keep(res, prev, 0, len(f.Statements), analyses, bodyAnalyses, &all)

	res.After = prev.After
	if prev.Steps != nil {
		// Only the catalogs (and marks) after statements before the first that moved:
		// the catalog records where each object was created (project.Origin), and an
		// analysis starting from a kept catalog would report at the old offsets.
		still := 0
		for still < len(f.Statements) && f.Statements[still].Start == prev.File.Statements[still].Start {
			still++
		}
		res.Steps, res.marks = map[*migration.Statement]*project.Catalog{}, map[int]*rules.Mark{}
		for old, c := range prev.Steps {
			if old.Parent == nil && old.Index < still {
				res.Steps[moved(old)] = c
			}
		}
		for i, m := range prev.marks {
			if i < still {
				res.marks[i] = m.Moved(moved, false)
			}
		}
	}
	state := rules.NewState(f.Path, opts.History)
	state.Catalog = prev.After
	checkFile(res, enabledRules(res.Config), state, analyses, bodyAnalyses, opts.Code, func(r *rules.Rule, d rules.Diagnostic) {
		all = append(all, res.newFinding(nil, nil, r, d, codeactions.Site{}))
	})
	res.linesCited, res.lookedAhead, res.kept = prev.linesCited || state.LinesCited, prev.lookedAhead, len(f.Statements)
	res.finish(all, opts.Code)
	return res
}

// sameJudgement reports whether the previous analysis judged its file with what res
// is judged with: the same configuration, workspace and place in the migration set,
// and the same down (a rule on an up statement may read it). An internal error in
// the previous analysis (a rule that panicked) is not kept either.
func sameJudgement(prev, res *Result, opts Options) bool {
	a, b := prev.File, res.File
	if a.Path != b.Path || a.Runner != b.Runner || a.Detected != b.Detected || a.Mixed != b.Mixed ||
		len(a.Down.Irreversible)+len(b.Down.Irreversible) > 0 || a.Down.Opaque || b.Down.Opaque ||
		a.Down.Where != b.Down.Where || a.Down.Path != b.Down.Path || a.Down.Checked != b.Down.Checked ||
		a.Down.Found != b.Down.Found || a.Down.Text != b.Down.Text || a.Down.Where == "section" && a.Down.Found {
		return false
	}
	if prev.code != opts.Code || !sameHistory(prev.History, opts.History) || !reflect.DeepEqual(prev.Config, res.Config) {
		return false
	}
	// Fixes built for the previous snapshot (a code action) add their problems under mu.
	prev.mu.Lock()
	defer prev.mu.Unlock()
	for _, p := range prev.Problems {
		if p.Kind == InternalError {
			return false
		}
	}
	return true
}

// sameHistory reports two places in a migration set with the same catalog before
// them and the same migrations pending (the set itself is dropped from kept results;
// the language server lists it again, and so makes its Pending again, when the
// directory may have changed).
func sameHistory(a, b *project.History) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Before == b.Before && a.Index == b.Index && (a.Pending == b.Pending || reflect.DeepEqual(a.Pending, b.Pending))
}

// movedStatements reports whether f's statements are those of the previous
// analysis's file (those of DO bodies included) in the same order, only moved: the
// same text, section, transaction, up section only, none made by an ORM front end,
// every finding inside its statement, and, when a kept message cites a line, every
// statement on the line it was on.
func movedStatements(prev *Result, f *migration.File) bool {
	old := prev.File
	if len(old.Statements) != len(f.Statements) || len(prev.Statements) != len(f.Statements) {
		return false
	}
	for i, b := range f.Statements {
		if !alike(prev, f, old.Statements[i], b) {
			return false
		}
	}
	for _, fd := range prev.all {
		if fd.Stmt == nil {
			continue
		}
		if t := top(fd.Stmt); fd.Start < t.Start || fd.End > t.End || counterpart(old, f, fd.Stmt) == nil {
			return false
		}
	}
	return true
}

// counterpart is the statement of f at the place st has in old, f's statements being
// old's, moved (movedStatements); nil when st is not one of old's.
func counterpart(old, f *migration.File, st *migration.Statement) *migration.Statement {
	t := top(st)
	if t.Index >= len(old.Statements) || old.Statements[t.Index] != t {
		return nil
	}
	if st.Parent == nil {
		return f.Statements[t.Index]
	}
	for j, in := range t.Body.Statements {
		if in == st {
			return f.Statements[t.Index].Body.Statements[j]
		}
	}
	return nil
}

// top is the top-level statement st is, or is in the DO body of.
func top(st *migration.Statement) *migration.Statement {
	if st.Parent != nil {
		return st.Parent
	}
	return st
}

// noDown reports two versions of a file without a down to check: irreversible-down-
// migration reports at the offsets the catalog records for what the up created, and a
// catalog kept from before statements moved records the old ones.
func noDown(a, b *migration.File) bool {
	return !a.Down.Found && !b.Down.Found && len(a.Down.Statements)+len(b.Down.Statements) == 0
}

// resume starts the analysis of an edited version after the statements the edit left
// as they were, from opts.Previous: the findings, analyses and problems of the
// statements up to the last one the previous analysis marked before the first changed
// statement (and before any statement whose check read the statements after it) are
// kept, and state is put where that mark left it. It returns the index of the first
// statement to check (0 when nothing is kept), appending the kept findings to all.
func resume(res *Result, opts Options, state *rules.State, analyses []locks.Analysis, bodyAnalyses map[*migration.Statement]locks.Analysis, all *[]*Finding) int {
	prev, f := opts.Previous, res.File
	if prev == nil || prev.File == nil || prev.marks == nil || state.Marks == nil || !sameJudgement(prev, res, opts) {
		return 0
	}
	old := prev.File
	first := 0 // the first changed statement
	for first < len(f.Statements) && first < len(old.Statements) && first < len(prev.Statements) && unchanged(old.Statements[first], f.Statements[first]) {
		first++
	}
	k := -1
	for i := range prev.marks {
		if i > k && i < first && (prev.lookedAhead == 0 || i < prev.lookedAhead-1) {
			k = i
		}
	}
	if k < 0 {
		return 0
	}
	moved := func(st *migration.Statement) *migration.Statement { return counterpart(old, f, st) }
	keep(res, prev, 0, k+1, analyses, bodyAnalyses, all)
	for was, c := range prev.Steps {
		if was.Parent == nil && was.Index <= k {
			state.Steps[moved(was)] = c
		}
	}
	for i, m := range prev.marks {
		if i <= k {
			state.Marks[i] = m.Moved(moved, false)
		}
	}
	state.Resume(state.Marks[k])
	return k + 1
}

// keep gives statements from to n-1 of res.File what they had in prev, the analysis
// of a version whose statements there are these, at most moved: their analyses
// (into analyses and bodyAnalyses too, as the rules' passes read them), syntax
// problems, and findings, appended to all with their fixes built on the statements
// where they are now. File-level findings are not kept: checkFile makes them again.
func keep(res, prev *Result, from, n int, analyses []locks.Analysis, bodyAnalyses map[*migration.Statement]locks.Analysis, all *[]*Finding) {
	f := res.File
	moved := func(st *migration.Statement) *migration.Statement { return counterpart(prev.File, f, st) }
	for i := from; i < n; i++ {
		st, was := f.Statements[i], prev.Statements[i]
		res.Statements[i] = StatementResult{Stmt: st, Locks: was.Locks}
		analyses[i] = was.Locks
		if st.Err != nil {
			res.Problems = append(res.Problems, syntaxProblem(st.Err, res.Config.PGVersion))
			continue
		}
		for _, b := range was.Body {
			in := moved(b.Stmt)
			if in.Err != nil {
				res.Problems = append(res.Problems, syntaxProblem(in.Err, res.Config.PGVersion))
			} else {
				bodyAnalyses[in] = b.Locks
			}
			res.Statements[i].Body = append(res.Statements[i].Body, StatementResult{Stmt: in, Locks: b.Locks})
		}
	}
	kept := 0
	for _, fd := range prev.all {
		if fd.Stmt != nil && top(fd.Stmt).Index >= from && top(fd.Stmt).Index < n {
			kept++
		}
	}
	// One array for the kept findings and one method value: 30,900 findings of a
	// 5 MB document allocated one by one were a third of keeping them.
	slab, note := make([]Finding, 0, kept), res.noteProblem
	for _, fd := range prev.all {
		if fd.Stmt == nil || top(fd.Stmt).Index < from || top(fd.Stmt).Index >= n {
			continue
		}
		st := moved(fd.Stmt)
		d := st.Start - fd.Stmt.Start
		// Field by field, not a copy of *fd: the previous snapshot's fixes may be
		// being built (under their own lock) while this analysis runs; build and site
		// are set once, when the finding is made.
		slab = append(slab, Finding{Rule: fd.Rule, Status: fd.Status, Message: fd.Message, Help: fd.Help,
			Start: fd.Start + d, End: fd.End + d, Stmt: st, Lock: fd.Lock, Rewrite: fd.Rewrite, Scan: fd.Scan,
			Uses: fd.Uses, Deploy: fd.Deploy,
			fixes: newFixes(fd.fixes.build, codeactions.Site{File: f, Stmt: st, Config: res.Config, Locks: fd.fixes.site.Locks}, note)})
		*all = append(*all, &slab[len(slab)-1])
	}
}

// unchanged reports a statement of the edited version that is the previous one, at
// the same place: text, offsets, section, transaction, DO body.
func unchanged(a, b *migration.Statement) bool {
	if a.Text != b.Text || a.Start != b.Start || a.Section != b.Section || a.Tx != b.Tx || a.Deferred != b.Deferred ||
		(a.Err == nil) != (b.Err == nil) || a.Origin != nil || b.Origin != nil || (a.Body == nil) != (b.Body == nil) {
		return false
	}
	if a.Body == nil {
		return true
	}
	if len(a.Body.Statements) != len(b.Body.Statements) {
		return false
	}
	for j, ia := range a.Body.Statements {
		if ib := b.Body.Statements[j]; ia.Text != ib.Text || ia.Start != ib.Start || (ia.Err == nil) != (ib.Err == nil) {
			return false
		}
	}
	return true
}

// convergence lets an analysis that resumed before an edit stop re-checking once the
// edit's effects have died out: at a later mark where the rules' state and catalog
// are the previous analysis's at the same statement (but for the offsets the catalog
// records, which moved with the text), every statement after it is judged on what it
// was judged on before, and keeps its findings, analyses, catalogs and marks, moved.
// What a statement's check reads besides its own text and that state: the analyses
// and text of the earlier statements of its transaction (none changed: converge
// requires a transaction of its own), the later statements (the same text), and
// other statements' lines (the same lines when a kept message cites one).
type convergence struct {
	prev *Result
	// last is the last statement the edit changed; after is the first statement
	// from which the previous findings all lie inside their statements.
	last, after int
	// txs are the transactions of the statements checked again.
	txs map[int]bool
	// differs is where the catalogs differed at the last mark compared.
	differs project.Witness
}

// converging is the convergence of res from opts.Previous, or nil when the rest of
// the previous analysis cannot be kept: another judgement, a down (whose rule reads
// the offsets the catalog records), another number of statements, no marks kept.
func converging(res *Result, opts Options, state *rules.State) *convergence {
	prev, f := opts.Previous, res.File
	if prev == nil || prev.File == nil || prev.marks == nil || prev.final == nil || state.Marks == nil ||
		len(prev.File.Statements) != len(f.Statements) || len(prev.Statements) != len(f.Statements) ||
		!noDown(prev.File, f) || !sameJudgement(prev, res, opts) {
		return nil
	}
	old := prev.File
	last := len(f.Statements) - 1
	for last >= 0 && alike(prev, f, old.Statements[last], f.Statements[last]) {
		last--
	}
	after := 0
	for _, fd := range prev.all {
		if fd.Stmt == nil || top(fd.Stmt).Index <= last {
			continue // file-level (made again), or on a statement checked again
		}
		if t := top(fd.Stmt); (fd.Start < t.Start || fd.End > t.End || counterpart(old, f, fd.Stmt) == nil) && t.Index >= after {
			after = t.Index + 1
		}
	}
	return &convergence{prev: prev, last: last, after: after, txs: map[int]bool{}}
}

// alike reports a statement of the edited version that is the previous one, at most
// moved (see movedStatements), its DO body too.
func alike(prev *Result, f *migration.File, a, b *migration.Statement) bool {
	same := func(a, b *migration.Statement) bool {
		return a.Text == b.Text && a.Section == migration.Up && b.Section == migration.Up && a.Tx == b.Tx &&
			a.Deferred == b.Deferred && (a.Err == nil) == (b.Err == nil) && a.Origin == nil && b.Origin == nil &&
			(!prev.linesCited || prev.File.Source.Position(a.Start, migration.UTF8).Line == f.Source.Position(b.Start, migration.UTF8).Line)
	}
	if !same(a, b) || (a.Body == nil) != (b.Body == nil) {
		return false
	}
	if a.Body == nil {
		return true
	}
	if len(a.Body.Statements) != len(b.Body.Statements) {
		return false
	}
	for j, ib := range b.Body.Statements {
		if ia := a.Body.Statements[j]; !same(ia, ib) || ib.Start-ia.Start != b.Start-a.Start {
			return false
		}
	}
	return true
}

// checked records that st (top level) was checked again.
func (c *convergence) checked(st *migration.Statement) {
	if st.Tx.In() {
		c.txs[st.Tx.ID] = true
	}
}

// at, after statement j was checked again, keeps the rest of the previous analysis
// when the analysis has converged there, and reports whether it did: the findings of
// the statements after j are appended to all, and state is where the previous
// analysis left it at the end of the file.
func (c *convergence) at(j int, res *Result, state *rules.State, analyses []locks.Analysis, bodyAnalyses map[*migration.Statement]locks.Analysis, all *[]*Finding) bool {
	prev, f := c.prev, res.File
	old := prev.File
	if j <= c.last || j < c.after || j+1 >= len(f.Statements) || state.Marks[j] == nil || prev.marks[j] == nil {
		return false
	}
	if next := f.Statements[j+1]; next.Tx.In() && c.txs[next.Tx.ID] {
		return false
	}
	moved := func(st *migration.Statement) *migration.Statement { return counterpart(old, f, st) }
	if !state.Marks[j].Converged(prev.marks[j], func(now, was *migration.Statement) bool { return moved(was) == now }, &c.differs) {
		return false
	}
	shifted := false
	for i := j + 1; i < len(f.Statements) && !shifted; i++ {
		shifted = f.Statements[i].Start != old.Statements[i].Start
	}
	keep(res, prev, j+1, len(f.Statements), analyses, bodyAnalyses, all)
	for was, cat := range prev.Steps {
		if was.Parent == nil && was.Index > j {
			if shifted {
				cat = cat.WithMovedOrigins()
			}
			state.Steps[moved(was)] = cat
		}
	}
	for i, m := range prev.marks {
		if i > j {
			state.Marks[i] = m.Moved(moved, shifted)
		}
	}
	state.Resume(prev.final.Moved(moved, shifted))
	res.converged = j + 1
	return true
}

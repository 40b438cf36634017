// Package runbook turns the analysis of a migration into the artefacts a reviewer asks
// for before it ships: the impact, each step's lock and duration, a pre-flight
// checklist, backups of what it destroys, the statements to run in order (with the
// phases and follow-up migrations of its fixes), verification queries for after the
// up and after the down migration, what to monitor and when to abort, the rollback,
// and the contract steps that come after.
package runbook

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

	pg "github.com/pganalyze/pg_query_go/v5"

	"github.com/migsafe/migsafe/codeactions"
	"github.com/migsafe/migsafe/engine"
	"github.com/migsafe/migsafe/engine/coderefs"
	"github.com/migsafe/migsafe/engine/estimate"
	"github.com/migsafe/migsafe/engine/locks"
	"github.com/migsafe/migsafe/engine/migration"
	"github.com/migsafe/migsafe/engine/project"
	"github.com/migsafe/migsafe/engine/rules"
	"github.com/migsafe/migsafe/engine/sqlast"
)

// LockHeldLimit is how long a lock that blocks traffic may be held before the
// migration should be aborted: the monitoring threshold of the review process.
const LockHeldLimit = 30 * time.Second

// Options adjust Build.
type Options struct {
	// Now dates backup names; the zero value means time.Now.
	Now time.Time
	// Code is the workspace whose uses of the tables the impact lists; nil skips it.
	Code *coderefs.Workspace
	// FS reads the files beside the migration for the fixes' plan; nil reads the disk.
	FS codeactions.FS
}

// Runbook is the deployment runbook of one migration file.
type Runbook struct {
	Path      string `json:"path"`
	Runner    string `json:"runner"`
	PGVersion int    `json:"pgVersion"`
	Verdict   string `json:"verdict"`
	// Blocking lists the BLOCK findings, which the phases below resolve where a fix can.
	Blocking []string `json:"blocking"`
	Deploy   Deploy   `json:"deploy"`
	// Duration is the sum of the steps' estimates, when every size is known.
	Duration     string       `json:"estimatedDuration"`
	Impact       []Table      `json:"impact"`
	Steps        []Step       `json:"steps"`
	PreFlight    []string     `json:"preFlight"`
	Backups      []Backup     `json:"backups"`
	Phases       []Phase      `json:"phases"`
	Verification Verification `json:"verification"`
	Monitoring   []Monitor    `json:"monitoring"`
	Rollback     Rollback     `json:"rollback"`
	Post         []string     `json:"postMigration"`
	res          *engine.Result
	estimates    []estimate.Range
	costs        []cost // of each step
}

// Deploy is when the migration runs relative to the application deploy.
type Deploy struct {
	Order    string `json:"order"`
	Sentence string `json:"sentence"`
}

// Table is one table the migration touches.
type Table struct {
	Name string `json:"name"`
	// Size is "~50M rows", "unknown (treated as large)", or for a table that holds no
	// deployed data why: "created by this migration", "created by 0003_x.up.sql
	// (pending: not deployed yet)".
	Size string `json:"size"`
	// CreatedBy is the migration that created the table, when the history shows it.
	CreatedBy string `json:"createdBy,omitempty"`
	// New is set for a table that holds no deployed data: it needs no backup.
	New bool `json:"new,omitempty"`
	// Uses are the places in the code that use the table (SQL and models), when the
	// workspace's code was scanned.
	Uses  []coderefs.Use `json:"uses,omitempty"`
	Files int            `json:"codeFilesScanned,omitempty"`
}

// Step is one statement of the up section.
type Step struct {
	Line int    `json:"line"`
	SQL  string `json:"sql"`
	// Tx says whether the statement runs inside a transaction, and whose.
	Tx      string `json:"transaction"`
	Locks   []Lock `json:"locks"`
	Rewrite bool   `json:"rewrite"`
	Scan    bool   `json:"scan"`
	// Work is the per-row work the step does, as the lock knowledge base states it:
	// "index build of users (~500k rows)"; "" for a catalog change only.
	Work     string   `json:"work,omitempty"`
	Estimate string   `json:"estimate"`
	Deploy   string   `json:"deploy"`
	Findings []string `json:"findings"`
}

// Lock is a lock a step takes and what it blocks.
type Lock struct {
	Mode     string `json:"mode"`
	Relation string `json:"relation"`
	Blocks   string `json:"blocks"`
}

// Phase is one migration file of the safe plan the fixes write (migsafe fix --split).
type Phase struct {
	Title string `json:"title"`
	Path  string `json:"path"`
	SQL   string `json:"sql"`
	// DownPath and DownSQL are the phase's own down migration, when it has one.
	DownPath string `json:"downPath,omitempty"`
	DownSQL  string `json:"downSql,omitempty"`
}

// Monitor is what to watch while the migration runs.
type Monitor struct {
	What      string `json:"what"`
	Threshold string `json:"threshold"`
	SQL       string `json:"sql"`
}

// Rollback is how to undo the migration.
type Rollback struct {
	// Down is where the down migration is ("" when there is none).
	Down       string   `json:"down"`
	Statements []string `json:"statements"`
	// Loses is the data a rollback does not bring back.
	Loses []string `json:"loses"`
	// Fails are the down's statements that fail on a table holding rows.
	Fails   []string `json:"fails,omitempty"`
	Restore []string `json:"restore"`
}

// Build makes the runbook of an analysed migration. Fixes should be attached to the
// findings (their phases become the safe plan). What the statements do not say (a
// dropped column's type, a table's primary key, whether a table is new) comes from the
// schema catalog of the result's History; without one the runbook checks only what
// the statements state.
func Build(res *engine.Result, opts Options) *Runbook {
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	f := res.File
	rb := &Runbook{Path: f.Path, Runner: string(f.Runner), PGVersion: res.Config.PGVersion, Verdict: string(res.Verdict), res: res}
	plan := res.Deploy()
	rb.Deploy = Deploy{Order: plan.Order().String(), Sentence: deploySentence(res, plan)}
	for _, fd := range res.Findings {
		if fd.Status == rules.Block {
			rb.Blocking = append(rb.Blocking, fmt.Sprintf("line %d: %s: %s", rb.line(fd.Start), fd.Rule.ID, fd.Message))
		}
	}
	w := walk(res)
	var steps []*stmt
	for i := range w.stmts {
		s := &w.stmts[i]
		if txControl(s.node) {
			continue
		}
		steps = append(steps, s)
		rb.Steps = append(rb.Steps, rb.step(s))
	}
	rb.Duration = total(rb.estimates, len(rb.Steps))
	rb.Impact = impact(res, steps, opts.Code)
	var notNeeded []string
	rb.Backups, notNeeded = backups(res, steps, opts.Now)
	rb.Phases = phases(res, opts.FS)
	rb.Verification = verification(steps, w.after, f.Down.Found && len(f.Down.Statements) > 0)
	for _, b := range rb.Backups {
		if b.Check != nil {
			rb.Verification.Before = append(rb.Verification.Before, *b.Check)
		}
	}
	rb.PreFlight = rb.preFlight(plan, steps, w.lockTimeout, notNeeded)
	rb.Monitoring = monitoring(res, steps)
	rb.Rollback = rollback(res, steps, rb.Backups)
	rb.Post = post(res, steps, rb.Backups)
	return rb
}

func (rb *Runbook) line(off int) int {
	return rb.res.File.Source.Position(off, migration.CodePoints).Line + 1
}

func (rb *Runbook) step(s *stmt) Step {
	sr, st := s.sr, s.st
	out := Step{Line: rb.line(st.Start), SQL: strings.TrimSpace(st.Text), Tx: st.Tx.Describe(rb.res.File.Runner),
		Rewrite: sr.Locks.Rewrite, Scan: sr.Locks.Scan, Deploy: engine.DeployOf(sr.Locks).String()}
	for _, l := range sr.Locks.Locks {
		rel := l.Relation
		if rel == "" {
			rel = s.tableOfIndex(sr.Locks.Locks)
		}
		if l.Role != "table" && l.Role != "" {
			rel = l.Role + " " + rel
		}
		out.Locks = append(out.Locks, Lock{Mode: l.Mode.String(), Relation: rel, Blocks: l.Mode.Blocks().Describe()})
	}
	c := costOf(rb.res, s)
	rb.costs = append(rb.costs, c)
	out.Work = c.describe()
	switch {
	case c.work == estimate.None:
		out.Estimate = "instant (catalog change only)"
		rb.estimates = append(rb.estimates, estimate.Range{})
	case c.known:
		out.Estimate = c.est.String()
		rb.estimates = append(rb.estimates, c.est)
	default:
		out.Estimate = "unknown: the table's size is not configured ([tables] or migsafe stats)"
	}
	for _, fd := range sr.Findings {
		out.Findings = append(out.Findings, fmt.Sprintf("%s %s: %s", fd.Status, fd.Rule.ID, fd.Message))
	}
	return out
}

// cost is the heaviest per-row work a statement does: the work the lock knowledge base
// states for each of its parts (locks.Facts.Work), over the rows of the relation it
// goes over.
type cost struct {
	work  estimate.Work
	table string
	// rows is the table's known size; fresh says why it holds no deployed data.
	rows  int64
	fresh string
	est   estimate.Range
	// known is false when a part's work goes over a table of unknown size.
	known bool
}

func costOf(res *engine.Result, s *stmt) cost {
	c := cost{known: true}
	for _, p := range s.sr.Locks.Parts {
		w := p.Facts.Work
		if w == estimate.None {
			continue
		}
		t := p.WorkTable()
		pc := cost{work: w, table: t, known: true}
		switch n, ok := res.Config.Rows(t); {
		case s.isFresh(t):
			pc.fresh = s.fresh[lower(t)]
		case ok:
			pc.rows, pc.est = n, estimate.For(w, n)
		default:
			pc.known = false
		}
		if c.work == estimate.None || !pc.known && c.known || pc.known == c.known && pc.est.Max > c.est.Max {
			c = pc
		}
		if !pc.known {
			c.known = false
		}
	}
	return c
}

// describe says what the work is and what it goes over: "index build of users
// (~500k rows)"; "" when the statement does none.
func (c cost) describe() string {
	switch {
	case c.work == estimate.None:
		return ""
	case c.fresh != "":
		return fmt.Sprintf("%s of %s, which is new (%s)", c.work, c.table, c.fresh)
	case c.known:
		return fmt.Sprintf("%s of %s (~%s rows)", c.work, c.table, estimate.Rows(c.rows))
	}
	return fmt.Sprintf("%s of %s (size unknown)", c.work, c.table)
}

func total(es []estimate.Range, steps int) string {
	if len(es) < steps {
		return "unknown: some table sizes are not configured"
	}
	var sum estimate.Range
	for _, e := range es {
		sum.Min += e.Min
		sum.Max += e.Max
	}
	return sum.String()
}

func deploySentence(res *engine.Result, plan engine.DeployPlan) string {
	lines := func(srs []*engine.StatementResult) string {
		var ls []string
		for _, l := range res.Lines(srs) {
			ls = append(ls, fmt.Sprint(l))
		}
		return strings.Join(ls, ", ")
	}
	switch {
	case len(plan.NoSafeOrder) > 0:
		return fmt.Sprintf("line %s: %s", lines(plan.NoSafeOrder), locks.NoSafeOrder.Describe())
	case plan.Mixed():
		return fmt.Sprintf("split the migration: line %s must run before the code deploy, line %s after it", lines(plan.Before), lines(plan.After))
	}
	return plan.Order().Describe()
}

// impact lists the tables the statements touch, with their sizes, where the catalog
// says they come from, and the code that uses them.
func impact(res *engine.Result, steps []*stmt, code *coderefs.Workspace) []Table {
	var out []Table
	seen := map[string]bool{}
	for _, s := range steps {
		for _, p := range s.sr.Locks.Parts {
			t := p.Table
			if t == "" || seen[lower(t)] {
				continue
			}
			seen[lower(t)] = true
			tb := Table{Name: t}
			if rel, ok := s.table(t); ok && rel.Origin.Path != "" && rel.Origin.Path != res.File.Path {
				tb.CreatedBy = rel.Origin.Path
			}
			why, fresh := s.fresh[lower(t)]
			if !fresh && creates(s, t) {
				// The statement that creates the table: it is new from the next one on.
				why, fresh = createdHere, true
			}
			switch n, ok := res.Config.Rows(t); {
			case fresh:
				tb.Size, tb.New = why, true
			case ok:
				tb.Size = "~" + estimate.Rows(n) + " rows"
			case res.Config.AssumeLarge:
				tb.Size = "unknown (treated as large)"
			default:
				tb.Size = "unknown"
			}
			// A table this migration creates has no code using it yet that could break.
			if code != nil && why != createdHere {
				rep := code.Uses(coderefs.Object{Table: t})
				if rep.Err == nil {
					tb.Uses, tb.Files = rep.Head.Certain(), rep.Head.Files
				}
			}
			out = append(out, tb)
		}
	}
	return out
}

// creates reports a CREATE TABLE (or CREATE TABLE AS) statement that creates table.
func creates(s *stmt, table string) bool {
	var rv *pg.RangeVar
	switch {
	case s.node.GetCreateStmt() != nil:
		rv = s.node.GetCreateStmt().Relation
	case s.node.GetCreateTableAsStmt() != nil && s.node.GetCreateTableAsStmt().Into != nil:
		rv = s.node.GetCreateTableAsStmt().Into.Rel
	}
	return rv != nil && lower(sqlast.RangeVarName(rv)) == lower(table)
}

func (rb *Runbook) preFlight(plan engine.DeployPlan, steps []*stmt, lockTimeout bool, notNeeded []string) []string {
	res := rb.res
	var out []string
	if len(rb.Blocking) > 0 {
		msg := fmt.Sprintf("Resolve the %d BLOCK finding(s) first", len(rb.Blocking))
		if len(rb.Phases) > 0 {
			msg += ": `migsafe fix --split` writes the phased plan below"
		}
		out = append(out, msg+".")
	}
	for _, b := range rb.Backups {
		out = append(out, fmt.Sprintf("Back up %s (%s) and verify the backup: %s", b.Table, b.Reason, b.Target))
	}
	out = append(out, notNeeded...)
	if len(rb.Verification.Before) > 0 {
		out = append(out, "Run the \"before\" verification queries (they record row counts the later checks compare with).")
	}
	if lockTimeout {
		out = append(out, "lock_timeout: the migration sets one; keep it, and retry on timeout rather than raising it.")
	} else {
		out = append(out, fmt.Sprintf("lock_timeout: run with `SET lock_timeout = '%s';` (the migration sets none) so a lock queued behind a long query fails fast instead of blocking traffic.", res.Config.LockTimeout))
	}
	if w := rb.offPeak(steps); w != "" {
		out = append(out, w)
	}
	if plan.Order() != locks.AnyOrder {
		out = append(out, "Deploy order: "+rb.Deploy.Sentence+".")
	}
	for _, t := range rb.Impact {
		if len(t.Uses) > 0 {
			out = append(out, fmt.Sprintf("Code using %s (%d places): make sure every deployed release works with the change.", t.Name, len(t.Uses)))
		}
	}
	return out
}

// offPeak asks for an off-peak window when a step holds a lock that blocks traffic
// longer than LockHeldLimit, or replicas would lag more than replication_lag_seconds.
func (rb *Runbook) offPeak(steps []*stmt) string {
	res := rb.res
	lag := time.Duration(res.Config.ReplicationLagSeconds * float64(time.Second))
	var why []string
	// A transaction keeps its locks until it ends: a long step holds what the steps
	// before it in the same transaction took.
	heldInTx := map[int]bool{}
	for i, s := range steps {
		st := s.st
		blocking := st.Tx.In() && heldInTx[st.Tx.ID]
		for _, l := range s.sr.Locks.Locks {
			blocking = blocking || l.Mode.Blocking()
		}
		if blocking && st.Tx.In() {
			heldInTx[st.Tx.ID] = true
		}
		c := rb.costs[i]
		if c.work == estimate.None || !c.known {
			continue
		}
		if (blocking && c.est.Max > LockHeldLimit) || (c.work.WritesWAL() && c.est.Max > lag) {
			why = append(why, fmt.Sprintf("line %d (%s)", rb.line(st.Start), c.est))
		}
	}
	if len(why) == 0 {
		return ""
	}
	return fmt.Sprintf("Schedule an off-peak window: %s may hold locks over %s or make replicas lag over %gs.", strings.Join(why, ", "), LockHeldLimit, res.Config.ReplicationLagSeconds)
}

// phases is the safe plan of the fixes, as `migsafe fix --split` composes them: this
// file as fixed, then the migrations they add, in order, each with its down, and the
// contract phases that wait in .migsafe/pending for the deploy.
func phases(res *engine.Result, fsys codeactions.FS) []Phase {
	fixed, err := engine.FixFile(res.File.Path, res.File.Source.Text, res.Config, engine.FixOptions{Split: true, FS: fsys, History: res.History})
	if err != nil || fixed.Plan.Empty() {
		return nil
	}
	var titles []string
	for _, fd := range fixed.Before.Findings {
		if !skipped(fixed, fd) {
			if fx := codeactions.Preferred(fd.FixTitles()); fx != nil && !slices.Contains(titles, fx.Title) {
				titles = append(titles, fx.Title)
			}
		}
	}
	first := Phase{Title: "this migration, fixed: " + strings.Join(titles, "; "), Path: res.File.Path, SQL: fixed.After.File.Source.Text}
	if res.File.Down.Where == "file" {
		for _, c := range fixed.Plan.Changes {
			if !c.Create && filepath.Clean(c.Path) == filepath.Clean(res.File.Down.Path) {
				first.DownPath, first.DownSQL = c.Path, c.New
			}
		}
	}
	out := []Phase{first}
	for _, c := range fixed.Plan.Changes {
		if !c.Create {
			continue
		}
		if last := &out[len(out)-1]; migration.DownOnly(c.Path) && last.DownPath == "" && len(out) > 1 {
			last.DownPath, last.DownSQL = c.Path, c.New
			continue
		}
		title := "follow-up migration"
		if codeactions.IsPending(c.New) {
			title = "contract phase: pending until the code it waits for has shipped, then migsafe fix --promote"
		} else if !strings.HasSuffix(c.Path, ".sql") {
			continue // a runner's setting beside a migration (Flyway .conf, Diesel metadata.toml)
		}
		out = append(out, Phase{Title: title, Path: c.Path, SQL: c.New})
	}
	return out
}

// skipped reports a finding whose fix the plan left out.
func skipped(f *engine.Fixed, fd *engine.Finding) bool {
	for _, s := range f.Skipped {
		if s.Finding == fd {
			return true
		}
	}
	return false
}

func monitoring(res *engine.Result, steps []*stmt) []Monitor {
	var tables []string
	seen := map[string]bool{}
	for i := range res.Statements {
		for _, l := range res.Statements[i].Locks.Locks {
			if res.Statements[i].Stmt.Section == migration.Up && l.Role != "index" && l.Relation != "" && !seen[lower(l.Relation)] {
				seen[lower(l.Relation)] = true
				tables = append(tables, literal(relText(l.Relation)))
			}
		}
	}
	rels := "ARRAY[" + strings.Join(tables, ", ") + "]::regclass[]"
	if len(tables) == 0 {
		rels = "ARRAY[]::regclass[]"
	}
	limit := fmt.Sprintf("%d seconds", int(LockHeldLimit.Seconds()))
	out := []Monitor{
		{What: "sessions waiting for a lock behind the migration", Threshold: "any wait longer than lock_timeout (" + res.Config.LockTimeout + "): the migration is queued behind a long query; cancel it and retry",
			SQL: "SELECT pid, wait_event_type, now() - query_start AS waiting, pg_blocking_pids(pid) AS blocked_by, left(query, 80) AS query FROM pg_stat_activity WHERE wait_event_type = 'Lock' ORDER BY query_start"},
		{What: "locks the migration holds on its tables", Threshold: "held over " + LockHeldLimit.String() + " while traffic waits: abort with pg_cancel_backend(pid) and reschedule",
			SQL: fmt.Sprintf("SELECT l.pid, l.relation::regclass AS relation, l.mode, now() - a.xact_start AS held FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.granted AND l.relation = ANY (%s) AND now() - a.xact_start > interval '%s'", rels, limit)},
		{What: "replication lag", Threshold: fmt.Sprintf("replay_lag over %g s (replication_lag_seconds): pause batches until replicas catch up", res.Config.ReplicationLagSeconds),
			SQL: fmt.Sprintf("SELECT application_name, client_addr, replay_lag FROM pg_stat_replication WHERE replay_lag > interval '%g seconds'", res.Config.ReplicationLagSeconds)},
	}
	for _, s := range steps {
		if is := s.node.GetIndexStmt(); is != nil {
			out = append(out, Monitor{What: "index build progress", Threshold: "phase and blocks_done / blocks_total; an index left INVALID after a failed CONCURRENTLY build must be dropped and built again",
				SQL: "SELECT pid, relid::regclass, index_relid::regclass, phase, blocks_done, blocks_total FROM pg_stat_progress_create_index"})
			break
		}
	}
	return out
}

func rollback(res *engine.Result, steps []*stmt, bs []Backup) Rollback {
	f := res.File
	var r Rollback
	if f.Down.Found {
		r.Down = f.Down.Path
		if f.Down.Where == "section" {
			r.Down = "the down section of " + f.Path
		}
		for _, st := range f.Down.Statements {
			r.Statements = append(r.Statements, strings.TrimSpace(st.Text))
		}
	}
	for _, s := range steps {
		n := s.node
		switch {
		case n.GetCreateStmt() != nil:
			r.Loses = append(r.Loses, fmt.Sprintf("every row written to %s since the migration (the down drops the table)", sqlast.RangeVarName(n.GetCreateStmt().Relation)))
		case n.GetAlterTableStmt() != nil:
			t, cmds, _ := alterCmds(n)
			for _, cmd := range cmds {
				switch cmd.Subtype {
				case pg.AlterTableType_AT_AddColumn:
					if cd := cmd.Def.GetColumnDef(); cd != nil {
						r.Loses = append(r.Loses, fmt.Sprintf("the values written to %s.%s since the migration (the down drops the column)", t, cd.Colname))
					}
				case pg.AlterTableType_AT_DropColumn:
					r.Loses = append(r.Loses, fmt.Sprintf("%s.%s: the down can re-add the column, not its values; restore them from the backup", t, cmd.Name))
				}
			}
		case n.GetDropStmt() != nil && n.GetDropStmt().RemoveType == pg.ObjectType_OBJECT_TABLE:
			for _, obj := range n.GetDropStmt().Objects {
				r.Loses = append(r.Loses, fmt.Sprintf("%s: the down can recreate the table, not its rows; restore them from the backup", sqlast.ObjectName(obj)))
			}
		case n.GetTruncateStmt() != nil || n.GetDeleteStmt() != nil:
			r.Loses = append(r.Loses, "the deleted rows: restore them from the backup")
		case n.GetUpdateStmt() != nil:
			r.Loses = append(r.Loses, fmt.Sprintf("the values %s overwrote (the down does not undo an UPDATE)", sqlast.RangeVarName(n.GetUpdateStmt().Relation)))
		}
	}
	r.Fails = downFails(f.Down.Statements, steps)
	if !f.Down.Found {
		r.Loses = append(r.Loses, "there is no down migration: rolling back means writing one, or restoring from backup")
	}
	for _, b := range bs {
		r.Restore = append(r.Restore, b.Reason+restoreAfter+b.Restore)
	}
	return r
}

// restoreAfter joins a backup's reason and its restore in Rollback.Restore.
const restoreAfter = ", after the down: "

func post(res *engine.Result, steps []*stmt, bs []Backup) []string {
	var out []string
	validated := map[string]bool{}
	var notValid []string
	for _, s := range steps {
		n := s.node
		if t, cmds, ok := alterCmds(n); ok {
			for _, cmd := range cmds {
				if con := cmd.Def.GetConstraint(); cmd.Subtype == pg.AlterTableType_AT_AddConstraint && con != nil && con.SkipValidation && con.Conname != "" {
					notValid = append(notValid, t+"\x00"+con.Conname)
				}
				if cmd.Subtype == pg.AlterTableType_AT_ValidateConstraint {
					validated[t+"\x00"+cmd.Name] = true
				}
				if cmd.Subtype == pg.AlterTableType_AT_AlterColumnType {
					out = append(out, fmt.Sprintf("ANALYZE %s: the type change leaves the planner without statistics for %s.", relText(t), cmd.Name))
				}
			}
		}
		if vs := n.GetViewStmt(); vs != nil {
			out = append(out, fmt.Sprintf("Drop the view %s once no deployed code uses that name (the contract phase of a rename).", sqlast.RangeVarName(vs.View)))
		}
		if ct := n.GetCreateTrigStmt(); ct != nil {
			out = append(out, fmt.Sprintf("Drop the trigger %s on %s (and its function) in the contract phase, once no deployed code writes the old column.", ct.Trigname, sqlast.RangeVarName(ct.Relation)))
		}
		if us := n.GetUpdateStmt(); us != nil {
			out = append(out, fmt.Sprintf("ANALYZE %s after the backfill.", relText(sqlast.RangeVarName(us.Relation))))
		}
	}
	for _, k := range notValid {
		if !validated[k] {
			parts := strings.SplitN(k, "\x00", 2)
			out = append(out, fmt.Sprintf("Validate %s in a later migration: ALTER TABLE %s VALIDATE CONSTRAINT %s; (it checks existing rows without blocking writes).", parts[1], relText(parts[0]), ident(parts[1])))
		}
	}
	for _, fd := range res.Findings {
		if fd.Rule.Category == rules.BackwardCompatibility && len(fd.Uses) > 0 {
			out = append(out, fmt.Sprintf("Remove the compatibility code for line %d once this migration is everywhere: %d place(s) in the code refer to what it changes.", res.File.Source.Position(fd.Start, migration.CodePoints).Line+1, len(fd.Uses)))
		}
	}
	for _, b := range bs {
		out = append(out, fmt.Sprintf("Keep the backup %s until the release is confirmed, then remove it.", b.Target))
	}
	return out
}

// txControl reports BEGIN, COMMIT and friends: the runbook lists the work, and each
// step says which transaction it runs in.
func txControl(n *pg.Node) bool { return n.GetTransactionStmt() != nil }

// tableOfIndex names the table a statement naming only an index (DROP INDEX, ALTER
// INDEX ... RENAME) locks: the lock analysis reads the statement alone, the catalog
// it runs against knows the index's table.
func (s *stmt) tableOfIndex(ls []locks.Lock) string {
	for _, l := range ls {
		if l.Role != "index" || l.Relation == "" {
			continue
		}
		if idx, ok := s.before.Relation(project.TreeName(l.Relation)); ok && idx.Index != nil {
			if t, ok := s.before.Rel(idx.Index.Table); ok {
				return s.before.Spell(t.Name)
			}
		}
		return "the table of index " + l.Relation
	}
	return "the table"
}

// downFails finds the down's ADD COLUMN ... NOT NULL without a DEFAULT on a table the
// up did not create: it fails on any row, so the rollback stops there (openmeter's
// resource_meter re-adds a dropped column that way) and its restore never runs.
func downFails(down []*migration.Statement, steps []*stmt) []string {
	created := map[string]bool{}
	for _, s := range steps {
		if cs := s.node.GetCreateStmt(); cs != nil {
			created[lower(sqlast.RangeVarName(cs.Relation))] = true
		}
	}
	var out []string
	for _, st := range down {
		t, cmds, ok := alterCmds(st.Node)
		if !ok || created[lower(t)] {
			continue
		}
		for _, cmd := range cmds {
			if cd := cmd.Def.GetColumnDef(); cmd.Subtype == pg.AlterTableType_AT_AddColumn && cd != nil && requiredNoDefault(cd) {
				out = append(out, fmt.Sprintf("ADD COLUMN %s.%s is NOT NULL with no DEFAULT and fails on any row of %s: re-add it nullable, restore its values from the backup, then SET NOT NULL", t, cd.Colname, t))
			}
		}
	}
	return out
}

// requiredNoDefault reports a column NOT NULL with nothing to fill existing rows.
func requiredNoDefault(cd *pg.ColumnDef) bool {
	if tn := cd.GetTypeName(); tn != nil {
		switch sqlast.LastName(tn.Names) {
		case "serial", "bigserial", "smallserial", "serial2", "serial4", "serial8":
			return false // a sequence default fills the rows
		}
	}
	notNull := cd.IsNotNull
	for _, c := range cd.Constraints {
		switch c.GetConstraint().GetContype() {
		case pg.ConstrType_CONSTR_NOTNULL, pg.ConstrType_CONSTR_PRIMARY:
			notNull = true
		case pg.ConstrType_CONSTR_DEFAULT, pg.ConstrType_CONSTR_IDENTITY, pg.ConstrType_CONSTR_GENERATED:
			return false
		}
	}
	return notNull && cd.RawDefault == nil && cd.IdentitySequence == nil
}

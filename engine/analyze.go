// Package engine is migsafe's analysis core: bytes in, findings out. It has no editor
// and no network; the CLI, the language server and the code actions all read its Result.
package engine

import (
	"fmt"
	"os"
	"sort"
	"strconv"
	"sync"

	"github.com/migsafe/migsafe/codeactions"
	"github.com/migsafe/migsafe/engine/coderefs"
	"github.com/migsafe/migsafe/engine/config"
	"github.com/migsafe/migsafe/engine/locks"
	"github.com/migsafe/migsafe/engine/migration"
	"github.com/migsafe/migsafe/engine/project"
	"github.com/migsafe/migsafe/engine/rules"
)

// Finding is one rule's report on one statement.
type Finding struct {
	Rule    *rules.Rule
	Status  rules.Status
	Message string
	Help    string
	// Start and End are byte offsets into the file.
	Start, End int
	// Stmt is the statement reported on; nil for file-level findings.
	Stmt *migration.Statement
	Lock *locks.Lock
	// Rewrite and Scan repeat the knowledge base's facts for Stmt.
	Rewrite, Scan bool
	// fixes builds the fixes the rule attached; see Fixes.
	fixes fixes
	// Suppression is the comment that suppressed the finding, when it was.
	Suppression *Suppression
	// Uses are the places in the workspace's code the finding is about.
	Uses []coderefs.Use
	// Deploy is when the statement runs relative to the application deploy.
	Deploy locks.Deploy
}

// Problem is a file-level error: a syntax error, a suppression comment that names an
// unknown rule or suppresses nothing, or a down migration that failed its round trip.
type Problem struct {
	Offset  int
	Message string
	// Kind is a key of ProblemKinds.
	Kind string
}

// ProblemKind describes one kind of problem; reports show problems like findings of a
// rule with this ID and status.
type ProblemKind struct {
	ID      string
	Status  rules.Status
	Summary string
	Doc     string
}

// EditedDeployed is the ProblemKinds key of a migration that the base revision holds
// (it has run where that release is deployed) with other text: check's batch compares
// each migration of a set with the base (project.Pending.EditedSince).
const EditedDeployed = "edited-deployed"

// DeletedDeployed is the ProblemKinds key of a migration of the set that the base
// revision holds and the work tree no longer has (project.Pending.DeletedSince),
// reported on the first file check reads of the set.
const DeletedDeployed = "deleted-deployed"

// ProblemKinds are the kinds of Problem.
var ProblemKinds = map[string]ProblemKind{
	"syntax": {ID: "syntax-error", Status: rules.Block,
		Summary: "the migration does not parse, or its runner or language refuses it: it would fail",
		Doc: "Running the migration fails at this point, so it is a BLOCK; the message says who refuses it. " +
			"PostgreSQL's parser (through pg_query) rejects the statement (`syntax error at or near ...`): the statement is not analysed. " +
			"The migration runner refuses the file (`goose refuses this migration: ...`, `dbmate refuses this migration: ...`): an unknown, indented or misplaced annotation, SQL before the up block, a dbmate migration without `-- migrate:down`; the runner applies none of it (migsafe still reviews its statements, for when it is fixed). " +
			"Two migrations of one version (`1_a.up.sql` and `1_b.up.sql`; golang-migrate, goose and Flyway read `1` and `001` as one version too) are reported on the one the runner orders later, naming the other: golang-migrate (`duplicate migration file`), goose (`duplicate version 1 detected`) and Flyway refuse the whole set, dbmate fails on the second when it records its version. " +
			"The host language of an ORM migration cannot load it (`Ruby syntax error: ...`, and the same for Python, JavaScript and TypeScript): the migration fails to load, and migsafe analyses only what the parser recovers. " +
			"A file that is not SQL text (a NUL byte, invalid UTF-8) is reported the same way. Fix what the message points at and check again."},
	NotDirective: {ID: "not-a-directive", Status: rules.Flag,
		Summary: "a comment written like a runner directive is none: the runner takes it as a comment",
		Doc: "dbmate reads `-- migrate:up` and `-- migrate:down` and takes any other `-- migrate:` line (`-- migrate:dwon`) as a comment: the SQL after a misspelt down directive runs on the way up, and what it undoes never runs on the way down. dbmate (v2.28) applies such a file, so this is a FLAG, not a `syntax-error`. " +
			"Spell the directive as dbmate does, or reword the comment."},
	"ignore": {ID: "invalid-ignore", Status: rules.Flag,
		Summary: "a migsafe:ignore comment names an unknown rule, has no reason, or suppresses nothing",
		Doc:     "Write `-- migsafe:ignore RULE-ID -- reason` on the statement's line or the line before it."},
	InternalError: {ID: "internal-error", Status: rules.Flag,
		Summary: "a rule, or a fix for one of its findings, failed with an internal error: what it would report is missing",
		Doc:     "migsafe caught a panic in one of its own checks. The rest of the file is analysed as usual, but the failed check's findings on the statement are missing, so the file cannot be SAFE TO SHIP: review the statement by hand. The message names the check and the code that failed; please report it."},
	NewerSyntax: {ID: "newer-syntax", Status: rules.Flag,
		Summary: fmt.Sprintf("the statement does not parse with the PostgreSQL %d grammar migsafe embeds, and pg_version is newer", migration.GrammarMajor),
		Doc:     fmt.Sprintf("pg_query embeds PostgreSQL %d's parser. With a newer `pg_version` a statement", migration.GrammarMajor) + " it rejects may be new syntax the server accepts (`ALTER COLUMN ... SET EXPRESSION`, `MERGE ... RETURNING`, virtual generated columns, `NOT ENFORCED`), so it is a FLAG, not a BLOCK: the statement is not analysed, and its locks and risks must be reviewed by hand. Check that it runs on the target version."},
	"complex": {ID: "statement-too-complex", Status: rules.Block,
		Summary: "a statement nests too deeply to analyse safely: migsafe did not check it",
		Doc:     "A statement whose expressions nest more than " + strconv.Itoa(migration.MaxNesting) + " levels deep (a sum of thousands of terms, thousands of chained JOINs, casts or UNIONs) is not parsed: pg_query would overflow its stack serialising the tree and take the process down. migsafe reports it instead of analysing it, at the token where the nesting passes the limit. PostgreSQL itself is close to its own limit there: PostgreSQL 15 at its default max_stack_depth (2MB) rejects a 5,000-term sum with \"stack depth limit exceeded\". Split the expression, or build it in smaller steps."},
	"unfinished": {ID: "unfinished-fix", Status: rules.Block,
		Summary: "a fix left a placeholder (-- migsafe:todo) that only the author can fill in",
		Doc:     "`migsafe fix` writes `-- migsafe:todo ...` where it cannot know what to write: the value a backfill gives existing rows of a new NOT NULL column, the DEFAULT they get. Until it is filled in and the comment deleted, the migration would fail or write the wrong data, so it counts as BLOCK."},
	"not-analysed": {ID: "not-analysed", Status: rules.OK,
		Summary: "an ORM call migsafe does not translate to SQL: nothing checks it",
		Doc:     "The ORM front ends translate the calls they know into the SQL the ORM sends; a call they do not know (or SQL built at run time) is reported here, as information, so a migration is never called safe because its risky part went unread."},
	EditedDeployed: {ID: "edited-deployed-migration", Status: rules.Flag,
		Summary: "the migration is in the base revision's tree, where it has already run, and this version edits or renames it",
		Doc: "A migration in the tree of the base revision (`check --base REF`, by default the merge-base of HEAD with its upstream, main or master) has run wherever that release is deployed. Runners record a migration as applied and never run it again, so an edit to it reaches only new databases: production and the fresh ones differ from then on, and Flyway's validate refuses the changed checksum. " +
			"migsafe still reviews the file as it is now, for the databases it has not run on. Put the change in a new migration instead (an edit that changes nothing that runs, a comment, is harmless). A rename (the same text under another name) is reported too: runners record a migration by its version or name, so a new version runs it again where it has run, and Flyway's validate refuses a changed description."},
	DeletedDeployed: {ID: "deleted-deployed-migration", Status: rules.Flag,
		Summary: "a migration of the set is in the base revision's tree, where it has run, and this version deletes it",
		Doc: "A migration in the tree of the base revision (`check --base REF`, by default the merge-base of HEAD with its upstream, main or master) has run wherever that release is deployed. Deleting its file undoes none of what it did there, and the runner's history (its schema_migrations table, Flyway's history) then records a migration the files no longer have, while new databases never get its changes: production and the fresh ones differ. " +
			"The problem is reported on the first file of the set that check reads, naming the deleted path (a migration renamed, its text under another name, is an `edited-deployed-migration` instead). Every runner's set is compared: the files golang-migrate, goose, dbmate, Flyway, Diesel and Prisma list, sqitch's plan, the migrations Rails, Django, Alembic, Knex, TypeORM and Sequelize load (a helper module beside them is none), and a plain directory of .sql files when its files are numbered (`001_users.sql`: an unnumbered `seed.sql` may be a script that never ran as a migration). Keep the file, and undo what it did in a new migration."},
	"rollback": {ID: "rollback-roundtrip", Status: rules.Block,
		Summary: "applying up, then down, on a throwaway PostgreSQL does not restore the schema, or up does not apply again",
		Doc:     "`migsafe check --verify-rollback` applies the migration's up, then its down, on a throwaway cluster, compares the schema with the one before, and applies up again. A difference means a rollback leaves the database in a state no migration describes."},
}

// ProblemKindKeys lists the keys of ProblemKinds in the order reports and `migsafe
// rules` show them: BLOCK kinds first, then by ID.
func ProblemKindKeys() []string {
	keys := make([]string, 0, len(ProblemKinds))
	for k := range ProblemKinds {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := ProblemKinds[keys[i]], ProblemKinds[keys[j]]
		if a.Status != b.Status {
			return a.Status > b.Status
		}
		return a.ID < b.ID
	})
	return keys
}

// Status is what the problem counts as in verdicts and exit codes.
func (p Problem) Status() rules.Status { return ProblemKinds[p.Kind].Status }

// StatementResult is one statement with its analysis. A DO statement's Findings
// include those on the statements of its body, which Body lists one by one.
type StatementResult struct {
	Stmt     *migration.Statement
	Locks    locks.Analysis
	Findings []*Finding
	Body     []StatementResult
}

// WithBody is the statement's analysis together with its DO body's: the locks the DO
// statement takes when it runs.
func (sr StatementResult) WithBody() locks.Analysis {
	if len(sr.Body) == 0 {
		return sr.Locks
	}
	as := []locks.Analysis{sr.Locks}
	for _, b := range sr.Body {
		as = append(as, b.Locks)
	}
	return locks.Merge(as...)
}

// Result is the analysis of one file.
type Result struct {
	File   *migration.File
	Config *config.Config
	// History is the file's place in its migration set (nil when judged alone).
	History *project.History
	// After is the catalog after the file's up section (its history's catalog with
	// the file's statements applied); Steps the catalog after each statement, when
	// Options.KeepSteps asked for them.
	After      *project.Catalog
	Steps      map[*migration.Statement]*project.Catalog
	Statements []StatementResult
	Findings   []*Finding // ordered by position
	Suppressed []*Finding
	Problems   []Problem
	Categories map[rules.Category]rules.Status
	Verdict    Verdict
	mu         sync.Mutex // guards Problems while fixes are built

	// What an analysis of the next version reuses (see Options.Previous): the
	// findings before suppression, in the order the rules made them; the workspace
	// they were judged against; whether a message cites another statement's line;
	// whether this analysis kept the previous one's findings (Reused).
	all         []*Finding
	code        *coderefs.Workspace
	linesCited  bool
	lookedAhead int
	marks       map[int]*rules.Mark
	kept        int
	// final is the rules' state at the end of the statements (with marks kept), for
	// an analysis of the next version that converges (convergence); converged is the
	// first statement this one kept from the previous analysis that way (0: none).
	final     *rules.Mark
	converged int
}

// Kept is how many of the file's statements, from the first, kept their findings from
// Options.Previous instead of being checked again: all of them when the edit only
// moved statements, those before the last mark before the edit otherwise (the
// language server logs it).
func (r *Result) Kept() int { return r.kept }

// Converged is the first statement of those after the edit that kept their findings
// from Options.Previous because the analysis had converged there (the rules' state
// and the catalog the previous analysis's again); 0 when it did not.
func (r *Result) Converged() int { return r.converged }

// Verdict is the file's overall judgement.
type Verdict string

const (
	SafeToShip            Verdict = "SAFE TO SHIP"
	SafeWithModifications Verdict = "SAFE WITH MODIFICATIONS"
	BlockVerdict          Verdict = "BLOCK"
)

// VerdictOf maps the worst status to a verdict.
func VerdictOf(s rules.Status) Verdict {
	switch s {
	case rules.Block:
		return BlockVerdict
	case rules.Flag:
		return SafeWithModifications
	}
	return SafeToShip
}

// Worst is the worst status in the result, counting each problem by its kind's status
// (a syntax error is BLOCK: the migration would fail).
func (r *Result) Worst() rules.Status {
	w := rules.OK
	for _, f := range r.Findings {
		if f.Status > w {
			w = f.Status
		}
	}
	for _, p := range r.Problems {
		if s := p.Status(); s > w {
			w = s
		}
	}
	return w
}

// Options adjust Analyze.
type Options struct {
	// ReadFile reads sibling files (down migrations); nil reads from disk.
	ReadFile func(path string) ([]byte, error)
	// NoSiblings turns sibling lookups off (stdin, unsaved buffers without a path).
	NoSiblings bool
	// Cache keeps a document's statement trees between analyses (the language server
	// passes one per open document).
	Cache *migration.ParseCache
	// Code answers where the workspace's code uses what the migration drops, renames
	// or retypes; nil leaves those rules to their own judgement.
	Code *coderefs.Workspace
	// History is the file's place in its migration set: the catalog the earlier
	// migrations leave and which of them are pending. Nil judges the file alone.
	History *project.History
	// Parsed is the file already parsed (by the replay of its set, which shares its
	// parse with the analysis); nil parses path and text.
	Parsed *migration.File
	// KeepSteps keeps the catalog after each statement in Result.Steps, for the next
	// analysis of an edited version (see project.History.WithSteps).
	KeepSteps bool
	// Previous is the analysis of the previous version of the same document: where
	// the edit only moved statements (see reuseMoved), its findings are kept, moved
	// with them, instead of running the rules again.
	Previous *Result
	// ReleaseTrees drops each statement's tree once no later part of the analysis
	// reads it (see release.go), and builds the findings' fix titles as it goes: for
	// a caller that reads no tree afterwards and of the fixes only their titles
	// (Finding.FixTitles; Fixes would build them without the trees). The file's
	// statements are changed: the file must be no one else's (not the down file of
	// another analysis, not in a parse cache).
	ReleaseTrees bool
}

// Analyze runs every enabled rule over a migration file.
func Analyze(path, text string, cfg *config.Config, opts Options) *Result {
	res, rest := analyzeStatements(path, text, cfg, opts)
	if rest != nil {
		rest()
	}
	return res
}

// analyzeStatements is Analyze up to the catalog after the file (Result.After): the
// statements checked in order; rest (nil when nothing is left) runs the file-level
// rules and completes the result, reading that catalog without changing it, so the
// next migration's analysis can start from it meanwhile (see batch.replay).
func analyzeStatements(path, text string, cfg *config.Config, opts Options) (*Result, func()) {
	if cfg == nil {
		cfg = config.Default()
	}
	read := opts.ReadFile
	if read == nil && !opts.NoSiblings {
		read = os.ReadFile
	}
	f := opts.Parsed
	if f == nil {
		f = ParseFile(path, text, cfg, read, opts.Cache)
	}
	res := &Result{File: f, Config: cfg, History: opts.History, Categories: make(map[rules.Category]rules.Status, len(rules.Categories)), Problems: notAnalysed(f)}
	for _, e := range f.Errors {
		res.Problems = append(res.Problems, Problem{Offset: e.Offset, Message: e.Message, Kind: fileErrorKind(e)})
	}
	res.Problems = append(res.Problems, unfinished(f)...)
	if !noDown(f, f) {
		// Catalogs kept by a converged analysis record where the statements were in an
		// earlier version; this file's down reads where its up created things.
		opts.History = opts.History.WithoutMovedOrigins()
		res.History = opts.History
	}
	if r := reuseMoved(res, opts); r != nil {
		return r, nil
	}

	enabled := enabledRules(cfg)
	statementRules := make([]*rules.Rule, 0, len(enabled))
	for _, r := range enabled {
		if r.Check != nil {
			statementRules = append(statementRules, r)
		}
	}
	state := rules.NewState(f.Path, opts.History)
	if opts.KeepSteps {
		state.KeepSteps(len(f.Statements))
	}
	var all []*Finding
	// add records a finding of rule r on stmt, whose analysis is a (nil for a file's)
	// and whose fixes are built at site.
	add := func(stmt *migration.Statement, a *locks.Analysis, r *rules.Rule, d rules.Diagnostic, site codeactions.Site) {
		all = append(all, res.newFinding(stmt, a, r, d, site))
	}

	res.Statements = make([]StatementResult, len(f.Statements))
	analyses := make([]locks.Analysis, len(f.Statements))
	bodyAnalyses := map[*migration.Statement]locks.Analysis{}
	// One pass serves every statement, handed to each rule in turn: a statement's
	// context is the same for every rule, and this loop runs on every keystroke. The
	// rules report while they check, so the pass's reporter reads the statement under
	// check from it.
	var under locks.Analysis
	var p *rules.Pass
	p = rules.NewPass(nil, f, cfg, state, func(r *rules.Rule, d rules.Diagnostic) { add(p.Stmt, &under, r, d, p.Site()) })
	p.Analyses, p.BodyAnalyses, p.Code = analyses, bodyAnalyses, opts.Code
	// check classifies one statement (top level or of a DO body), runs the statement
	// rules on it when it is in the up section, and records what it establishes; ok is
	// false when it does not parse.
	check := func(st *migration.Statement) (a locks.Analysis, ok bool) {
		if st.Err != nil {
			res.Problems = append(res.Problems, syntaxProblem(st.Err, cfg.PGVersion))
			return a, false
		}
		a = locks.Classify(st.Outline(), cfg.PGVersion, state)
		if st.Parent != nil {
			bodyAnalyses[st] = a
		} else {
			analyses[st.Index] = a
		}
		if st.Section == migration.Up {
			p.Stmt, p.Locks, under = st, a, a
			runChecks(statementRules, p, st.Start, &res.Problems)
		}
		state.Update(st, a)
		return a, true
	}
	start := resume(res, opts, state, analyses, bodyAnalyses, &all)
	conv := converging(res, opts, state)
	releases := releasing(f, opts)
	for i := start; i < len(f.Statements); i++ {
		st := f.Statements[i]
		res.Statements[i].Stmt = st
		made := len(all)
		if conv != nil {
			conv.checked(st)
		}
		if a, ok := check(st); ok {
			res.Statements[i].Locks = a
			if st.Body != nil {
				// The body's statements run when the DO does, in its transaction.
				for _, in := range st.Body.Statements {
					ia, _ := check(in)
					res.Statements[i].Body = append(res.Statements[i].Body, StatementResult{Stmt: in, Locks: ia})
				}
			}
			if releases {
				release(st, a, all[made:], state)
			}
		}
		if conv != nil && conv.at(i, res, state, analyses, bodyAnalyses, &all) {
			break
		}
	}
	if state.Marks != nil {
		res.final = state.Mark()
	}
	res.After, res.Steps = state.Catalog, state.Steps
	return res, func() {
		checkFile(res, enabled, state, analyses, bodyAnalyses, opts.Code, func(r *rules.Rule, d rules.Diagnostic) { add(nil, nil, r, d, codeactions.Site{}) })
		res.linesCited, res.lookedAhead, res.marks, res.kept = state.LinesCited, state.LookedAhead, state.Marks, start
		res.finish(all, opts.Code)
	}
}

// checkFile runs the file-level rules, which report through add.
func checkFile(res *Result, enabled []*rules.Rule, state *rules.State, analyses []locks.Analysis, bodyAnalyses map[*migration.Statement]locks.Analysis, code *coderefs.Workspace, add func(*rules.Rule, rules.Diagnostic)) {
	for _, r := range enabled {
		if r.CheckFile != nil {
			p := rules.NewPass(r, res.File, res.Config, state, add)
			p.Analyses, p.BodyAnalyses, p.Code = analyses, bodyAnalyses, code
			runFileCheck(r, p, &res.Problems)
		}
	}
}

// finish judges the findings the rules made (all, in the order they made them):
// statuses configured, suppressions applied, findings sorted and given to their
// statements, categories and verdict.
func (res *Result) finish(all []*Finding, code *coderefs.Workspace) {
	f, cfg := res.File, res.Config
	res.all, res.code = all, code
	for _, fd := range all {
		if s, ok := cfg.Status[fd.Rule.ID]; ok {
			fd.Status = s
		}
	}
	kept, suppressed, problems := applySuppressions(f, all)
	res.Problems = append(res.Problems, problems...)
	sortFindings(kept)
	sortFindings(suppressed)
	res.Findings, res.Suppressed = kept, suppressed
	sort.SliceStable(res.Problems, func(i, j int) bool { return res.Problems[i].Offset < res.Problems[j].Offset })

	for _, fd := range kept {
		top := fd.Stmt
		if top != nil && top.Parent != nil {
			top = top.Parent
		}
		// A top-level statement's Index is its place in f.Statements.
		if top == nil || top.Index >= len(f.Statements) || f.Statements[top.Index] != top {
			continue
		}
		i := top.Index
		res.Statements[i].Findings = append(res.Statements[i].Findings, fd)
		for j := range res.Statements[i].Body {
			if b := &res.Statements[i].Body[j]; b.Stmt == fd.Stmt {
				b.Findings = append(b.Findings, fd)
			}
		}
	}
	for _, c := range rules.Categories {
		res.Categories[c] = rules.OK
	}
	for _, fd := range kept {
		if fd.Status > res.Categories[fd.Rule.Category] {
			res.Categories[fd.Rule.Category] = fd.Status
		}
	}
	res.Verdict = VerdictOf(res.Worst())
}

// ParseOptions are the options a file is parsed with under cfg: the replay of a
// migration set parses with them too, so one parse serves both.
func ParseOptions(cfg *config.Config, read func(string) ([]byte, error), cache *migration.ParseCache) migration.Options {
	return migration.Options{Runner: cfg.Runner, ReadFile: read, Cache: cache, PGVersion: cfg.PGVersion}
}

// noteProblem is AddProblem for fix builders, which may run on several goroutines.
func (r *Result) noteProblem(p Problem) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.AddProblem(p)
}

// AddProblem records a problem found after analysis (the rollback round trip) and
// updates the verdict.
func (r *Result) AddProblem(p Problem) {
	r.Problems = append(r.Problems, p)
	sort.SliceStable(r.Problems, func(i, j int) bool { return r.Problems[i].Offset < r.Problems[j].Offset })
	r.Verdict = VerdictOf(r.Worst())
}

// runFileCheck runs one file-level rule. A panic becomes an internal-error problem at
// the first statement instead of ending the analysis (or the language server): the
// rule's findings vanish, so the problem must show.
func runFileCheck(r *rules.Rule, p *rules.Pass, problems *[]Problem) {
	at := 0
	if len(p.File.Statements) > 0 {
		at = p.File.Statements[0].Start
	}
	defer func() {
		if v := recover(); v != nil {
			*problems = append(*problems, PanicProblem(v, "rule "+r.ID, at))
		}
	}()
	r.CheckFile(p)
}

// runChecks runs the statement rules rs, in order, on the statement at offset, as
// runFileCheck runs a file rule: a rule's panic becomes an internal-error problem and the rules
// after it still run. One deferred recover serves the whole run of rules rather than
// one per rule (a check runs every rule on every statement).
func runChecks(rs []*rules.Rule, p *rules.Pass, offset int, problems *[]Problem) {
	for i := 0; i < len(rs); {
		i = runChecksFrom(rs, i, p, offset, problems)
	}
}

// runChecksFrom runs rs[i:] until one panics; next is the rule after the last that ran.
func runChecksFrom(rs []*rules.Rule, i int, p *rules.Pass, offset int, problems *[]Problem) (next int) {
	defer func() {
		if v := recover(); v != nil {
			*problems = append(*problems, PanicProblem(v, "rule "+rs[next].ID, offset))
			next++
		}
	}()
	for next = i; next < len(rs); next++ {
		p.Rule = rs[next]
		rs[next].Check(p)
	}
	return next
}

func enabledRules(cfg *config.Config) []*rules.Rule {
	out := make([]*rules.Rule, 0, len(rules.All))
	for _, r := range rules.All {
		if cfg.Disable[r.ID] || (r.OptIn && !cfg.Enable[r.ID]) {
			continue
		}
		out = append(out, r)
	}
	return out
}

func sortFindings(fs []*Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		if fs[i].Start != fs[j].Start {
			return fs[i].Start < fs[j].Start
		}
		return fs[i].Rule.ID < fs[j].Rule.ID
	})
}

// newFinding is rule r's diagnostic d on stmt (nil for a file's), whose lock analysis
// is a (nil for a file's), with its fixes built at site.
func (res *Result) newFinding(stmt *migration.Statement, a *locks.Analysis, r *rules.Rule, d rules.Diagnostic, site codeactions.Site) *Finding {
	fd := &Finding{Rule: r, Status: r.Status, Message: d.Message, Help: d.Help,
		Start: d.Start, End: d.End, Stmt: stmt, Lock: d.Lock, Uses: d.Uses, fixes: newFixes(d.Fixes, site, res.noteProblem)}
	if d.Status != nil {
		fd.Status = *d.Status
	}
	if a != nil {
		fd.Rewrite, fd.Scan, fd.Deploy = a.Rewrite, a.Scan, DeployOf(*a)
	}
	if d.Deploy != nil {
		fd.Deploy = *d.Deploy
	}
	return fd
}

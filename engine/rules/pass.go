package rules

import (
	"fmt"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v5"

	"github.com/migsafe/migsafe/engine/coderefs"
	"github.com/migsafe/migsafe/engine/config"
	"github.com/migsafe/migsafe/engine/estimate"
	"github.com/migsafe/migsafe/engine/locks"
	"github.com/migsafe/migsafe/engine/migration"
	"github.com/migsafe/migsafe/engine/project"
	"github.com/migsafe/migsafe/engine/sqlast"
)

// Diagnostic is what a rule reports.
type Diagnostic struct {
	// Start and End are file byte offsets: the smallest clause that explains the problem.
	Start, End int
	Message    string
	Help       string
	// Status overrides the rule's status for this finding (for example PASS->FLAG when
	// context is missing); nil keeps the rule's.
	Status *Status
	// Lock is the lock this finding is about, if any.
	Lock *locks.Lock
	// Uses are the places in the workspace's code the finding is about.
	Uses []coderefs.Use
	// Deploy overrides the statement shape's deploy order when the rule knows better
	// (a type change that narrows runs after the code, not before it); nil keeps it.
	Deploy *locks.Deploy
	// Fixes builds the finding's fixes when a driver asks for them (see Pass.Fixes).
	Fixes FixBuilder
}

// Pass hands a rule everything it may read about one statement, and one way to speak.
type Pass struct {
	Rule   *Rule
	File   *migration.File
	Config *config.Config
	// Stmt is the statement under check; nil in CheckFile.
	Stmt *migration.Statement
	// Locks is the knowledge base's analysis of Stmt.
	Locks locks.Analysis
	// State is what the statements before Stmt established.
	State *State
	// Analyses are the analyses of the file's statements by Index, and BodyAnalyses of
	// the statements of DO bodies, for rules that look across statements (AnalysisOf).
	Analyses     []locks.Analysis
	BodyAnalyses map[*migration.Statement]locks.Analysis
	// Code is where the workspace's code uses tables and columns; nil when the
	// analysis has no workspace.
	Code *coderefs.Workspace

	report func(*Rule, Diagnostic)
}

// NewPass is used by the engine to build passes.
func NewPass(r *Rule, f *migration.File, cfg *config.Config, st *State, report func(*Rule, Diagnostic)) *Pass {
	return &Pass{Rule: r, File: f, Config: cfg, State: st, report: report}
}

// Report records a finding. Check functions give spans in the statement's coordinates
// (file offsets, except for ORM statements, whose spans are mapped to the DSL here).
func (p *Pass) Report(d Diagnostic) {
	if p.Stmt != nil {
		if d.End <= d.Start {
			d.Start, d.End = p.Whole()
		}
		d.Start, d.End = p.Stmt.FileSpan(d.Start, d.End)
	}
	p.report(p.Rule, d)
}

// AnalysisOf is the knowledge base's analysis of another statement of the file, top
// level or in a DO body.
func (p *Pass) AnalysisOf(st *migration.Statement) locks.Analysis {
	if a, ok := p.BodyAnalyses[st]; ok {
		return a
	}
	if st.Parent == nil && st.Index < len(p.Analyses) {
		return p.Analyses[st.Index]
	}
	return locks.Analysis{}
}

// Later are the statements of the file after the one under check (for a statement of a
// DO body, after its place in the body, as the rules have always read them):
// a rule that reads them to decide makes its finding depend on them (State.LookedAhead).
func (p *Pass) Later() []*migration.Statement {
	top := p.Stmt
	if top.Parent != nil {
		top = top.Parent
	}
	if p.State.LookedAhead == 0 || top.Index < p.State.LookedAhead-1 {
		p.State.LookedAhead = top.Index + 1
	}
	return p.File.Statements[p.Stmt.Index+1:]
}

// Whole is the span of the whole statement under check.
func (p *Pass) Whole() (int, int) { return p.Stmt.Start, p.Stmt.SQLEnd() }

// SQL is the statement's text between two of its coordinates.
func (p *Pass) SQL(start, end int) string { return p.Stmt.SQLAt(start, end) }

// PG is the target PostgreSQL major.
func (p *Pass) PG() int { return p.Config.PGVersion }

// StatusPtr is a helper for Diagnostic.Status.
func StatusPtr(s Status) *Status { return &s }

// IsNew reports a table nobody uses yet: created earlier in this file, or by a
// migration that is not deployed yet (see project.PendingOf) unless its size is
// configured (a known size wins: the table is in production after all). Locking,
// rewriting and validating it is harmless.
func (p *Pass) IsNew(table string) bool { return p.unsized(p.State.New(table), table) }

// unsized applies "a known size wins" to newness: what a pending migration created is
// new unless the table's size is configured.
func (p *Pass) unsized(n Newness, table string) bool {
	switch n {
	case CreatedHere:
		return true
	case CreatedPending:
		_, known := p.Config.Rows(table)
		return !known
	}
	return false
}

// IsEmpty reports a new table that holds no rows either: not made by CREATE TABLE AS
// or SELECT INTO, and nothing inserted or copied into it since. Statements that fail
// on existing rows (ADD COLUMN NOT NULL without a default) need this, not IsNew.
func (p *Pass) IsEmpty(table string) bool {
	if !p.IsNew(table) {
		return false
	}
	t, _ := p.State.Table(table)
	return !t.FromQuery && !t.Written
}

// NewColumn reports a column no deployed code reads: added by this file or by a
// pending migration (unless its table's size is configured).
func (p *Pass) NewColumn(table, column string) bool {
	return p.unsized(p.State.NewColumn(table, column), table)
}

// Absent reports a table the catalog knows is gone (the history dropped or renamed
// it, and nothing since could have made it again): DROP ... IF EXISTS of it does
// nothing.
func (p *Pass) Absent(table string) bool {
	return p.State.Catalog.Absent(project.TreeName(table))
}

// ColumnAbsent reports a column the catalog knows the table does not have (every
// column of the table is known, and none has the name): DROP COLUMN IF EXISTS of it
// does nothing.
func (p *Pass) ColumnAbsent(table, column string) bool {
	t, ok := p.State.Table(table)
	if !ok || !t.Known() {
		return false
	}
	_, has := t.Column(column)
	return !has
}

// IndexExists reports CREATE INDEX IF NOT EXISTS of an index the catalog knows on
// that table: PostgreSQL skips it, building nothing.
func (p *Pass) IndexExists(is *pg.IndexStmt) bool {
	if is == nil || !is.IfNotExists || is.Idxname == "" {
		return false
	}
	t, ok := p.State.Table(sqlast.RangeVarName(is.Relation))
	if !ok {
		return false
	}
	ix, ok := p.State.Catalog.Relation(project.Name{Schema: t.Name.Schema, Name: is.Idxname})
	return ok && ix.Kind == project.Index && ix.Index.Table == t.ID && t.Trust(ix.Origin.Seq)
}

// SameTable reports two names of one table (as trees spell them), resolved as
// PostgreSQL resolves them on the search_path in force.
func (p *Pass) SameTable(a, b string) bool { return p.State.Key(a) == p.State.Key(b) }

// Size classifies a table by its known size.
type Size int

const (
	Unknown Size = iota // no size configured: treated as large when assume_large is on
	Small               // below small_table_rows
	Large
	Empty // new: created in this file or by a pending migration
)

// TableSize classifies a table for lock-duration findings.
func (p *Pass) TableSize(table string) (Size, int64) {
	if p.IsNew(table) {
		return Empty, 0
	}
	if n, ok := p.Config.Rows(table); ok {
		if n < p.Config.SmallTableRows {
			return Small, n
		}
		return Large, n
	}
	return Unknown, 0
}

// LockDurationMatters reports whether a lock held for the duration of per-row work on
// the table can hurt: the table is not new and not known to be small. Correctness
// findings (a NOT NULL column without a default) ignore this.
func (p *Pass) LockDurationMatters(table string) bool {
	switch s, _ := p.TableSize(table); s {
	case Empty, Small:
		return false
	case Unknown:
		return p.Config.AssumeLarge
	}
	return true
}

// Impact describes a lock for a message: "takes SHARE on users, which blocks writes
// (reads continue)".
func Impact(l locks.Lock) string {
	rel := l.Relation
	if rel == "" {
		rel = "the " + l.Role + "'s table"
		if l.Role == "table" {
			rel = "the table"
		}
	} else if l.Role != "table" && l.Role != "" {
		rel = l.Role + " " + rel
	}
	return "takes " + l.Mode.String() + " on " + rel + ", which " + l.Mode.Blocks().Describe()
}

// Duration describes how long per-row work on a table may hold its lock, when the
// size is known: "~50M rows: about 2-8 min". Empty when the size is unknown.
func (p *Pass) Duration(table string, w estimate.Work) string {
	n, ok := p.Config.Rows(table)
	if !ok || p.IsNew(table) {
		return ""
	}
	return fmt.Sprintf("%s at ~%s rows: %s", w, estimate.Rows(n), estimate.For(w, n))
}

// PartDuration is Duration for the work the knowledge base says a part of the
// statement does, over the rows it goes over; empty when it does none.
func (p *Pass) PartDuration(part locks.Part) string {
	if part.Facts.Work == estimate.None {
		return ""
	}
	return p.Duration(part.WorkTable(), part.Facts.Work)
}

// Span returns the file offsets of a substring of the statement found by a token
// position inside the node (loc), covering length bytes; the whole statement when loc
// is unknown.
func (p *Pass) Span(loc int32, length int) (int, int) {
	if loc < 0 || p.Stmt == nil {
		return p.Whole()
	}
	start := p.Stmt.Pos(loc)
	end := start + length
	if end > p.Stmt.SQLEnd() || length <= 0 {
		end = p.Stmt.SQLEnd()
	}
	return start, end
}

// Keyword finds the first occurrence of a keyword sequence (case-insensitive, by
// scanner tokens) in the statement and returns its file span; ok is false when absent.
func (p *Pass) Keyword(words ...string) (int, int, bool) {
	return p.KeywordIn(p.Stmt.Start, p.Stmt.SQLEnd(), words...)
}

// Verify prefixes a message whose judgement needs context migsafe does not have.
func Verify(msg string) string {
	if strings.HasPrefix(msg, "Verify:") {
		return msg
	}
	return "Verify: " + msg
}

// LockOn is the lock the statement takes on table, from the knowledge base; nil when
// the knowledge base states none.
func (p *Pass) LockOn(table string) *locks.Lock {
	for i := range p.Locks.Locks {
		if l := p.Locks.Locks[i]; l.Role == "table" && p.State.Key(l.Relation) == p.State.Key(table) {
			return &l
		}
	}
	return nil
}

// KeywordFrom is Keyword for the first occurrence at or after file offset from, for
// statements that repeat a keyword (one ALTER TABLE with several subcommands).
func (p *Pass) KeywordFrom(from int, words ...string) (int, int, bool) {
	return p.KeywordIn(from, p.Stmt.SQLEnd(), words...)
}

// KeywordIn finds a keyword sequence inside [start, end) of the statement; ok is false
// when absent. Rules use it to find a clause (ON DELETE CASCADE) inside the one
// constraint at fault rather than anywhere in the statement.
func (p *Pass) KeywordIn(start, end int, words ...string) (int, int, bool) {
	if len(words) == 0 {
		return 0, 0, false
	}
	toks := p.Stmt.Tokens
outer:
	for i := 0; i+len(words) <= len(toks); i++ {
		if int(toks[i].Start) < start || int(toks[i+len(words)-1].End) > end {
			continue
		}
		for j, w := range words {
			if !strings.EqualFold(p.Stmt.TokenText(toks[i+j]), w) {
				continue outer
			}
		}
		return int(toks[i].Start), int(toks[i+len(words)-1].End), true
	}
	return 0, 0, false
}

// KeywordBefore finds the last token spelling word that starts before file offset
// before: the TYPE in front of a type name, the ADD in front of a column definition.
func (p *Pass) KeywordBefore(before int, word string) (int, bool) {
	found, ok := 0, false
	for _, t := range p.Stmt.Tokens {
		if int(t.Start) >= before {
			break
		}
		if strings.EqualFold(p.Stmt.TokenText(t), word) {
			found, ok = int(t.Start), true
		}
	}
	return found, ok
}

// ClauseSpan is the clause that starts at an AST location (see ClauseEnd); the whole
// statement when the location is unknown.
func (p *Pass) ClauseSpan(loc int32) (int, int) {
	if loc < 0 {
		return p.Whole()
	}
	start := p.Stmt.Pos(loc)
	end := p.ClauseEnd(start)
	if end <= start {
		return p.Whole()
	}
	return start, end
}

// ClauseEnd is the end of the clause that starts at file offset start: the end of the
// last token before the first ',' or ')' that closes nothing opened inside the clause,
// or the statement's last token. It turns the start of an ALTER TABLE subcommand or a
// column definition into the span of that one clause.
func (p *Pass) ClauseEnd(start int) int {
	end, depth := start, 0
	for _, t := range p.Stmt.Tokens {
		if int(t.Start) < start {
			continue
		}
		switch p.Stmt.TokenText(t) {
		case "(":
			depth++
		case ")":
			if depth == 0 {
				return end
			}
			depth--
		case ",":
			if depth == 0 {
				return end
			}
		}
		end = int(t.End)
	}
	return end
}

// TypeSpan is the span of a type name in a column definition: "varchar(20)",
// "timestamp without time zone", "integer".
func (p *Pass) TypeSpan(loc int32) (int, int) {
	if loc < 0 {
		return p.Whole()
	}
	start := p.Stmt.Pos(loc)
	end, depth, first := start, 0, true
	for _, t := range p.Stmt.Tokens {
		if int(t.Start) < start {
			continue
		}
		w := strings.ToLower(p.Stmt.TokenText(t))
		switch {
		case first:
			first = false
		case w == "(" || w == "[":
			depth++
		case (w == ")" || w == "]") && depth > 0:
			depth--
			if depth == 0 {
				end = int(t.End)
				continue
			}
		case depth > 0:
		case w == "varying" || w == "precision" || w == "without" || w == "with" || w == "time" || w == "zone" || w == ".":
		default:
			return start, end
		}
		if depth == 0 || first {
			end = int(t.End)
		}
	}
	return start, end
}

// Lead is the span of the statement's first n tokens ("ALTER TABLE", "DROP INDEX"),
// for findings about what a statement as a whole does rather than one clause of it.
func (p *Pass) Lead(n int) (int, int) {
	toks := p.Stmt.Tokens
	if len(toks) == 0 {
		return p.Whole()
	}
	if n > len(toks) {
		n = len(toks)
	}
	return int(toks[0].Start), int(toks[n-1].End)
}

// PartLock is the lock a part of the statement takes on its own table.
func PartLock(part locks.Part) locks.Lock {
	return locks.Lock{Relation: part.Table, Role: "table", Mode: part.Facts.Table}
}

// OtherLock is the lock a part takes on its second relation (the index of DROP INDEX,
// the partition of DETACH PARTITION); ok is false when it takes none.
func OtherLock(part locks.Part) (locks.Lock, bool) {
	if part.Facts.OtherRole == "" || part.Facts.Other == locks.None {
		return locks.Lock{}, false
	}
	return locks.Lock{Relation: part.Other, Role: part.Facts.OtherRole, Mode: part.Facts.Other}, true
}

// Line is the 1-based line of a file offset, for messages that point at another statement.
func (p *Pass) Line(offset int) int {
	p.State.LinesCited = true
	return p.File.Source.Position(offset, migration.UTF8).Line + 1
}

// stmtEnd is the end of the statement without its semicolon.
func stmtEnd(p *Pass) int {
	end := p.Stmt.SQLEnd()
	if end > p.Stmt.Start && p.Stmt.Text[len(p.Stmt.Text)-1] == ';' {
		end--
	}
	return end
}

// FromKeyword spans from the first occurrence of word to the statement's end (without
// the semicolon): "RENAME COLUMN a TO b". Without word, the whole statement.
func (p *Pass) FromKeyword(word string) (int, int) {
	if start, _, ok := p.Keyword(word); ok {
		return start, stmtEnd(p)
	}
	return p.Stmt.Start, stmtEnd(p)
}

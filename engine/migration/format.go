package migration

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v5"

	"github.com/migsafe/migsafe/engine/locks"
)

// Runner is the tool that applies migrations. It decides where the up and down
// sections are and whether statements run inside a transaction the file does not show.
type Runner string

const (
	Plain         Runner = "plain" // psql -f: one statement at a time, autocommit
	GolangMigrate Runner = "golang-migrate"
	Goose         Runner = "goose"
	Dbmate        Runner = "dbmate"
	Flyway        Runner = "flyway"
	Sqitch        Runner = "sqitch"
	Prisma        Runner = "prisma"
	Diesel        Runner = "diesel"
)

// Runners lists every runner, in the order messages name them.
var Runners = []Runner{Plain, GolangMigrate, Goose, Dbmate, Flyway, Sqitch, Prisma, Diesel}

// ParseRunner checks a runner name.
func ParseRunner(name string) (Runner, error) {
	for _, r := range Runners {
		if string(r) == name {
			return r, nil
		}
	}
	names := make([]string, len(Runners))
	for i, r := range Runners {
		names[i] = string(r)
	}
	return "", fmt.Errorf("unknown runner %q (want one of: %s)", name, strings.Join(names, ", "))
}

// HasDownForm says whether the runner has a way to write a down migration.
func (r Runner) HasDownForm() bool {
	switch r {
	case GolangMigrate, Goose, Dbmate, Flyway, Sqitch, Diesel:
		return true
	}
	return r.IsORM()
}

// Section is the part of a migration a statement belongs to.
type Section int

const (
	Up Section = iota
	Down
	Verify // sqitch verify scripts: read-only checks, never analysed for risk
)

func (s Section) String() string {
	switch s {
	case Down:
		return "down"
	case Verify:
		return "verify"
	}
	return "up"
}

// TxKind says why a statement runs inside a transaction block.
type TxKind int

const (
	NoTx       TxKind = iota // autocommit
	ExplicitTx               // BEGIN ... COMMIT written in the file
	RunnerTx                 // the runner wraps the migration in a transaction
	ImplicitTx               // several statements sent as one simple-protocol query
	// DoTx is the transaction a DO statement run outside a transaction block opens for
	// its body; the body's COMMITs and ROLLBACKs end it and start the next.
	DoTx
)

// Tx is the transaction a statement runs in.
type Tx struct {
	Kind TxKind
	// ID numbers the transactions of a file from 1; statements with equal IDs share one.
	ID int
}

// In reports whether the statement runs inside a transaction block.
func (t Tx) In() bool { return t.Kind != NoTx }

// Describe says, for messages, what puts the statement in a transaction.
func (t Tx) Describe(r Runner) string {
	switch t.Kind {
	case ExplicitTx:
		return "inside the BEGIN ... COMMIT block written in the file"
	case RunnerTx:
		return "inside the transaction " + string(r) + " wraps each migration in"
	case ImplicitTx:
		return "in the implicit transaction PostgreSQL opens when " + string(r) + " sends several statements as one query"
	case DoTx:
		return "inside the transaction of its DO block, which runs as one transaction (up to a COMMIT in its body)"
	}
	return "outside any transaction"
}

// File is a parsed migration.
type File struct {
	Path       string
	Source     *Source
	Runner     Runner
	Detected   bool // Runner was detected rather than configured
	Statements []*Statement
	Comments   []Comment
	// Errors are problems with the file as a whole (binary content, invalid UTF-8,
	// unknown runner directives). Syntax errors belong to their statements.
	Errors []*SyntaxError
	// Down describes the down migration that reverses this one.
	Down DownInfo
	// Mixed is set for a Flyway migration that mixes statements Flyway runs only outside
	// a transaction (CREATE INDEX CONCURRENTLY, VACUUM, ...) with ordinary ones. Flyway
	// refuses such a migration unless its `mixed` setting is on, and then runs all of it
	// outside a transaction; the statements here are assigned as if it were on.
	Mixed bool
	// NotAnalysed are the parts of an ORM migration its front end does not translate
	// (a RunPython, SQL built at run time): reported, never judged safe.
	NotAnalysed []Note
}

// Note is a part of a file nothing checks, and why.
type Note struct {
	Start, End int
	Message    string
}

// DownInfo locates a migration's down form.
type DownInfo struct {
	// Where is "section" when the down is a section of this file, "file" when it is a
	// sibling file, "" when the runner has no down form or this file is itself a down.
	Where string
	Path  string // the sibling file, when Where == "file"
	Found bool   // the section or file exists
	// Checked is true when Found can be trusted: the down is a section of this file, or
	// the sibling file was looked for (Options.ReadFile was set).
	Checked bool
	// ReadErr is why a sibling file that is there could not be read (a named pipe,
	// permissions): not Found, and not to be reported as absent either.
	ReadErr error
	// Statements are the down's statements (for a sibling file, parsed from it).
	Statements []*Statement
	// Text is the sibling file's text, which the statements' offsets index.
	Text string
	// For ORM migrations: the span of the down method or function (Start == End when
	// none), the operations the ORM cannot reverse, and Opaque when the down runs code
	// the front end does not translate, so its Statements may be incomplete.
	Start, End   int
	Irreversible []Irreversible
	Opaque       bool
}

// Options adjust Parse.
type Options struct {
	// Runner overrides detection when set.
	Runner Runner
	// ReadFile reads sibling files (down migrations, Diesel's metadata.toml). Nil means
	// siblings are unknown: the down migration's presence is then not judged.
	ReadFile func(path string) ([]byte, error)
	// Cache, when set, keeps the syntax trees of this document's statements between
	// parses, so an edit re-parses only the statements it changed.
	Cache *ParseCache
	// PGVersion is the target PostgreSQL major; which statements Flyway runs outside a
	// transaction depends on it. Zero means the newest the knowledge base knows.
	PGVersion int
	// Parsed, when set, gives a sibling file already parsed (a down migration checked
	// as a file of its own, by `check` given both): its statements serve as the down's
	// instead of reading and parsing the file a second time. Nil, or nil for a path,
	// reads the sibling through ReadFile.
	Parsed func(path string) *File
}

// Parse reads a migration file. It never fails: problems are recorded in the File.
func Parse(path, text string, opts Options) *File {
	f := &File{Path: path, Source: NewSource(text)}
	f.Statements, f.Comments, f.Errors = parseText(text, opts.Cache)
	f.Runner, f.Detected = opts.Runner, false
	if f.Runner == "" {
		f.Runner, f.Detected = Detect(path, f.Comments), true
	}
	switch f.Runner {
	case Goose:
		f.Errors = append(f.Errors, gooseErrors(f)...)
	case Dbmate:
		f.Errors = append(f.Errors, dbmateErrors(f)...)
	}
	f.assignSections()
	f.assignTransactions(opts)
	f.readBodies(opts)
	f.findDown(opts)
	return f
}

// DetectText is Detect before parsing, from the text's whole-line comments (where
// runner directives are written): it lets a batch place files in their migration
// sets while they are still being parsed. Parse's own detection decides in the end.
func DetectText(path, text string) Runner {
	for len(text) > 0 {
		line := text
		if i := strings.IndexByte(text, '\n'); i >= 0 {
			line, text = text[:i], text[i+1:]
		} else {
			text = ""
		}
		if t := strings.TrimSpace(line); strings.HasPrefix(t, "--") {
			if r, ok := directiveRunner(t); ok {
				return r
			}
		}
	}
	return detectByName(path)
}

// Detect names the runner of a file from its directives and its path.
func Detect(path string, comments []Comment) Runner {
	for _, c := range comments {
		if r, ok := directiveRunner(c.Text); ok {
			return r
		}
	}
	return detectByName(path)
}

// directiveRunner is the runner whose directive a comment is. A "+goose" line that
// goose refuses ("-- +goose Dwon") still names goose, so that the refusal is reported.
func directiveRunner(comment string) (Runner, bool) {
	if a, _, ok := gooseLine(comment); ok && strings.HasPrefix(strings.TrimLeft(strings.TrimPrefix(comment, "--"), " \t"), "+goose") && a != "" {
		return Goose, true
	}
	if _, _, ok := dbmateDirective(comment); ok {
		return Dbmate, true
	}
	return "", false
}

// detectByName is the runner a file's path names, for a file without directives.
func detectByName(path string) Runner {
	base := filepath.Base(path)
	dir := filepath.Base(filepath.Dir(path))
	switch {
	case isGolangMigrateName(base):
		return GolangMigrate
	case isFlywayName(base):
		return Flyway
	case base == "up.sql" || base == "down.sql":
		return Diesel
	case base == "migration.sql" && filepath.Base(filepath.Dir(filepath.Dir(path))) == "migrations":
		return Prisma
	case dir == "deploy" || dir == "revert" || dir == "verify":
		return Sqitch
	}
	return Plain
}

// The runners read their directives from lines, not from SQL comments: the functions
// below read a comment's text as its runner reads the line the comment starts, and are
// the one reading of them (directives.go reports the mistakes, the code here splits
// sections and transactions by them). A comment that does not start its line (after
// SQL: "SELECT 1; -- +goose Down") is none for either runner (startsLine).

// startsLine says whether the comment at offset start of text begins its line.
func startsLine(text string, start int) bool { return start == 0 || text[start-1] == '\n' }

// gooseLine reads a comment as goose (v3.30) reads its line: one that starts with "--"
// and contains "+goose" anywhere is an annotation line ("-- see the +goose docs" is one,
// and refused); its annotation is what remains without the "--"s and the first
// "+goose", trimmed ("-- +gooseDown" is Down). again says a second "+goose" follows,
// which goose refuses too.
func gooseLine(comment string) (annotation string, again, ok bool) {
	if !strings.HasPrefix(comment, "--") || !strings.Contains(comment, "+goose") {
		return "", false, false // most comments: nothing to allocate
	}
	cmd := strings.Replace(strings.ReplaceAll(comment, "--", ""), "+goose", "", 1)
	return strings.TrimSpace(cmd), strings.Contains(cmd, "+goose"), true
}

// gooseDirective is the annotation a comment starting its line makes, upper-case
// ("UP", "NO TRANSACTION"): ok only for one goose knows (gooseAnnotations), which
// goose compares without case.
func gooseDirective(comment string) (string, bool) {
	a, again, ok := gooseLine(comment)
	if !ok || again || !gooseAnnotations[strings.ToLower(a)] {
		return "", false
	}
	return strings.ToUpper(a), true
}

// dbmateLine reads a comment as dbmate (v2.28) reads its line: a directive is "--",
// optional whitespace, and a word "migrate:..." (dbmate's ^--\s*migrate:); the
// options follow after whitespace ("migrate:down\ttransaction:false"). word is the
// whole first word ("migrate:dwon" too).
func dbmateLine(comment string) (word string, options []string, ok bool) {
	t := strings.TrimLeft(strings.TrimPrefix(comment, "--"), " \t")
	if !strings.HasPrefix(comment, "--") || !strings.HasPrefix(t, "migrate:") {
		return "", nil, false // most comments: no field list to allocate
	}
	fields := strings.Fields(t)
	return fields[0], fields[1:], true
}

// dbmateDirective parses "-- migrate:up transaction:false": ok only for the two
// directives dbmate knows.
func dbmateDirective(comment string) (section string, noTx bool, ok bool) {
	word, options, ok := dbmateLine(comment)
	if !ok || (word != "migrate:up" && word != "migrate:down") {
		return "", false, false
	}
	return strings.TrimPrefix(word, "migrate:"), slices.Contains(options, "transaction:false"), true
}

func (f *File) assignSections() {
	base := filepath.Base(f.Path)
	fileSection := Up
	switch f.Runner {
	case GolangMigrate:
		if strings.HasSuffix(base, ".down.sql") {
			fileSection = Down
		}
	case Diesel:
		if base == "down.sql" {
			fileSection = Down
		}
	case Flyway:
		if strings.HasPrefix(base, "U") {
			fileSection = Down
		}
	case Sqitch:
		switch filepath.Base(filepath.Dir(f.Path)) {
		case "revert":
			fileSection = Down
		case "verify":
			fileSection = Verify
		}
	}
	if f.Runner != Goose && f.Runner != Dbmate {
		for _, s := range f.Statements {
			s.Section = fileSection
		}
		return
	}
	// Directive runners: a statement belongs to the last section directive before it.
	ci := 0
	section := Up
	for _, s := range f.Statements {
		for ci < len(f.Comments) && f.Comments[ci].Start < s.Start {
			if sec, ok := f.sectionDirective(f.Comments[ci]); ok {
				section = sec
			}
			ci++
		}
		s.Section = section
	}
}

// sectionDirective is the section a comment starts, if it is a section directive.
func (f *File) sectionDirective(c Comment) (Section, bool) {
	if !startsLine(f.Source.Text, c.Start) {
		return Up, false
	}
	text := c.Text
	if f.Runner == Goose {
		d, ok := gooseDirective(text)
		switch {
		case ok && d == "UP":
			return Up, true
		case ok && d == "DOWN":
			return Down, true
		}
		return Up, false
	}
	sec, _, ok := dbmateDirective(text)
	if !ok {
		return Up, false
	}
	if sec == "down" {
		return Down, true
	}
	return Up, true
}

// assignTransactions decides, statement by statement, whether it runs in a transaction.
func (f *File) assignTransactions(opts Options) {
	runnerWraps, batched := f.runnerMode(opts)
	nextID := 0
	// Sections are transactions of their own: goose and dbmate run up and down apart.
	sectionTx := map[Section]int{}
	sectionCount := map[Section]int{}
	for _, s := range f.Statements {
		sectionCount[s.Section]++
	}
	explicit := 0 // current explicit transaction ID, 0 when none
	for _, s := range f.Statements {
		switch txControl(s.Node) {
		case txBegin:
			nextID++
			explicit = nextID
			s.Tx = Tx{Kind: ExplicitTx, ID: explicit}
			continue
		case txEnd:
			if explicit != 0 {
				s.Tx = Tx{Kind: ExplicitTx, ID: explicit}
				explicit = 0
				continue
			}
		}
		if explicit != 0 {
			s.Tx = Tx{Kind: ExplicitTx, ID: explicit}
			continue
		}
		wrap := NoTx
		switch {
		case runnerWraps:
			wrap = RunnerTx
		case batched && sectionCount[s.Section] > 1:
			wrap = ImplicitTx
		}
		if wrap == NoTx {
			continue
		}
		id, ok := sectionTx[s.Section]
		if !ok {
			nextID++
			id = nextID
			sectionTx[s.Section] = id
		}
		s.Tx = Tx{Kind: wrap, ID: id}
	}
}

// runnerMode says whether the runner wraps the migration in its own transaction, and
// whether it sends a whole section to the server as one multi-statement query (which
// PostgreSQL runs as one implicit transaction).
func (f *File) runnerMode(opts Options) (wraps, batched bool) {
	switch f.Runner {
	case Goose:
		for _, c := range f.Comments {
			if d, ok := gooseDirective(c.Text); ok && d == "NO TRANSACTION" && startsLine(f.Source.Text, c.Start) {
				return false, false
			}
		}
		return true, false
	case Dbmate:
		for _, c := range f.Comments {
			if _, noTx, ok := dbmateDirective(c.Text); ok && noTx && startsLine(f.Source.Text, c.Start) {
				return false, true
			}
		}
		return true, false
	case Diesel:
		if opts.ReadFile != nil {
			meta, err := opts.ReadFile(filepath.Join(filepath.Dir(f.Path), "metadata.toml"))
			if err == nil && dieselNoTx.Match(meta) {
				return false, true
			}
		}
		return true, false
	case Flyway:
		return f.flywayWraps(opts), false
	case GolangMigrate, Prisma:
		return false, true
	}
	return false, false
}

var (
	dieselNoTx = regexp.MustCompile(`(?m)^\s*run_in_transaction\s*=\s*false\b`)
	flywayNoTx = regexp.MustCompile(`(?m)^\s*executeInTransaction\s*=\s*false\b`)
)

// flywayWraps says whether Flyway runs the migration in a transaction. Flyway decides
// per script: off when the script's V1__x.sql.conf says executeInTransaction=false, or
// when its parser recognises a statement that cannot run in a transaction block; a
// script with both kinds of statement is refused unless `mixed` is on (recorded in
// f.Mixed).
func (f *File) flywayWraps(opts Options) bool {
	if opts.ReadFile != nil {
		if conf, err := opts.ReadFile(f.Path + ".conf"); err == nil && flywayNoTx.Match(conf) {
			return false
		}
	}
	v := opts.PGVersion
	if v == 0 {
		v = locks.Versions[len(locks.Versions)-1]
	}
	nonTx, tx := false, false
	for _, s := range f.Statements {
		if s.Node == nil {
			continue
		}
		if FlywayNonTransactional(s.Node, v) {
			nonTx = true
		} else {
			tx = true
		}
	}
	f.Mixed = nonTx && tx
	return !nonTx
}

// FlywayNonTransactional mirrors the statements Flyway's PostgreSQL parser recognises
// as unable to run in a transaction: the knowledge base's NoTransaction statements
// except REINDEX ... CONCURRENTLY, DETACH PARTITION ... CONCURRENTLY and a DO block
// that commits, which Flyway does not recognise (it runs them in its transaction, where they fail), plus REINDEX
// SCHEMA/DATABASE/SYSTEM, CREATE/DROP DATABASE, TABLESPACE or SUBSCRIPTION, ALTER
// SYSTEM and DISCARD ALL. A DO block is never recognised, whatever it does.
func FlywayNonTransactional(n *pg.Node, v int) bool {
	switch {
	case n.GetReindexStmt() != nil:
		k := n.GetReindexStmt().Kind
		return k == pg.ReindexObjectType_REINDEX_OBJECT_SCHEMA || k == pg.ReindexObjectType_REINDEX_OBJECT_DATABASE ||
			k == pg.ReindexObjectType_REINDEX_OBJECT_SYSTEM
	case n.GetCreatedbStmt() != nil, n.GetDropdbStmt() != nil, n.GetCreateTableSpaceStmt() != nil,
		n.GetDropTableSpaceStmt() != nil, n.GetCreateSubscriptionStmt() != nil, n.GetDropSubscriptionStmt() != nil,
		n.GetAlterSystemStmt() != nil:
		return true
	case n.GetDiscardStmt() != nil:
		return n.GetDiscardStmt().Target == pg.DiscardMode_DISCARD_ALL
	case n.GetDoStmt() != nil:
		// Flyway's parser does not look into a DO block: one that commits per batch runs
		// in Flyway's transaction, and fails, unless the script's .conf turns it off.
		return false
	}
	if !locks.MayLeaveTransaction(n) {
		return false // most statements: Classify builds a whole lock analysis to say no
	}
	a := locks.Classify(n, v, nil)
	for _, p := range a.Parts {
		if p.Shape == locks.DetachPartitionConcurrently || p.Shape == locks.DoCommit {
			return false
		}
	}
	return a.NoTransaction
}

type txControlKind int

const (
	txNone txControlKind = iota
	txBegin
	txEnd
)

func txControl(n *pg.Node) txControlKind {
	if n == nil {
		return txNone
	}
	ts := n.GetTransactionStmt()
	if ts == nil {
		return txNone
	}
	switch ts.Kind {
	case pg.TransactionStmtKind_TRANS_STMT_BEGIN, pg.TransactionStmtKind_TRANS_STMT_START:
		return txBegin
	case pg.TransactionStmtKind_TRANS_STMT_COMMIT, pg.TransactionStmtKind_TRANS_STMT_ROLLBACK,
		pg.TransactionStmtKind_TRANS_STMT_PREPARE:
		return txEnd
	}
	return txNone
}

// findDown locates the down migration for an up migration.
func (f *File) findDown(opts Options) {
	if f.Runner == Prisma {
		// Prisma keeps no down migrations; its documented rollback runs a down.sql kept
		// beside migration.sql. Read it when there is one, without asking for it.
		if filepath.Base(f.Path) == "migration.sql" && opts.ReadFile != nil {
			p := filepath.Join(filepath.Dir(f.Path), "down.sql")
			if text, stmts, err := readSibling(p, opts); err == nil {
				f.Down = DownInfo{Where: "file", Path: p, Found: true, Checked: true, Text: text, Statements: stmts}
			}
		}
		return
	}
	if !f.Runner.HasDownForm() && DownSibling(f.Path, f.Runner) == "" {
		return
	}
	for _, s := range f.Statements {
		if s.Section == Down {
			f.Down.Statements = append(f.Down.Statements, s)
		}
	}
	if f.Runner == Goose || f.Runner == Dbmate {
		f.Down.Where = "section"
		f.Down.Checked = true
		for _, c := range f.Comments {
			if sec, ok := f.sectionDirective(c); ok && sec == Down {
				f.Down.Found = true
			}
		}
		return
	}
	sibling := DownSibling(f.Path, f.Runner)
	if sibling == "" {
		return
	}
	f.Down.Where = "file"
	f.Down.Path = sibling
	if opts.ReadFile == nil {
		return
	}
	f.Down.Checked = true
	text, stmts, err := readSibling(f.Down.Path, opts)
	switch {
	case err == nil:
		f.Down.Found, f.Down.Text, f.Down.Statements = true, text, stmts
	case !errors.Is(err, fs.ErrNotExist):
		f.Down.ReadErr = err
	}
}

// readSibling reads and splits a down migration's file, or takes the statements of its
// parse when Options.Parsed has it. A down file's statements are those of its text
// alone: no section, transaction or DO body is read into them (its own parse reads
// those, for the file on its own), so the shared ones are copied without them.
func readSibling(path string, opts Options) (text string, stmts []*Statement, err error) {
	if opts.Parsed != nil {
		if d := opts.Parsed(path); d != nil {
			slab := make([]Statement, len(d.Statements))
			stmts = make([]*Statement, len(d.Statements))
			for i, s := range d.Statements {
				slab[i] = *s
				slab[i].Section, slab[i].Tx, slab[i].Body = Up, Tx{}, nil
				stmts[i] = &slab[i]
			}
			return d.Source.Text, stmts, nil
		}
	}
	data, err := opts.ReadFile(path)
	if err != nil {
		return "", nil, err
	}
	text = string(data)
	stmts, _, _ = parseText(text, nil)
	return text, stmts, nil
}

// Package trace runs a migration against a real PostgreSQL and reports what each
// statement did there: the locks it took and how long they were held, whether it
// rewrote or scanned a table, how long it ran, and where migsafe's static analysis
// said otherwise.
//
// Safety: statements run in a transaction that is rolled back. On a throwaway cluster
// (the default) earlier migrations and seed rows are committed, since the cluster is
// discarded; on a database given with a DSN nothing is ever committed, and statements
// that cannot run in a transaction are not run.
package trace

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	pg "github.com/pganalyze/pg_query_go/v5"

	"github.com/migsafe/migsafe/engine"
	"github.com/migsafe/migsafe/engine/config"
	"github.com/migsafe/migsafe/engine/locks"
	"github.com/migsafe/migsafe/engine/migration"
	"github.com/migsafe/migsafe/engine/orm"
	"github.com/migsafe/migsafe/engine/runbook"
	"github.com/migsafe/migsafe/internal/pgcluster"
)

// Options configure a trace.
type Options struct {
	// DSN is a database to trace against; "" starts a throwaway cluster.
	DSN string
	// AllowRemote permits a DSN that is not a local socket or loopback address.
	AllowRemote bool
	// Major is the throwaway cluster's PostgreSQL major; 0 takes the config's
	// pg_version.
	Major int
	// SeedRows fills each table the migration touches with this many rows first.
	SeedRows int
	// Verify runs the runbook's verification queries after up (and, in a round trip,
	// after down), taking its in-database backups first.
	Verify bool
	// Config is the configuration for the static analysis; nil loads the file's own.
	Config *config.Config
}

// Lock is one lock a statement took.
type Lock struct {
	Relation string        `json:"relation"`
	Mode     string        `json:"mode"`
	Held     time.Duration `json:"heldNs"` // from the statement's start to the end of its transaction
}

// Statement is what one statement did.
type Statement struct {
	Line     int           `json:"line"`
	Text     string        `json:"statement"`
	Duration time.Duration `json:"durationNs"`
	Locks    []Lock        `json:"locks"`
	// Rewrote and Scanned name the relations that got a new file with data, and the
	// tables whose rows were read.
	Rewrote []string `json:"rewrote"`
	Scanned []string `json:"scanned"`
	// Expected is migsafe's static analysis of the statement.
	Expected []Lock `json:"expected"`
	// Disagreements are the differences between the analysis and what happened.
	Disagreements []string `json:"disagreements"`
	// Outside is true for a statement that ran outside the trace transaction (it
	// cannot run in one); its locks were sampled from another session while it ran.
	Outside bool   `json:"outsideTransaction,omitempty"`
	Skipped string `json:"skipped,omitempty"`
	Error   string `json:"error,omitempty"`
	started time.Time
}

// Report is a traced migration.
type Report struct {
	Path       string       `json:"path"`
	Target     string       `json:"target"` // "throwaway PostgreSQL 15.14" or the redacted DSN
	Server     string       `json:"serverVersion"`
	SeedRows   int          `json:"seedRows"`
	Applied    []string     `json:"applied"` // earlier migrations applied first
	Statements []*Statement `json:"statements"`
	// Checks are the verification queries' results (with Options.Verify).
	Checks []Check `json:"checks,omitempty"`
}

// Failed returns the statements that failed: the migration would stop at the first.
func (r *Report) Failed() []*Statement {
	var out []*Statement
	for _, s := range r.Statements {
		if s.Error != "" {
			out = append(out, s)
		}
	}
	return out
}

// Run traces the up section of the migration at path.
func Run(ctx context.Context, path string, opts Options) (*Report, error) {
	res, err := analyze(path, opts.Config)
	if err != nil {
		return nil, err
	}
	db, err := open(ctx, res.Config, opts)
	if err != nil {
		return nil, err
	}
	defer db.close()
	rep := &Report{Path: path, Target: db.target, Server: db.version, SeedRows: opts.SeedRows}

	// On a throwaway cluster the setup is committed; on someone's database it happens
	// inside the trace transaction and is rolled back with it.
	if db.owned {
		if rep.Applied, err = applyEarlier(ctx, db.conn, res); err != nil {
			return nil, err
		}
	} else if _, err := db.conn.Exec(ctx, "BEGIN"); err != nil {
		return nil, err
	}
	if opts.SeedRows > 0 {
		if err := seed(ctx, db.conn, touchedTables(res), opts.SeedRows); err != nil {
			return nil, err
		}
	}
	v := newVerifier(res, db.conn, opts.Verify)
	if err := v.before(ctx); err != nil {
		return nil, err
	}
	if db.owned {
		if _, err := db.conn.Exec(ctx, "BEGIN"); err != nil {
			return nil, err
		}
	}
	t := &tracer{ctx: ctx, db: db}
	for i, st := range res.File.Statements {
		if st.Section != migration.Up {
			continue
		}
		s := &Statement{Line: line(res.File, st), Text: strings.TrimSpace(st.Text)}
		rep.Statements = append(rep.Statements, s)
		if isTxControl(st.Outline()) {
			s.Skipped = "skipped: transaction control; trace runs the whole up section in one transaction of its own, rolled back at the end"
			continue
		}
		// A statement that does not parse runs all the same: PostgreSQL's own error is
		// what the migration would stop with.
		t.statement(s, st, res.Statements[i].WithBody())
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	}
	t.release(time.Now())
	if v != nil {
		v.inTx = true
		v.run(ctx, runbook.AfterUp)
		rep.Checks = v.checks()
	}
	if _, err := db.conn.Exec(ctx, "ROLLBACK"); err != nil {
		return nil, err
	}
	return rep, nil
}

// analyze analyses the migration in its migration set, as check does: against the
// catalog its earlier migrations leave, which the runbook's verification reads.
func analyze(path string, cfg *config.Config) (*engine.Result, error) {
	if cfg == nil {
		var err error
		if cfg, err = config.ForFile(path, nil); err != nil {
			return nil, err
		}
	}
	out := engine.AnalyzeBatch([]engine.Job{{Path: path, Config: cfg, OnDisk: true}}, engine.BatchOptions{Workers: 1})
	return out[0].Result, out[0].Err
}

// database is the connection a trace runs on.
type database struct {
	conn    *pgx.Conn
	watch   *pgx.Conn // a second session, to sample locks of statements run outside a transaction
	cluster *pgcluster.Cluster
	owned   bool
	target  string
	version string
}

func open(ctx context.Context, cfg *config.Config, opts Options) (*database, error) {
	db := &database{}
	dsn := opts.DSN
	if dsn == "" {
		major := opts.Major
		if major == 0 {
			major = cfg.PGVersion
		}
		c, err := pgcluster.Start(ctx, pgcluster.Options{Major: major})
		if err != nil {
			return nil, err
		}
		db.cluster, db.owned, dsn = c, true, c.DSN()
		db.target = "throwaway PostgreSQL " + c.Version
	} else {
		shown, err := RedactDSN(dsn)
		if err != nil {
			return nil, fmt.Errorf("--dsn: %w", err)
		}
		if !opts.AllowRemote {
			if err := CheckLocal(dsn); err != nil {
				return nil, err
			}
		}
		db.target = shown
	}
	var err error
	if db.conn, err = pgx.Connect(ctx, dsn); err != nil {
		db.close()
		return nil, RedactError(dsn, err)
	}
	if db.watch, err = pgx.Connect(ctx, dsn); err != nil {
		db.close()
		return nil, RedactError(dsn, err)
	}
	if err := db.conn.QueryRow(ctx, "SHOW server_version").Scan(&db.version); err != nil {
		db.close()
		return nil, err
	}
	return db, nil
}

func (db *database) close() {
	ctx := context.Background()
	if db.conn != nil {
		db.conn.Close(ctx)
	}
	if db.watch != nil {
		db.watch.Close(ctx)
	}
	if db.cluster != nil {
		db.cluster.Stop()
	}
}

// applyEarlier runs the up sections of the migrations before this one in its
// migration set (engine/project's order for the runner), so that the tables it
// changes exist.
func applyEarlier(ctx context.Context, conn *pgx.Conn, res *engine.Result) ([]string, error) {
	h := res.History
	if h == nil {
		return nil, nil
	}
	var applied []string
	for _, m := range h.Set.Migrations[:h.Index] {
		if m.Opaque {
			return nil, fmt.Errorf("%s: cannot apply the earlier migration %s (migsafe cannot read it)", res.File.Path, m.Up)
		}
		data, err := os.ReadFile(m.Up)
		if err != nil {
			return nil, err
		}
		// An ORM migration is read through its front end, as the analysis reads it:
		// read as SQL, Ruby or Python holds no statement and nothing would be created.
		var prev *migration.File
		if orm.Language(m.Up) != "" {
			prev = engine.ParseFile(m.Up, string(data), res.Config, os.ReadFile, nil)
		} else {
			prev = migration.Parse(m.Up, string(data), migration.Options{Runner: h.Set.Runner})
		}
		var ups []*migration.Statement
		for _, st := range prev.Statements {
			if st.Section == migration.Up && st.Node != nil && !isTxControl(st.Node) {
				ups = append(ups, st)
			}
		}
		if err := execAsRunner(ctx, conn, ups, func(st *migration.Statement, err error) error {
			return fmt.Errorf("%s:%d: applying earlier migration: %w", m.Up, line(prev, st), err)
		}); err != nil {
			return nil, err
		}
		applied = append(applied, m.Up)
	}
	return applied, nil
}

func line(f *migration.File, st *migration.Statement) int {
	return f.Source.Position(st.Start, migration.CodePoints).Line + 1
}

func isTxControl(n *pg.Node) bool {
	return n.GetTransactionStmt() != nil
}

// touchedTables lists the tables the static analysis says the migration locks.
func touchedTables(res *engine.Result) []string {
	seen := map[string]bool{}
	var out []string
	for _, sr := range res.Statements {
		if sr.Stmt.Section != migration.Up {
			continue
		}
		for _, l := range sr.WithBody().Locks {
			if l.Relation != "" && l.Role != "index" && !seen[l.Relation] {
				seen[l.Relation] = true
				out = append(out, l.Relation)
			}
		}
	}
	return out
}

// tracer runs statements one by one in the trace transaction.
type tracer struct {
	ctx context.Context
	db  *database
	// out holds the statements whose locks are held until the transaction ends.
	out []*Statement
}

// relation is a row of pg_class as the tracer sees it.
type relation struct {
	name     string
	kind     string
	filenode uint32
	bytes    int64
	read     int64 // seq_tup_read of this session, including the open transaction
}

type lockKey struct {
	oid  uint32
	mode string
}

func (t *tracer) statement(s *Statement, st *migration.Statement, a locks.Analysis) {
	for _, l := range a.Locks {
		s.Expected = append(s.Expected, Lock{Relation: l.Relation, Mode: l.Mode.String()})
	}
	if a.NoTransaction {
		t.outside(s, st, a)
		return
	}
	ctx, conn := t.ctx, t.db.conn
	before, err := relations(ctx, conn)
	if err != nil {
		s.Error = err.Error()
		return
	}
	held, err := heldLocks(ctx, conn, conn.PgConn().PID())
	if err != nil {
		s.Error = err.Error()
		return
	}
	if _, err := conn.Exec(ctx, "SAVEPOINT migsafe_trace"); err != nil {
		s.Error = err.Error()
		return
	}
	s.started = time.Now()
	_, err = conn.Exec(ctx, st.Text)
	s.Duration = time.Since(s.started)
	if err != nil {
		s.Error = err.Error()
		if _, rerr := conn.Exec(ctx, "ROLLBACK TO SAVEPOINT migsafe_trace"); rerr != nil {
			s.Error += "; " + rerr.Error()
		}
		return
	}
	after, err := relations(ctx, conn)
	if err != nil {
		s.Error = err.Error()
		return
	}
	now, err := heldLocks(ctx, conn, conn.PgConn().PID())
	if err != nil {
		s.Error = err.Error()
		return
	}
	for k := range now {
		if held[k] {
			continue
		}
		if r := relName(k.oid, before, after); r != nil {
			s.Locks = append(s.Locks, Lock{Relation: r.name, Mode: modeName(k.mode)})
		}
	}
	// A mode the transaction already held is not taken again: it does not show as a
	// new lock, and is no disagreement.
	already := map[string]locks.Mode{}
	for k := range held {
		if r := relName(k.oid, before, after); r != nil {
			if m, ok := locks.ParseMode(k.mode); ok && m > already[r.name] {
				already[r.name] = m
			}
		}
	}
	s.Rewrote, s.Scanned = changes(before, after)
	s.Disagreements = compare(s, a, before, already)
	t.out = append(t.out, s)
}

// outside runs a statement that cannot run in a transaction: only on a throwaway
// cluster, after committing the statements before it (as the runner would have to),
// with its locks sampled from a second session while it runs.
func (t *tracer) outside(s *Statement, st *migration.Statement, a locks.Analysis) {
	if !t.db.owned {
		s.Skipped = "not run: it cannot run inside a transaction, and a database given with --dsn is never changed"
		if st.Node.GetDoStmt() != nil {
			s.Skipped = "not run: it commits per batch, and a database given with --dsn is never changed; without --dsn it runs in full on a throwaway cluster"
		}
		return
	}
	ctx, conn := t.ctx, t.db.conn
	s.Outside = true
	if _, err := conn.Exec(ctx, "COMMIT"); err != nil {
		s.Error = err.Error()
		return
	}
	t.release(time.Now())
	defer conn.Exec(ctx, "BEGIN")
	before, err := relations(ctx, conn)
	if err != nil {
		s.Error = err.Error()
		return
	}
	pid := conn.PgConn().PID()
	done := make(chan error, 1)
	s.started = time.Now()
	go func() { _, err := conn.Exec(ctx, st.Text); done <- err }()
	seen := map[lockKey]time.Time{}
	var runErr error
sample:
	for {
		select {
		case runErr = <-done:
			break sample
		default:
		}
		if held, err := heldLocks(ctx, t.db.watch, pid); err == nil {
			for k := range held {
				if _, ok := seen[k]; !ok {
					seen[k] = time.Now()
				}
			}
		}
		time.Sleep(time.Millisecond)
	}
	s.Duration = time.Since(s.started)
	if runErr != nil {
		s.Error = runErr.Error()
		return
	}
	after, err := relations(ctx, conn)
	if err != nil {
		s.Error = err.Error()
		return
	}
	for k := range seen {
		if r := relName(k.oid, before, after); r != nil {
			s.Locks = append(s.Locks, Lock{Relation: r.name, Mode: modeName(k.mode), Held: s.Duration})
		}
	}
	sortLocks(s.Locks)
	s.Rewrote, _ = changes(before, after)
	if st.Node.GetDoStmt() == nil {
		// A DO block's body (a batch job committing per batch) is not analysed
		// statically, so what it locked is no disagreement.
		s.Disagreements = compare(s, a, before, nil)
	}
}

// release ends the lock holding of the statements traced so far at end.
func (t *tracer) release(end time.Time) {
	for _, s := range t.out {
		for i := range s.Locks {
			s.Locks[i].Held = end.Sub(s.started)
		}
		sortLocks(s.Locks)
	}
	t.out = nil
}

func sortLocks(ls []Lock) {
	sort.Slice(ls, func(i, j int) bool {
		if ls[i].Relation != ls[j].Relation {
			return ls[i].Relation < ls[j].Relation
		}
		mi, _ := locks.ParseMode(ls[i].Mode)
		mj, _ := locks.ParseMode(ls[j].Mode)
		return mi > mj
	})
}

func modeName(pgName string) string {
	if m, ok := locks.ParseMode(pgName); ok {
		return m.String()
	}
	return pgName
}

func relName(oid uint32, before, after map[uint32]*relation) *relation {
	if r := before[oid]; r != nil {
		return r
	}
	return after[oid]
}

// relations reads the user relations (tables, views, matviews, indexes) with this
// session's scan counters. Views are watched because a statement that locks one
// (CREATE OR REPLACE VIEW, DROP VIEW: ACCESS EXCLUSIVE) blocks every query reading
// it; sequences are not, as every INSERT through a serial column locks its sequence.
func relations(ctx context.Context, conn *pgx.Conn) (map[uint32]*relation, error) {
	rows, err := conn.Query(ctx, `
SELECT c.oid, CASE WHEN n.nspname = 'public' THEN c.relname ELSE n.nspname || '.' || c.relname END,
       c.relkind::text, c.relfilenode,
       CASE WHEN c.relkind IN ('r', 'm', 'i', 't') THEN pg_relation_size(c.oid) ELSE 0 END,
       coalesce(s.seq_tup_read, 0)
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_stat_xact_user_tables s ON s.relid = c.oid
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND n.nspname NOT LIKE 'pg_temp%'
  AND c.relkind IN ('r', 'p', 'v', 'm', 'i', 'I')`)
	if err != nil {
		return nil, err
	}
	rels := map[uint32]*relation{}
	for rows.Next() {
		var oid uint32
		r := &relation{}
		if err := rows.Scan(&oid, &r.name, &r.kind, &r.filenode, &r.bytes, &r.read); err != nil {
			return nil, err
		}
		rels[oid] = r
	}
	return rels, rows.Err()
}

// heldLocks lists the relation locks (granted or awaited) of a backend.
func heldLocks(ctx context.Context, conn *pgx.Conn, pid uint32) (map[lockKey]bool, error) {
	rows, err := conn.Query(ctx, `
SELECT relation, mode FROM pg_locks
WHERE locktype = 'relation' AND pid = $1
  AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`, int32(pid))
	if err != nil {
		return nil, err
	}
	held := map[lockKey]bool{}
	for rows.Next() {
		var k lockKey
		if err := rows.Scan(&k.oid, &k.mode); err != nil {
			return nil, err
		}
		held[k] = true
	}
	return held, rows.Err()
}

// changes finds relations rewritten (a new file with data: TRUNCATE's new files are
// empty, and an empty btree keeps one metapage) and tables whose rows were read.
func changes(before, after map[uint32]*relation) (rewrote, scanned []string) {
	const page = 8192
	for oid, b := range before {
		a := after[oid]
		if a == nil {
			continue
		}
		if b.filenode != 0 && a.filenode != b.filenode && (a.bytes > page || (a.kind != "i" && a.bytes > 0)) {
			rewrote = append(rewrote, b.name)
		}
		if a.read > b.read {
			scanned = append(scanned, b.name)
		}
	}
	sort.Strings(rewrote)
	sort.Strings(scanned)
	return rewrote, scanned
}

// compare lists where the static analysis and the server disagree: a relation locked
// in another mode than predicted (unless the transaction already held at least the
// predicted mode), a lock that was not predicted on an existing table
// (reads excepted), a rewrite or a scan of a table with rows that was not predicted or
// did not happen.
func compare(s *Statement, a locks.Analysis, before map[uint32]*relation, already map[string]locks.Mode) []string {
	var out []string
	observed := map[string]locks.Mode{}
	for _, l := range s.Locks {
		m, _ := locks.ParseMode(l.Mode)
		if m > observed[l.Relation] {
			observed[l.Relation] = m
		}
	}
	existing := map[string]*relation{}
	for _, r := range before {
		existing[r.name] = r
	}
	predicted := map[string]bool{}
	for _, l := range a.Locks {
		// The analysis names relations as stored (the parser folds unquoted names,
		// keeps quoted ones), as pg_class does: lowering would miss "StepRun".
		name := strings.TrimPrefix(l.Relation, "public.")
		if name == "" {
			continue
		}
		predicted[name] = true
		got := observed[name]
		if got == 0 && existing[name] == nil {
			// No lock on a relation the trace did not list before the statement: one
			// that does not exist (DROP ... IF EXISTS of nothing locks nothing), or
			// one the trace does not watch (system catalogs, sequences). Either way the
			// server says nothing about the prediction.
			continue
		}
		if got != l.Mode && !(got < l.Mode && already[name] >= l.Mode) {
			out = append(out, fmt.Sprintf("migsafe predicted %s on %s; PostgreSQL took %s", l.Mode, name, got))
		}
	}
	// A rewrite or a scan shows only on a relation with rows (an empty table's new file
	// is as empty as TRUNCATE's): without rows, not seeing one is no disagreement.
	holdsRows := func(r *relation) bool {
		if r.kind == "i" || r.kind == "I" {
			return r.bytes > 8192 // an empty btree keeps its metapage
		}
		return r.bytes > 0
	}
	hasRows := false
	for name := range predicted {
		if r := existing[name]; r != nil && holdsRows(r) {
			hasRows = true
		}
	}
	if len(predicted) == 0 {
		// A statement on every table (VACUUM FULL, a database-wide REINDEX).
		for _, r := range existing {
			hasRows = hasRows || holdsRows(r)
		}
	}
	for name, m := range observed {
		r := existing[name]
		if predicted[name] || r == nil || r.kind == "i" || r.kind == "I" || m == locks.AccessShare {
			continue
		}
		out = append(out, fmt.Sprintf("PostgreSQL took %s on %s, which migsafe did not predict", m, name))
	}
	if rewrote := len(s.Rewrote) > 0; rewrote != a.Rewrite && (rewrote || hasRows) {
		out = append(out, fmt.Sprintf("migsafe predicted rewrite=%v; PostgreSQL rewrote %v", a.Rewrite, orNone(s.Rewrote)))
	}
	if !s.Outside {
		scanned := len(s.Scanned) > 0
		if scanned && !a.Scan && !a.Rewrite {
			out = append(out, fmt.Sprintf("PostgreSQL read every row of %v, which migsafe did not predict", s.Scanned))
		}
		if a.Scan && !scanned && hasRows {
			out = append(out, "migsafe predicted a scan; PostgreSQL read no rows")
		}
	}
	sort.Strings(out)
	return out
}

func orNone(names []string) string {
	if len(names) == 0 {
		return "nothing"
	}
	return strings.Join(names, ", ")
}

package locks_test

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	pg "github.com/pganalyze/pg_query_go/v5"

	"github.com/migsafe/migsafe/engine/locks"
	"github.com/migsafe/migsafe/engine/migration"
	"github.com/migsafe/migsafe/engine/sqlast"
	"github.com/migsafe/migsafe/internal/pgcluster"
	"github.com/migsafe/migsafe/internal/pgcluster/pgtest"
)

var update = flag.Bool("update", false, "rewrite docs/lock-matrix.md from the servers' answers")

const matrixPath = "../../docs/lock-matrix.md"

// TestOracle runs every shape's Example on every installed PostgreSQL major and checks
// that the knowledge base says exactly what the server did.
//
// Method, per shape and major, on a schema rebuilt from Fixture + ExampleNeeds:
//   - In a transaction (BEGIN; Example): the relation locks the backend holds, from
//     pg_locks joined to the fixture's relations, strongest mode per relation; rewrite
//     as a new relfilenode holding data, of the table or of its indexes; scan as a rise
//     of seq_tup_read in pg_stat_xact_user_tables (this backend's counters, read inside
//     the transaction) on any fixture table, or of seq_scan on an empty one.
//   - SQLSTATE 25001 ("cannot run inside a transaction block") or 2D000 ("invalid
//     transaction termination", a DO block's COMMIT) means NoTransaction, 42601 (syntax
//     error) or 0A000 (feature not supported) means Unsupported. The same statement is then also sent as
//     the multi-statement simple-protocol query "SELECT 1; Example", the way
//     golang-migrate sends a file, which must fail the same way.
//   - A statement that cannot run in a transaction runs in autocommit on a second
//     connection while the first holds the weakest lock that conflicts with the claimed
//     mode (for an index: a query reading through it); the modes it holds or waits
//     for once it waits are the modes it takes. Locks of later phases are not seen. A
//     scan is every page of the table passing through the buffer
//     manager (heap_blks_hit + heap_blks_read in pg_statio_user_tables), read once the
//     statement's counters have reached the cumulative statistics.
func TestOracle(t *testing.T) {
	available := pgcluster.Available()
	t.Logf("PostgreSQL majors installed: %v", available)
	if len(available) == 0 && len(pgtest.Required()) == 0 {
		t.Skip("no PostgreSQL binaries installed: run scripts/install-postgres.sh")
	}
	var majors []int
	results := map[string]map[int]observation{}
	volatility := map[string]map[int]volatilityObservation{}
	catalogsSeen := map[string]bool{}
	for _, major := range locks.Versions {
		if testing.Short() && major != available[len(available)-1] {
			continue
		}
		t.Run(strconv.Itoa(major), func(t *testing.T) {
			pgtest.Need(t, major)
			majors = append(majors, major)
			o := startOracle(t, major)
			for _, s := range locks.Shapes {
				t.Run(s.ID, func(t *testing.T) {
					got, err := o.observeWithin(s, shapeDeadline)
					if err != nil {
						t.Fatal(err)
					}
					if results[s.ID] == nil {
						results[s.ID] = map[int]observation{}
					}
					results[s.ID][major] = got
					for _, m := range got.mismatches(o.expect(s)) {
						t.Errorf("%s on PostgreSQL %d: %s\n  statement: %s", s.ID, major, m, s.Example)
					}
				})
			}
			t.Run("system-catalogs", func(t *testing.T) {
				for _, name := range o.checkSystemCatalogs(t) {
					catalogsSeen[name] = true
				}
			})
			if major >= migration.GrammarMajor {
				t.Run("newer-syntax", o.checkNewerSyntax)
			}
			t.Run("volatility", func(t *testing.T) {
				for name, obs := range o.checkVolatility(t) {
					if volatility[name] == nil {
						volatility[name] = map[int]volatilityObservation{}
					}
					volatility[name][major] = obs
				}
			})
		})
	}
	for _, s := range locks.Shapes {
		if len(results[s.ID]) != len(majors) {
			return // a -run subset or a failed major: the matrix would be partial
		}
	}
	for _, f := range locks.Functions {
		if len(volatility[f.Name]) != len(majors) {
			return
		}
	}
	if len(majors) == len(locks.Versions) {
		for _, name := range locks.SystemCatalogs {
			if !catalogsSeen[name] {
				t.Errorf("system catalog %s is on no major from %d to %d", name, locks.Versions[0], locks.Versions[len(locks.Versions)-1])
			}
		}
	}
	doc := renderMatrix(majors, results) + renderVolatility(majors, volatility)
	if testing.Verbose() {
		t.Log("\n" + doc)
	}
	if *update {
		if err := os.WriteFile(matrixPath, []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	old, err := os.ReadFile(matrixPath)
	if err != nil {
		t.Fatalf("%v (run go test ./engine/locks -run TestOracle -update)", err)
	}
	if !testing.Short() && strings.Contains(string(old), majorsLine(majors)) && string(old) != doc {
		t.Errorf("%s is out of date: run go test ./engine/locks -run TestOracle -update", matrixPath)
	}
}

// observation is what the server did.
type observation struct {
	Table, Other locks.Mode
	// Indexes is the strongest lock on the table's existing indexes other than the
	// one named as Other; measured only inside a transaction.
	Indexes         locks.Mode
	IndexesMeasured bool
	TableName       string
	OtherName       string
	Rewrite, Scan   bool
	NoTransaction   bool
	Unsupported     bool
	// MultiStatementRefused: "SELECT 1; Example" failed with 25001.
	MultiStatementRefused bool
	// Extra are locks on fixture tables the shape does not name; Reads are the ACCESS
	// SHARE locks among them (a query reading its source tables, which conflicts only
	// with ACCESS EXCLUSIVE and is not a fact about the shape).
	Extra, Reads []string
	// Scanned names the tables whose seq_scan rose.
	Scanned []string
	// Waited is set when locks were seen by blocking (outside a transaction).
	Waited bool
	// ScanMeasured is false where the scan could not be read.
	ScanMeasured bool
}

func (o observation) mismatches(want locks.Facts) []string {
	var out []string
	if o.Unsupported != want.Unsupported {
		out = append(out, fmt.Sprintf("server says unsupported=%v, knowledge base says %v", o.Unsupported, want.Unsupported))
		return out
	}
	if o.Unsupported {
		return nil
	}
	if o.NoTransaction != want.NoTransaction {
		out = append(out, fmt.Sprintf("server refuses it in a transaction block: %v, knowledge base NoTransaction=%v", o.NoTransaction, want.NoTransaction))
	}
	if o.MultiStatementRefused != o.NoTransaction {
		out = append(out, fmt.Sprintf("refused in BEGIN block: %v, but refused in a multi-statement query: %v", o.NoTransaction, o.MultiStatementRefused))
	}
	if o.Table != want.Table {
		out = append(out, fmt.Sprintf("lock on %s: server %v, knowledge base %v", o.TableName, o.Table, want.Table))
	}
	if o.IndexesMeasured && o.Indexes != want.Indexes {
		out = append(out, fmt.Sprintf("lock on the indexes of %s: server %v, knowledge base %v", o.TableName, o.Indexes, want.Indexes))
	}
	if want.OtherRole != "" && o.Other != want.Other {
		out = append(out, fmt.Sprintf("lock on %s %s: server %v, knowledge base %v", want.OtherRole, o.OtherName, o.Other, want.Other))
	}
	if o.Rewrite != want.Rewrite {
		out = append(out, fmt.Sprintf("rewrite: server %v, knowledge base %v", o.Rewrite, want.Rewrite))
	}
	if o.ScanMeasured && o.Scan != want.Scan {
		out = append(out, fmt.Sprintf("scan: server %v (seq_scan rose on %v), knowledge base %v", o.Scan, o.Scanned, want.Scan))
	}
	for _, e := range o.Extra {
		out = append(out, "unexpected lock "+e)
	}
	return out
}

type oracle struct {
	t       *testing.T
	major   int
	ctx     context.Context
	cluster *pgcluster.Cluster
	conn    *pgx.Conn // runs the statements
	other   *pgx.Conn // holds blocking locks
}

func startOracle(t *testing.T, major int) *oracle {
	ctx := context.Background()
	c, err := pgcluster.Start(ctx, pgcluster.Options{Major: major, Settings: map[string]string{
		"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Stop() })
	o := &oracle{t: t, major: major, ctx: ctx, cluster: c}
	if err := o.connect(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { o.conn.Close(ctx); o.other.Close(ctx) })
	// SET TABLESPACE needs a second tablespace to move to (moving to the current one
	// does nothing).
	if _, err := o.conn.Exec(ctx, fmt.Sprintf("CREATE TABLESPACE spare LOCATION '%s'", c.SpareDir())); err != nil {
		t.Fatal(err)
	}
	return o
}

// connect opens the oracle's two connections.
func (o *oracle) connect() error {
	ctx := context.Background()
	var err error
	if o.conn, err = pgx.Connect(ctx, o.cluster.DSN()); err != nil {
		return err
	}
	o.other, err = pgx.Connect(ctx, o.cluster.DSN())
	return err
}

// shapeDeadline bounds one shape's observation: each takes well under a second, so a
// shape past it waits for something nothing will release (a lock the other connection
// kept, a wait PostgreSQL added in a new version). Without it such a wait held the
// whole test until go test's timeout, naming no shape.
const shapeDeadline = 2 * time.Minute

// observeWithin observes s, failing past the deadline with the shape named; pgx
// closes a connection whose query it cancels, so both are opened again for the next
// shape.
func (o *oracle) observeWithin(s *locks.Shape, deadline time.Duration) (observation, error) {
	ctx, cancel := context.WithTimeout(context.Background(), deadline)
	defer cancel()
	o.ctx = ctx
	obs, err := o.observe(s)
	o.ctx = context.Background()
	if ctx.Err() == nil {
		return obs, err
	}
	o.conn.Close(o.ctx)
	o.other.Close(o.ctx)
	if cerr := o.connect(); cerr != nil {
		return obs, fmt.Errorf("%s: no observation in %v (%v), and reconnecting failed: %w", s.ID, deadline, err, cerr)
	}
	return obs, fmt.Errorf("%s: no observation in %v, a wait that nothing released: %v", s.ID, deadline, err)
}

// reset rebuilds the fixture schema for a shape.
func (o *oracle) reset(s *locks.Shape) error { return o.rebuild(s.ExampleNeeds) }

// rebuild recreates the fixture schema, then runs needs on top of it.
func (o *oracle) rebuild(needs string) error {
	sql := "DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;" + locks.Fixture
	if err := simple(o.ctx, o.conn, sql); err != nil {
		return fmt.Errorf("fixture: %w", err)
	}
	if needs != "" {
		if err := simple(o.ctx, o.conn, needs); err != nil {
			return fmt.Errorf("setup %q: %w", needs, err)
		}
	}
	return nil
}

func simple(ctx context.Context, c *pgx.Conn, sql string) error {
	_, err := c.PgConn().Exec(ctx, sql).ReadAll()
	return err
}

// expect is the knowledge base's answer for the shape on this major, through Classify
// so that the classification of the example is checked too.
func (o *oracle) expect(s *locks.Shape) locks.Facts {
	p := o.part(s)
	if p == nil {
		return s.Facts(o.major)
	}
	return p.Facts
}

// part classifies the example and returns the part of the shape; it reports a test
// error when the example is classified as another shape.
func (o *oracle) part(s *locks.Shape) *locks.Part {
	tree, err := pg.Parse(s.Example)
	if err != nil || len(tree.Stmts) != 1 {
		o.t.Errorf("%s: example does not parse as one statement: %v", s.ID, err)
		return nil
	}
	a := locks.Classify(tree.Stmts[0].Stmt, o.major, newFixtureContext(s))
	var got []string
	for i := range a.Parts {
		if a.Parts[i].Shape == s {
			return &a.Parts[i]
		}
		got = append(got, a.Parts[i].Shape.ID)
	}
	o.t.Errorf("%s: Classify maps the example to %v", s.ID, got)
	return nil
}

type relInfo struct {
	oid       uint32
	name      string
	kind      string
	filenode  uint32
	indexOf   uint32
	seq, read int64 // seq_scan and seq_tup_read of this backend
	bytes     int64
}

// catalog reads the fixture's relations (schema public).
func catalog(ctx context.Context, q interface {
	Query(context.Context, string, ...any) (pgx.Rows, error)
}) (map[uint32]*relInfo, error) {
	rows, err := q.Query(ctx, `
SELECT c.oid, c.relname, c.relkind::text, c.relfilenode, coalesce(i.indrelid, 0),
       coalesce(s.seq_scan, 0), coalesce(s.seq_tup_read, 0),
       CASE WHEN c.relkind IN ('r', 'm', 'i', 't') THEN pg_relation_size(c.oid) ELSE 0 END
FROM pg_class c
LEFT JOIN pg_index i ON i.indexrelid = c.oid
LEFT JOIN pg_stat_xact_user_tables s ON s.relid = c.oid
WHERE c.relnamespace = 'public'::regnamespace`)
	if err != nil {
		return nil, err
	}
	rels := map[uint32]*relInfo{}
	for rows.Next() {
		r := &relInfo{}
		var oid, filenode, indexOf uint32
		if err := rows.Scan(&oid, &r.name, &r.kind, &filenode, &indexOf, &r.seq, &r.read, &r.bytes); err != nil {
			return nil, err
		}
		r.oid, r.filenode, r.indexOf = oid, filenode, indexOf
		rels[oid] = r
	}
	return rels, rows.Err()
}

// heldLocks returns the strongest relation lock per relation oid that backend pid
// holds (or, with waiting, also waits for).
func heldLocks(ctx context.Context, c *pgx.Conn, pid uint32, waiting bool) (map[uint32]locks.Mode, bool, error) {
	rows, err := c.Query(ctx, `
SELECT relation, mode, granted FROM pg_locks
WHERE locktype = 'relation' AND pid = $1
  AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`, int32(pid))
	if err != nil {
		return nil, false, err
	}
	held := map[uint32]locks.Mode{}
	anyWaiting := false
	for rows.Next() {
		var rel uint32
		var mode string
		var granted bool
		if err := rows.Scan(&rel, &mode, &granted); err != nil {
			return nil, false, err
		}
		if !granted {
			anyWaiting = true
			if !waiting {
				continue
			}
		}
		m, ok := locks.ParseMode(mode)
		if !ok {
			return nil, false, fmt.Errorf("pg_locks mode %q", mode)
		}
		if m > held[rel] {
			held[rel] = m
		}
	}
	return held, anyWaiting, rows.Err()
}

// unsupported: the server does not have the statement (42601 syntax error), or has
// its syntax but not the feature (0A000: COMMIT in PL/pgSQL before 11).
func unsupported(code string) bool { return code == "42601" || code == "0A000" }

// refusedInTransaction: the statement may not run in a transaction block (25001), or a
// DO block's COMMIT may not end the transaction it runs in (2D000).
func refusedInTransaction(code string) bool { return code == "25001" || code == "2D000" }

func sqlState(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}

func (o *oracle) observe(s *locks.Shape) (observation, error) {
	var obs observation
	if err := o.reset(s); err != nil {
		return obs, err
	}
	ctx := o.ctx
	tx, err := o.conn.Begin(ctx)
	if err != nil {
		return obs, err
	}
	defer tx.Rollback(ctx)
	before, err := catalog(ctx, tx)
	if err != nil {
		return obs, err
	}
	_, execErr := tx.Exec(ctx, s.Example)
	switch code := sqlState(execErr); {
	case execErr == nil:
	case unsupported(code):
		obs.Unsupported = true
		return obs, nil
	case refusedInTransaction(code):
		obs.NoTransaction = true
	default:
		return obs, fmt.Errorf("%s: %w", s.Example, execErr)
	}
	table, other := o.names(s, before)
	obs.TableName, obs.OtherName = table, other
	if !obs.NoTransaction {
		after, err := catalog(ctx, tx)
		if err != nil {
			return obs, err
		}
		held, _, err := heldLocks(ctx, o.conn, o.conn.PgConn().PID(), false)
		if err != nil {
			return obs, err
		}
		obs.record(before, after, held)
		obs.ScanMeasured, obs.IndexesMeasured = true, true
	}
	// The rollback leaves the schema as reset built it.
	if err := tx.Rollback(ctx); err != nil {
		return obs, err
	}
	err = simple(ctx, o.conn, "SELECT 1; "+s.Example)
	obs.MultiStatementRefused = refusedInTransaction(sqlState(err))
	if err != nil && !obs.MultiStatementRefused {
		return obs, fmt.Errorf("SELECT 1; %s: %w", s.Example, err)
	}
	if obs.NoTransaction {
		if err := o.observeBlocked(s, &obs); err != nil {
			return obs, err
		}
	}
	return obs, nil
}

// names finds the relations the shape's Table and Other facts are about.
func (o *oracle) names(s *locks.Shape, rels map[uint32]*relInfo) (table, other string) {
	if p := o.part(s); p != nil {
		table, other = unqualified(p.Table), unqualified(p.Other)
	}
	byName := map[string]*relInfo{}
	for _, r := range rels {
		byName[r.name] = r
	}
	if table == "" && other != "" {
		// DROP INDEX, REINDEX INDEX: the table is the index's table.
		if idx := byName[other]; idx != nil && rels[idx.indexOf] != nil {
			table = rels[idx.indexOf].name
		}
	}
	if other == "" && s.Facts(o.major).OtherRole != "" {
		other = referencedOther[s.ID]
	}
	return table, other
}

// indexColumn is the column of a fixture index, for a query that reads through it.
var indexColumn = map[string]string{"t_a_idx": "a", "t_pkey": "id"}

// referencedOther names the other relation where the statement does not: dropping a
// table that has a foreign key also locks the referenced table.
var referencedOther = map[string]string{
	"drop-table": "parent",
}

func unqualified(name string) string {
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		return name[i+1:]
	}
	return name
}

// record fills the observation from catalogs before and after the statement and the
// locks held.
func (obs *observation) record(before, after map[uint32]*relInfo, held map[uint32]locks.Mode) {
	name := func(oid uint32) (string, string) {
		if r := before[oid]; r != nil {
			return r.name, r.kind
		}
		if r := after[oid]; r != nil {
			return r.name, r.kind
		}
		return "", ""
	}
	var tableOID uint32
	for oid, r := range before {
		if r.name == obs.TableName {
			tableOID = oid
		}
	}
	for oid, m := range held {
		n, kind := name(oid)
		switch {
		case n == "":
			// Not a fixture relation (catalogs, the pg_locks view).
		case n == obs.TableName:
			obs.Table = m
		case n == obs.OtherName:
			obs.Other = m
		case kind == "i" && tableOID != 0 && before[oid] != nil && before[oid].indexOf == tableOID:
			if m > obs.Indexes {
				obs.Indexes = m
			}
		case (kind == "r" || kind == "p" || kind == "m") && m == locks.AccessShare:
			obs.Reads = append(obs.Reads, n)
		case kind == "r" || kind == "p" || kind == "m":
			obs.Extra = append(obs.Extra, fmt.Sprintf("%s on %s", m, n))
		}
	}
	sort.Strings(obs.Extra)
	sort.Strings(obs.Reads)
	for oid, b := range before {
		a := after[oid]
		if a == nil {
			continue
		}
		related := b.name == obs.TableName || b.name == obs.OtherName || (tableOID != 0 && b.indexOf == tableOID)
		if related && rewritten(a, b) {
			obs.Rewrite = true
		}
		// Rows read is the measure; on a table with no rows, a scan started. (TRUNCATE
		// starts a scan that reads nothing on a table with rows.)
		if (b.kind == "r" || b.kind == "m") && (a.read > b.read || (b.bytes == 0 && a.seq > b.seq)) {
			obs.Scan = true
			obs.Scanned = append(obs.Scanned, b.name)
		}
	}
	sort.Strings(obs.Scanned)
}

// rewritten: a new file holding data. TRUNCATE also makes new files, but empty ones (an
// empty btree keeps its one metapage).
func rewritten(after, before *relInfo) bool {
	const page = 8192
	if before.filenode == 0 || after.filenode == before.filenode {
		return false
	}
	if after.kind == "i" {
		return after.bytes > page
	}
	return after.bytes > 0
}

// observeBlocked runs a statement that cannot run in a transaction in autocommit while
// the other connection holds the weakest lock that conflicts with the claimed mode on
// one relation, and reads the lock the statement waits for. The table is observed so,
// and then a second relation that is a table (LOCK TABLE cannot lock an index).
func (o *oracle) observeBlocked(s *locks.Shape, obs *observation) error {
	want := o.expect(s)
	obs.Waited = true
	if err := o.reset(s); err != nil {
		return err
	}
	before, err := catalog(o.ctx, o.conn)
	if err != nil {
		return err
	}
	kinds := map[string]string{}
	for _, r := range before {
		kinds[r.name] = r.kind
	}
	blocks0, err := o.committedBlocks(obs.TableName)
	if err != nil {
		return err
	}
	otherMeasured := false
	if want.Table != locks.None && obs.TableName != "" {
		m, err := o.waitedFor(s, lockTable(obs.TableName, want.Table), before)
		if err != nil {
			return err
		}
		obs.Table = m[obs.TableName]
		if mo, ok := m[obs.OtherName]; ok {
			obs.Other, otherMeasured = mo, true
		}
	} else if err := simple(o.ctx, o.conn, s.Example); err != nil {
		return fmt.Errorf("%s: %w", s.Example, err)
	}
	blocks1, err := o.committedBlocks(obs.TableName)
	if err != nil {
		return err
	}
	after, err := catalog(o.ctx, o.conn)
	if err != nil {
		return err
	}
	for oid, b := range before {
		a := after[oid]
		if b.name == obs.TableName && b.kind == "r" && b.bytes > 0 {
			// Every page of the table went through the buffer manager.
			obs.Scan, obs.ScanMeasured = blocks1-blocks0 >= b.bytes/8192, true
			if obs.Scan {
				obs.Scanned = []string{b.name}
			}
		}
		related := b.name == obs.TableName || b.name == obs.OtherName || (before[b.indexOf] != nil && before[b.indexOf].name == obs.TableName)
		if related && a != nil && rewritten(a, b) {
			obs.Rewrite = true
		}
	}
	var block string
	switch kinds[obs.OtherName] {
	case "r", "p":
		block = lockTable(obs.OtherName, want.Other)
	case "i":
		if col := indexColumn[obs.OtherName]; col != "" {
			block = useIndex(obs.TableName, col)
		}
	}
	if want.OtherRole != "" && !otherMeasured && want.Other != locks.None && block != "" {
		if err := o.reset(s); err != nil {
			return err
		}
		rebuilt, err := catalog(o.ctx, o.conn)
		if err != nil {
			return err
		}
		m, err := o.waitedFor(s, block, rebuilt)
		if err != nil {
			return err
		}
		obs.Other, otherMeasured = m[obs.OtherName], true
	}
	// A relation the statement had not reached before it waited stays unmeasured; the
	// matrix shows the claim marked as such.
	if want.OtherRole != "" && !otherMeasured {
		obs.Other = want.Other
		obs.OtherName += " (not measured)"
	}
	return nil
}

// committedBlocks returns heap_blks_read + heap_blks_hit of a table from the
// cumulative statistics, after making sure the statement connection's counters have
// reached them: it reads a marker table until the marker's seq_scan shows the read.
func (o *oracle) committedBlocks(table string) (int64, error) {
	if table == "" {
		return 0, nil
	}
	ctx := o.ctx
	const marker = "SELECT coalesce(sum(seq_scan), 0) FROM pg_stat_user_tables WHERE relname = 'parent'"
	var start int64
	if err := o.other.QueryRow(ctx, marker).Scan(&start); err != nil {
		return 0, err
	}
	for i := 0; ; i++ {
		if o.major >= 15 {
			// Statistics are flushed at most once a second unless forced.
			if _, err := o.conn.Exec(ctx, "SELECT pg_stat_force_next_flush()"); err != nil {
				return 0, err
			}
		}
		if _, err := o.conn.Exec(ctx, "SELECT id FROM parent LIMIT 1"); err != nil {
			return 0, err
		}
		var n int64
		if err := o.other.QueryRow(ctx, marker).Scan(&n); err != nil {
			return 0, err
		}
		if n > start {
			break
		}
		if i == 100 {
			return 0, errors.New("statistics did not reach the cumulative views in 10s")
		}
		time.Sleep(100 * time.Millisecond)
	}
	var blocks int64
	err := o.other.QueryRow(ctx, `SELECT coalesce(sum(heap_blks_read + heap_blks_hit), 0) FROM pg_statio_user_tables WHERE relname = $1`, table).Scan(&blocks)
	return blocks, err
}

// lockTable is blocking SQL for waitedFor: the weakest mode on rel that conflicts with
// the claimed one.
func lockTable(rel string, claim locks.Mode) string {
	blocker := locks.AccessShare
	for !blocker.Conflicts(claim) {
		blocker++
	}
	return fmt.Sprintf("LOCK TABLE %s IN %s MODE", pgx.Identifier{rel}.Sanitize(), blocker)
}

// useIndex is blocking SQL for waitedFor that holds ACCESS SHARE on an index (LOCK TABLE
// cannot lock one) by scanning through it: concurrent index statements wait for such
// readers after locking the index.
func useIndex(table, column string) string {
	return fmt.Sprintf("SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off; SELECT %s FROM %s WHERE %s = 1",
		pgx.Identifier{column}.Sanitize(), pgx.Identifier{table}.Sanitize(), pgx.Identifier{column}.Sanitize())
}

// waitedFor runs the example in autocommit while the other connection, in an open
// transaction, has run block; once the statement waits for a lock (a relation, or
// the blocker's transaction), it returns the modes the statement held or waited for
// per fixture relation. A statement that never waits returns an empty map: it takes
// weaker locks than block conflicts with.
func (o *oracle) waitedFor(s *locks.Shape, block string, rels map[uint32]*relInfo) (map[string]locks.Mode, error) {
	ctx := o.ctx
	tx, err := o.other.Begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, block); err != nil {
		return nil, fmt.Errorf("%s: %w", block, err)
	}
	pid := o.conn.PgConn().PID()
	done := make(chan error, 1)
	go func() { done <- simple(ctx, o.conn, s.Example) }()
	got := map[string]locks.Mode{}
	deadline := time.Now().Add(10 * time.Second)
	for {
		// The wait is read first: locks read after it include everything taken
		// before the wait began.
		// pg_locks is read live (pg_stat_activity would be cached for the transaction).
		var waiting bool
		if err := o.other.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE pid = $1 AND NOT granted)", int32(pid)).Scan(&waiting); err != nil {
			return nil, err
		}
		held, _, err := heldLocks(ctx, o.other, pid, true)
		if err != nil {
			return nil, err
		}
		if waiting {
			for oid, m := range held {
				if r := rels[oid]; r != nil {
					got[r.name] = m
				}
			}
			break
		}
		select {
		case err := <-done:
			if err != nil {
				return nil, fmt.Errorf("%s: %w", s.Example, err)
			}
			return got, nil
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("%s: neither waited nor finished in 10s", s.Example)
		}
	}
	if err := tx.Rollback(ctx); err != nil {
		return nil, err
	}
	if err := <-done; err != nil {
		return nil, fmt.Errorf("%s: %w", s.Example, err)
	}
	return got, nil
}

// fixtureContext answers Classify's questions from Fixture and the shape's
// ExampleNeeds, as the rules' State does from earlier statements.
type fixtureContext struct {
	columns  map[string]*pg.TypeName // "table.column"
	notNulls map[string]bool
	fkeys    map[string]string // "table.constraint" -> referenced table
}

func newFixtureContext(s *locks.Shape) *fixtureContext {
	fc := &fixtureContext{columns: map[string]*pg.TypeName{}, notNulls: map[string]bool{}, fkeys: map[string]string{}}
	tree, err := pg.Parse(locks.Fixture + ";" + s.ExampleNeeds)
	if err != nil {
		return fc
	}
	for _, raw := range tree.Stmts {
		if cs := raw.Stmt.GetCreateStmt(); cs != nil {
			for _, elt := range cs.TableElts {
				if cd := elt.GetColumnDef(); cd != nil {
					fc.columns[cs.Relation.Relname+"."+cd.Colname] = cd.TypeName
					for _, c := range cd.Constraints {
						if con := c.GetConstraint(); con.GetContype() == pg.ConstrType_CONSTR_FOREIGN {
							// PostgreSQL's default name for a column's foreign key.
							fc.fkeys[cs.Relation.Relname+"."+cs.Relation.Relname+"_"+cd.Colname+"_fkey"] = con.Pktable.Relname
						}
					}
				}
			}
		}
		if at := raw.Stmt.GetAlterTableStmt(); at != nil {
			for _, c := range at.Cmds {
				con := c.GetAlterTableCmd().GetDef().GetConstraint()
				if con.GetContype() == pg.ConstrType_CONSTR_FOREIGN {
					fc.fkeys[at.Relation.Relname+"."+con.Conname] = con.Pktable.Relname
				}
				if con == nil || con.Contype != pg.ConstrType_CONSTR_CHECK || con.SkipValidation {
					continue
				}
				if nt := con.RawExpr.GetNullTest(); nt != nil && nt.Nulltesttype == pg.NullTestType_IS_NOT_NULL {
					if ref := nt.Arg.GetColumnRef(); ref != nil {
						fc.notNulls[at.Relation.Relname+"."+sqlast.LastName(ref.Fields)] = true
					}
				}
			}
		}
	}
	return fc
}

func (fc *fixtureContext) ColumnType(table, column string) (*pg.TypeName, bool) {
	tn, ok := fc.columns[unqualified(table)+"."+column]
	return tn, ok
}

func (fc *fixtureContext) ForeignKey(table, constraint string) (string, bool) {
	ref, ok := fc.fkeys[unqualified(table)+"."+constraint]
	return ref, ok
}

// ColumnCollation: Fixture and the ExampleNeeds declare no COLLATE.
func (fc *fixtureContext) ColumnCollation(table, column string) string { return "" }

// RedundantCheck: no fixture drops a CHECK a SET NOT NULL made redundant.
func (fc *fixtureContext) RedundantCheck(table, constraint string) bool { return false }

func (fc *fixtureContext) HasNotNullCheck(table, column string) bool {
	return fc.notNulls[unqualified(table)+"."+column]
}

func majorsLine(majors []int) string {
	s := make([]string, len(majors))
	for i, m := range majors {
		s[i] = strconv.Itoa(m)
	}
	return "Majors checked: " + strings.Join(s, ", ") + "."
}

// renderMatrix writes the observations as markdown, one row per shape, with majors
// that behaved alike grouped.
func renderMatrix(majors []int, results map[string]map[int]observation) string {
	var b strings.Builder
	b.WriteString(`# Lock matrix

Generated by ` + "`go test ./engine/locks -run TestOracle -update`" + ` from what real PostgreSQL
servers did when each shape's example statement ran on the oracle fixture
(` + "`locks.Fixture`" + `). Every cell is the server's answer, and the test fails wherever the knowledge
base in ` + "`engine/locks/shapes.go`" + ` says otherwise.

` + majorsLine(majors) + `

How each column is observed:

- **Locks**: relation locks the backend holds after ` + "`BEGIN; <statement>`" + `, from ` + "`pg_locks`" + `,
  strongest mode per relation. For statements that cannot run in a transaction block
  (marked *no tx*), the statement runs in autocommit while another session holds a
  conflicting lock on the table (then, in a second run, on the other relation; for an
  index, a query reading through it): the modes it holds or waits for once it waits are
  shown. A relation it never reached would be marked *not measured*.
- **Rewrite**: a new ` + "`relfilenode`" + ` for the table, the index acted on, or the table's indexes.
- **Scan**: ` + "`seq_tup_read`" + ` rose in ` + "`pg_stat_xact_user_tables`" + ` for a fixture table inside
  the transaction (or, for an empty table, ` + "`seq_scan`" + ` did). For *no tx* statements: at least
  as many heap blocks of the table as it has pages went through the buffer manager
  (` + "`pg_statio_user_tables`" + `); *n/m* where the table is empty.
- **Tx**: *no tx* when the server refuses it after ` + "`BEGIN`" + ` (SQLSTATE 25001, or 2D000 for a DO
  block's COMMIT) and in the multi-statement query ` + "`SELECT 1; <statement>`" + ` (how
  golang-migrate sends a file); *unsupported* when it is a syntax error on that major, or
  a feature it lacks (SQLSTATE 0A000).

| Shape | Statement | Majors | Locks | Rewrite | Scan | Tx |
|---|---|---|---|---|---|---|
`)
	for _, s := range locks.Shapes {
		res := results[s.ID]
		type group struct {
			majors []int
			row    string
		}
		var groups []group
		for _, m := range majors {
			obs, ok := res[m]
			if !ok {
				continue
			}
			row := obs.cells()
			if n := len(groups); n > 0 && groups[n-1].row == row {
				groups[n-1].majors = append(groups[n-1].majors, m)
				continue
			}
			groups = append(groups, group{[]int{m}, row})
		}
		for i, g := range groups {
			title, stmt := s.Title, "`"+strings.ReplaceAll(s.Example, "|", `\|`)+"`"
			if i > 0 {
				title, stmt = "", ""
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", strings.ReplaceAll(title, "|", `\|`), stmt, majorRange(g.majors), g.row)
		}
	}
	return b.String()
}

func (obs observation) cells() string {
	if obs.Unsupported {
		return "— | — | — | unsupported"
	}
	var lk []string
	if obs.Table != locks.None {
		lk = append(lk, fmt.Sprintf("%s: %s", obs.TableName, obs.Table))
	}
	if obs.Other != locks.None {
		lk = append(lk, fmt.Sprintf("%s: %s", obs.OtherName, obs.Other))
	}
	if obs.Indexes != locks.None {
		lk = append(lk, fmt.Sprintf("indexes of %s: %s", obs.TableName, obs.Indexes))
	}
	lk = append(lk, obs.Extra...)
	if len(obs.Reads) > 0 {
		lk = append(lk, "reads "+strings.Join(obs.Reads, ", ")+": ACCESS SHARE")
	}
	if len(lk) == 0 {
		lk = []string{"none"}
	}
	yes := func(b bool) string {
		if b {
			return "yes"
		}
		return "no"
	}
	scan := yes(obs.Scan)
	if !obs.ScanMeasured {
		scan = "n/m"
	}
	tx := "yes"
	if obs.NoTransaction {
		tx = "no tx"
	}
	return strings.Join([]string{strings.Join(lk, "; "), yes(obs.Rewrite), scan, tx}, " | ")
}

func majorRange(ms []int) string {
	s := make([]string, len(ms))
	for i, m := range ms {
		s[i] = strconv.Itoa(m)
	}
	return strings.Join(s, ", ")
}

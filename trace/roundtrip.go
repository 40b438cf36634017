package trace

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/migsafe/migsafe/engine/migration"
	"github.com/migsafe/migsafe/engine/runbook"
)

// RoundtripReport is the result of applying a migration's up, its down, and its up
// again on a throwaway cluster.
type RoundtripReport struct {
	Path   string `json:"path"`
	Down   string `json:"down"` // where the down came from: the sibling file or "section"
	Target string `json:"target"`
	// Differences between the schema before up and after down, one line each
	// ("index orders_created_idx: left behind by down").
	Differences []string `json:"differences"`
	// Failed names the step that failed ("up", "down", "up again") with the error.
	Failed string `json:"failed,omitempty"`
	// Checks are the verification queries' results after up and after down (with
	// Options.Verify).
	Checks []Check `json:"checks,omitempty"`
}

// OK reports a down that restores the schema, an up that applies again, and
// verification queries that all pass.
func (r *RoundtripReport) OK() bool {
	return len(r.Differences) == 0 && r.Failed == "" && ChecksOK(r.Checks)
}

// ErrNoDown is returned by Roundtrip for a migration that has no down form.
var ErrNoDown = errors.New("no down migration")

// Roundtrip applies the migration's up, then its down, and compares the schema with
// the one before up (tables, columns, types, defaults, NOT NULL, constraints, indexes,
// sequences, enum types, the queries of views and materialized views, functions with
// their volatility and bodies, triggers), then applies up again. It always runs
// on a throwaway cluster; opts.DSN is refused.
func Roundtrip(ctx context.Context, path string, opts Options) (*RoundtripReport, error) {
	if opts.DSN != "" {
		return nil, errors.New("--roundtrip commits up and down migrations, so it runs only on a throwaway cluster (drop --dsn)")
	}
	res, err := analyze(path, opts.Config)
	if err != nil {
		return nil, err
	}
	f := res.File
	if !f.Down.Found || len(f.Down.Statements) == 0 {
		return nil, fmt.Errorf("%s: %w", path, ErrNoDown)
	}
	down := f.Down.Path
	if f.Down.Where == "section" {
		down = "down section"
	}
	db, err := open(ctx, res.Config, opts)
	if err != nil {
		return nil, err
	}
	defer db.close()
	rep := &RoundtripReport{Path: path, Down: down, Target: db.target}
	if _, err := applyEarlier(ctx, db.conn, res); err != nil {
		return nil, err
	}
	// Backups are taken before the snapshot: they exist before up and after down alike.
	v := newVerifier(res, db.conn, opts.Verify)
	defer func() { rep.Checks = v.checks() }()
	if err := v.before(ctx); err != nil {
		return nil, err
	}
	before, err := snapshot(ctx, db.conn)
	if err != nil {
		return nil, err
	}
	var ups []*migration.Statement
	for _, st := range f.Statements {
		if st.Section == migration.Up {
			ups = append(ups, st)
		}
	}
	if err := apply(ctx, db.conn, ups); err != nil {
		rep.Failed = "up: " + err.Error()
		return rep, nil
	}
	v.run(ctx, runbook.AfterUp)
	if err := apply(ctx, db.conn, f.Down.Statements); err != nil {
		rep.Failed = "down: " + err.Error()
		return rep, nil
	}
	after, err := snapshot(ctx, db.conn)
	if err != nil {
		return nil, err
	}
	rep.Differences = diff(before, after)
	v.run(ctx, runbook.AfterDown)
	if err := apply(ctx, db.conn, ups); err != nil {
		rep.Failed = "up again after down: " + err.Error()
	}
	return rep, nil
}

// apply runs statements one by one as the runner does: in autocommit, except that
// statements the runner sends inside a transaction (goose's wrapping of each migration,
// golang-migrate's one multi-statement query) run in one BEGIN ... COMMIT, so that LOCK
// TABLE and the rest behave as they do under the runner. Transaction control statements
// in the file are run as written.
func apply(ctx context.Context, conn *pgx.Conn, stmts []*migration.Statement) error {
	return execAsRunner(ctx, conn, stmts, func(st *migration.Statement, err error) error {
		return fmt.Errorf("%s: %w", firstLine(st.Text), err)
	})
}

// execAsRunner runs the statements with Node, opening a transaction for each group of
// statements the runner wraps (RunnerTx, ImplicitTx with one ID) and committing it after
// the group's last statement. On an error the open transaction is rolled back and
// wrap's error returned.
func execAsRunner(ctx context.Context, conn *pgx.Conn, stmts []*migration.Statement, wrap func(*migration.Statement, error) error) error {
	open := 0 // the ID of the runner transaction in progress
	fail := func(st *migration.Statement, err error) error {
		conn.Exec(ctx, "ROLLBACK")
		return wrap(st, err)
	}
	for _, st := range stmts {
		if st.Node == nil {
			continue
		}
		runnerTx := st.Tx.Kind == migration.RunnerTx || st.Tx.Kind == migration.ImplicitTx
		if open != 0 && (!runnerTx || st.Tx.ID != open) {
			if _, err := conn.Exec(ctx, "COMMIT"); err != nil {
				return fail(st, err)
			}
			open = 0
		}
		if runnerTx && open == 0 {
			if _, err := conn.Exec(ctx, "BEGIN"); err != nil {
				return fail(st, err)
			}
			open = st.Tx.ID
		}
		if _, err := conn.Exec(ctx, st.Text); err != nil {
			return fail(st, err)
		}
	}
	if open != 0 {
		if _, err := conn.Exec(ctx, "COMMIT"); err != nil {
			conn.Exec(ctx, "ROLLBACK")
			return wrap(stmts[len(stmts)-1], err)
		}
	}
	return nil
}

func firstLine(s string) string {
	for i, r := range s {
		if r == '\n' {
			return s[:i] + " ..."
		}
	}
	return s
}

// schema maps an object ("column orders.total") to its definition.
type schema map[string]string

// snapshot reads the user schema from the catalogs.
func snapshot(ctx context.Context, conn *pgx.Conn) (schema, error) {
	const userNS = `n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND n.nspname NOT LIKE 'pg_temp%'`
	// An extension's functions belong to the extension (CREATE EXTENSION makes them),
	// not to the migration's own schema.
	const notExtension = `NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')`
	// pg_proc.prokind arrived in PostgreSQL 11; before it, aggregates and window
	// functions were flagged by proisagg and proiswindow, and there were no procedures.
	// The same letters are made from those so the queries below read alike on 10.
	var num int
	if err := conn.QueryRow(ctx, "SELECT current_setting('server_version_num')::int").Scan(&num); err != nil {
		return nil, err
	}
	prokind := "p.prokind"
	if num < 110000 {
		prokind = "(CASE WHEN p.proisagg THEN 'a' WHEN p.proiswindow THEN 'w' ELSE 'f' END)"
	}
	queries := []string{
		// Relations.
		`SELECT CASE c.relkind WHEN 'r' THEN 'table' WHEN 'p' THEN 'table' WHEN 'v' THEN 'view'
		        WHEN 'm' THEN 'materialized view' WHEN 'S' THEN 'sequence' WHEN 'f' THEN 'foreign table' END
		        || ' ' || c.oid::regclass::text,
		        c.relkind::text || CASE WHEN c.relpersistence = 'u' THEN ' unlogged' ELSE '' END
		        -- A materialized view a down makes again WITH NO DATA has the same
		        -- columns, but reading it fails until it is refreshed.
		        || CASE WHEN c.relkind = 'm' AND NOT c.relispopulated THEN ' not populated' ELSE '' END
		 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		 WHERE ` + userNS + ` AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')`,
		// The queries of views and materialized views: a down that puts back a view's
		// columns but not its WHERE or its joins returns other rows. pg_get_viewdef
		// prints the stored query tree, so how the down spells the query does not matter.
		`SELECT 'query of ' || CASE c.relkind WHEN 'v' THEN 'view ' ELSE 'materialized view ' END
		        || c.oid::regclass::text, pg_get_viewdef(c.oid)
		 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		 WHERE ` + userNS + ` AND c.relkind IN ('v', 'm')`,
		// Columns: type, default, NOT NULL.
		`SELECT 'column ' || c.oid::regclass::text || '.' || quote_ident(a.attname),
		        format_type(a.atttypid, a.atttypmod)
		        || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END
		        || coalesce(' DEFAULT ' || pg_get_expr(d.adbin, d.adrelid), '')
		 FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
		 LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
		 WHERE ` + userNS + ` AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND a.attnum > 0 AND NOT a.attisdropped`,
		// Constraints.
		`SELECT 'constraint ' || quote_ident(con.conname) || ' on ' || con.conrelid::regclass::text,
		        pg_get_constraintdef(con.oid) || CASE WHEN con.convalidated THEN '' ELSE ' (not validated)' END
		 FROM pg_constraint con JOIN pg_namespace n ON n.oid = con.connamespace
		 WHERE ` + userNS + ` AND con.conrelid <> 0`,
		// Indexes.
		`SELECT 'index ' || c.oid::regclass::text, pg_get_indexdef(c.oid)
		        || CASE WHEN i.indisvalid THEN '' ELSE ' (invalid)' END
		 FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
		 WHERE ` + userNS,
		// Enum types and their labels.
		`SELECT 'type ' || t.oid::regtype::text, string_agg(e.enumlabel, ', ' ORDER BY e.enumsortorder)
		 FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
		 WHERE ` + userNS + ` GROUP BY t.oid`,
		// Functions and procedures, named by regprocedure: regproc's text qualifies the
		// name once it is overloaded, which made one function two (hatchet's v1_0_59).
		// A down that forgets one made with CREATE OR REPLACE
		// passes up again, so only the catalog shows it left behind. Volatility,
		// STRICT and SECURITY DEFINER are part of the definition: an up that marks a
		// function IMMUTABLE, undone by a down that restores only the body, leaves
		// indexes and plans trusting the wrong promise.
		`SELECT CASE ` + prokind + ` WHEN 'p' THEN 'procedure ' ELSE 'function ' END
		        || p.oid::regprocedure::text,
		        coalesce('returns ' || pg_get_function_result(p.oid) || ' ', '') || 'language ' || l.lanname
		        || CASE WHEN ` + prokind + ` = 'p' THEN ''
		                ELSE CASE p.provolatile WHEN 'i' THEN ' immutable' WHEN 's' THEN ' stable' ELSE ' volatile' END END
		        || CASE WHEN p.proisstrict THEN ' strict' ELSE '' END
		        || CASE WHEN p.prosecdef THEN ' security definer' ELSE '' END
		 FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace JOIN pg_language l ON l.oid = p.prolang
		 WHERE ` + userNS + ` AND ` + prokind + ` IN ('f', 'p') AND ` + notExtension,
		// Their bodies: downs that restore a function often differ from its
		// earlier text in comments and spacing only (hatchet's v1_0_17), so those are
		// taken out first (from both, alike, so text inside a string literal that looks
		// like a comment cannot make a difference). A body written as SQL (BEGIN ATOMIC,
		// RETURN, PostgreSQL 14 and later) has no source text: its stored form is
		// printed by pg_get_functiondef and needs no cleaning.
		`SELECT 'body of ' || CASE ` + prokind + ` WHEN 'p' THEN 'procedure ' ELSE 'function ' END
		        || p.oid::regprocedure::text,
		        CASE WHEN p.prosrc <> '' THEN
		            btrim(regexp_replace(regexp_replace(regexp_replace(p.prosrc,
		                '/\*.*?\*/', ' ', 'g'), '--[^\n]*', ' ', 'g'), '\s+', ' ', 'g'))
		          ELSE pg_get_functiondef(p.oid) END
		 FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
		 WHERE ` + userNS + ` AND ` + prokind + ` IN ('f', 'p') AND ` + notExtension,
		// Triggers.
		`SELECT 'trigger ' || quote_ident(t.tgname) || ' on ' || t.tgrelid::regclass::text, pg_get_triggerdef(t.oid)
		 FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
		 WHERE ` + userNS + ` AND NOT t.tgisinternal`,
	}
	s := schema{}
	for _, q := range queries {
		rows, err := conn.Query(ctx, q)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var k, v string
			if err := rows.Scan(&k, &v); err != nil {
				rows.Close()
				return nil, err
			}
			s[k] = v
		}
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// diff lists what differs between the schema before up and after down.
func diff(before, after schema) []string {
	var out []string
	for k, v := range after {
		switch b, ok := before[k]; {
		case !ok && !detailOfMissing(k, before):
			out = append(out, fmt.Sprintf("%s: left behind by down (%s)", k, v))
		case ok && b != v && strings.HasPrefix(k, "body of "):
			// A body is too long to quote whole: the place where it first differs.
			was, is := firstDifference(b, v)
			out = append(out, fmt.Sprintf("%s: differs, from %q before up to %q after down (comments and spacing ignored)", k, was, is))
		case ok && b != v:
			out = append(out, fmt.Sprintf("%s: was %s before up, is %s after down", k, b, v))
		}
	}
	for k, v := range before {
		if _, ok := after[k]; !ok && !detailOfMissing(k, after) {
			out = append(out, fmt.Sprintf("%s: existed before up (%s), missing after down", k, v))
		}
	}
	sort.Strings(out)
	return out
}

// detailOfMissing reports a key that details an object ("body of function f()",
// "query of view v") which the other schema does not have at all: the object's own
// line says it is left behind or missing, once.
func detailOfMissing(k string, other schema) bool {
	for _, prefix := range []string{"body of ", "query of "} {
		if obj, ok := strings.CutPrefix(k, prefix); ok {
			_, has := other[obj]
			return !has
		}
	}
	return false
}

// firstDifference quotes a and b around the first place they differ, a few words of
// context before it and up to 60 characters in all, marked with "..." where cut.
func firstDifference(a, b string) (string, string) {
	ra, rb := []rune(a), []rune(b)
	i := 0
	for i < len(ra) && i < len(rb) && ra[i] == rb[i] {
		i++
	}
	start := max(0, i-20)
	for start > 0 && ra[start-1] != ' ' {
		start-- // from the start of a word
	}
	cut := func(r []rune) string {
		end := min(len(r), start+60)
		s := string(r[start:end])
		if start > 0 {
			s = "..." + s
		}
		if end < len(r) {
			s += "..."
		}
		return s
	}
	return cut(ra), cut(rb)
}

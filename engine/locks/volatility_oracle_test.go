package locks_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	pg "github.com/pganalyze/pg_query_go/v5"

	"github.com/migsafe/migsafe/engine/locks"
)

// volatilityObservation is what one major says of one function of the volatility
// table: the provolatile letters of its overloads, and whether ADD COLUMN with the
// function's Example as default rewrote the table.
type volatilityObservation struct {
	Classes  string
	Rewrite  bool
	Measured bool // the function exists on the major, so the rewrite was measured
}

// sqlValueFunctions are defaults written in SQL syntax rather than as calls: the
// knowledge base treats them as stable, which the rewrite check confirms.
var sqlValueFunctions = []string{"CURRENT_TIMESTAMP", "CURRENT_DATE", "LOCALTIMESTAMP", "CURRENT_USER"}

// checkVolatility checks every function of locks.Functions against pg_proc on this
// major, and adds a column with its example as default to see whether the server
// rewrites the table where the knowledge base says it does.
func (o *oracle) checkVolatility(t *testing.T) map[string]volatilityObservation {
	if err := o.rebuild(`CREATE EXTENSION IF NOT EXISTS pgcrypto; CREATE EXTENSION IF NOT EXISTS "uuid-ossp";
		CREATE SEQUENCE oracle_seq; SELECT nextval('oracle_seq');`); err != nil {
		t.Fatal(err)
	}
	out := map[string]volatilityObservation{}
	for _, f := range locks.Functions {
		var got string
		err := o.conn.QueryRow(o.ctx, `SELECT coalesce(string_agg(DISTINCT provolatile::text, '' ORDER BY provolatile::text), '')
			FROM pg_proc WHERE proname = $1`, f.Name).Scan(&got)
		if err != nil {
			t.Fatal(err)
		}
		if want := f.Classes(o.major); got != want {
			t.Errorf("%s on PostgreSQL %d: pg_proc.provolatile of its overloads %q, volatility table %q", f.Name, o.major, got, want)
		}
		obs := volatilityObservation{Classes: got}
		if got != "" {
			obs.Rewrite, obs.Measured = o.checkDefaultRewrite(t, f.Example, locks.FunctionVolatility(f.Name, o.major))
		}
		out[f.Name] = obs
	}
	for _, expr := range sqlValueFunctions {
		rewrite, _ := o.checkDefaultRewrite(t, expr, locks.NotVolatile)
		out[expr] = volatilityObservation{Classes: "SQL syntax", Rewrite: rewrite, Measured: true}
	}
	return out
}

// checkDefaultRewrite adds a column defaulting to expr to the fixture table t (rolled
// back), compares the rewrite with what Classify says of the same statement, and
// returns whether the server rewrote t.
func (o *oracle) checkDefaultRewrite(t *testing.T, expr string, vol locks.Volatility) (bool, bool) {
	ctx := o.ctx
	var typ string
	if err := o.conn.QueryRow(ctx, "SELECT pg_typeof("+expr+")::text").Scan(&typ); err != nil {
		t.Errorf("PostgreSQL %d: %s: %v", o.major, expr, err)
		return false, false
	}
	stmt := fmt.Sprintf("ALTER TABLE t ADD COLUMN vol_check %s DEFAULT %s", typ, expr)
	tx, err := o.conn.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	before, err := catalog(ctx, tx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, stmt); err != nil {
		t.Errorf("PostgreSQL %d: %s: %v", o.major, stmt, err)
		return false, false
	}
	after, err := catalog(ctx, tx)
	if err != nil {
		t.Fatal(err)
	}
	rewrote := false
	for oid, b := range before {
		if a := after[oid]; a != nil && b.name == "t" && rewritten(a, b) {
			rewrote = true
		}
	}
	tree, err := pg.Parse(stmt)
	if err != nil {
		t.Fatalf("%s: %v", stmt, err)
	}
	a := locks.Classify(tree.Stmts[0].Stmt, o.major, nil)
	claim := len(a.Parts) == 1 && a.Parts[0].Facts.Rewrite
	switch {
	case vol == locks.MaybeVolatile && rewrote && !claim:
		t.Errorf("PostgreSQL %d: %s rewrote t, but the knowledge base says no rewrite", o.major, stmt)
	case vol != locks.MaybeVolatile && rewrote != claim:
		t.Errorf("PostgreSQL %d: %s: server rewrote t: %v, knowledge base %v (%s)", o.major, stmt, rewrote, claim, a.Parts[0].Shape.ID)
	}
	return rewrote, true
}

// checkSystemCatalogs checks that every table and view of schema pg_catalog on this
// major is a system catalog to the knowledge base, and returns their names.
func (o *oracle) checkSystemCatalogs(t *testing.T) []string {
	rows, err := o.conn.Query(o.ctx, `SELECT relname FROM pg_class
		WHERE relnamespace = 'pg_catalog'::regnamespace AND relkind IN ('r', 'v', 'p', 'm', 'f') ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		if !locks.IsSystemCatalog(n) || !locks.IsSystemCatalog("pg_catalog."+n) {
			t.Errorf("PostgreSQL %d: pg_catalog.%s is not in locks.SystemCatalogs", o.major, n)
		}
	}
	return names
}

// renderVolatility writes the volatility observations as markdown, one row per
// function, majors that behaved alike grouped.
func renderVolatility(majors []int, results map[string]map[int]volatilityObservation) string {
	var b strings.Builder
	b.WriteString(`
## Function volatility

Every function of the volatility table (` + "`locks.Functions`" + `) on every major: the
` + "`pg_proc.provolatile`" + ` letters of its overloads (*i* immutable, *s* stable, *v* volatile; the
extensions pgcrypto and uuid-ossp installed), and whether
` + "`ALTER TABLE t ADD COLUMN vol_check <type> DEFAULT <example>`" + ` rewrote the table. The test
fails where the table's letters differ, or where the knowledge base's rewrite claim
differs from the server's (for functions whose overloads differ, only a rewrite the
knowledge base does not claim fails).

| Function | Example | Majors | provolatile | Rewrites |
|---|---|---|---|---|
`)
	rows := make([][2]string, 0, len(locks.Functions)+len(sqlValueFunctions))
	for _, f := range locks.Functions {
		rows = append(rows, [2]string{f.Name, f.Example})
	}
	for _, e := range sqlValueFunctions {
		rows = append(rows, [2]string{e, e})
	}
	for _, row := range rows {
		type group struct {
			majors []int
			cells  string
		}
		var groups []group
		for _, m := range majors {
			obs, ok := results[row[0]][m]
			if !ok {
				continue
			}
			cells := "absent | —"
			if obs.Classes != "" {
				cells = obs.Classes + " | " + map[bool]string{true: "yes", false: "no"}[obs.Rewrite]
				if !obs.Measured {
					cells = obs.Classes + " | n/m"
				}
			}
			if n := len(groups); n > 0 && groups[n-1].cells == cells {
				groups[n-1].majors = append(groups[n-1].majors, m)
				continue
			}
			groups = append(groups, group{[]int{m}, cells})
		}
		for i, g := range groups {
			name, example := "`"+row[0]+"`", "`"+strings.ReplaceAll(row[1], "|", `\|`)+"`"
			if i > 0 {
				name, example = "", ""
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", name, example, majorRange(g.majors), g.cells)
		}
	}
	return b.String()
}

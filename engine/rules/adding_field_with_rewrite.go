package rules

import (
	"fmt"

	pg "github.com/pganalyze/pg_query_go/v5"

	"github.com/migsafe/migsafe/engine/locks"
)

// AddingFieldWithRewrite finds ADD COLUMN forms that make PostgreSQL rewrite the table.
var AddingFieldWithRewrite = &Rule{
	ID:       "adding-field-with-rewrite",
	Category: LockContention,
	Status:   Block,
	Severity: Downtime,
	Summary:  "ADD COLUMN whose default or type makes PostgreSQL rewrite the whole table under its strongest lock",
	Doc: `BLOCK: the statement copies every row of the table into a new file, and rebuilds
every index, while holding ACCESS EXCLUSIVE: no query can read or write the table until
the copy ends, minutes to hours on a large table — an outage.

**When ADD COLUMN rewrites.** Each row must get its own value: a volatile default
(` + "`gen_random_uuid()`, `random()`, `clock_timestamp()`, `nextval(...)`" + `), a ` + "`serial`" + ` or
identity column, or ` + "`GENERATED ALWAYS AS (...) STORED`" + `. Before PostgreSQL 11 any non-NULL
default rewrites. From PostgreSQL 11 a constant, stable or immutable default
(` + "`DEFAULT 0`, `DEFAULT now()`, `DEFAULT statement_timestamp()`, `DEFAULT CURRENT_TIMESTAMP`" + `) is
stored once in the catalog and the statement is instant. Which functions are volatile
comes from migsafe's volatility table (` + "`engine/locks`" + `), which the lock oracle checks
against ` + "`pg_proc.provolatile`" + ` on every major, together with whether each really rewrites.

**Safe pattern.** Add the column with no default (or a constant one), set the default
for new rows with ` + "`ALTER COLUMN ... SET DEFAULT`" + ` (which never rewrites), and backfill
existing rows in batches. A stored generated column cannot be added without a rewrite:
add a plain column kept up to date by a trigger, backfill it, and switch later.

**Passes when** the table is new (created earlier in the same migration, or by a
migration that is not deployed yet), or its configured
size is below ` + "`small_table_rows`" + `. A default calling a function that is not in the
volatility table, or one whose overloads differ (` + "`AT TIME ZONE`" + ` before PostgreSQL 15), is a
FLAG: it rewrites only if the overload the server picks is volatile.

` + "```sql" + `
-- bad: every row gets its own uuid, so the table is rewritten
ALTER TABLE users ADD COLUMN public_id uuid DEFAULT gen_random_uuid();
-- good
ALTER TABLE users ADD COLUMN public_id uuid;
ALTER TABLE users ALTER COLUMN public_id SET DEFAULT gen_random_uuid();
-- backfill in batches: UPDATE users SET public_id = gen_random_uuid() WHERE id BETWEEN ...
` + "```",
	Check: func(p *Pass) {
		for _, part := range p.Locks.Parts {
			if part.Cmd == nil || part.Cmd.Subtype != pg.AlterTableType_AT_AddColumn || !part.Facts.Rewrite || !p.LockDurationMatters(part.Table) {
				continue
			}
			cd := part.Cmd.Def.GetColumnDef()
			if cd == nil {
				continue
			}
			why, help, status := rewriteCause(p, part.Shape, cd)
			l := PartLock(part)
			msg := fmt.Sprintf("column %q %s, so PostgreSQL rewrites %s and rebuilds its indexes; it %s until the rewrite ends", cd.Colname, why, part.Table, Impact(l))
			if d := p.PartDuration(part); d != "" {
				msg += " (" + d + ")"
			}
			if status != Block {
				msg = Verify(msg)
			}
			start := p.Stmt.Pos(part.Loc)
			p.Report(Diagnostic{Fixes: p.Fixes(volatileDefaultFixes(p.vouchFor(part.Table))), Start: start, End: p.ClauseEnd(start), Lock: &l, Status: StatusPtr(status), Message: msg, Help: help})
		}
	},
}

// rewriteCause says why an ADD COLUMN rewrites, what to do instead, and whether the
// rewrite is certain (BLOCK) or depends on a function migsafe does not know (FLAG).
func rewriteCause(p *Pass, s *locks.Shape, cd *pg.ColumnDef) (why, help string, status Status) {
	switch s {
	case locks.AddColumnGenerated:
		return "is serial, identity or GENERATED ... STORED: every existing row needs its own value",
			"Add a plain nullable column, create the sequence (or trigger) that fills it for new rows, and backfill existing rows in batches.", Block
	case locks.AddColumnVolatileDefault:
		vol, fn := locks.ExprVolatility(defaultExpr(cd), p.PG())
		if vol == locks.MaybeVolatile {
			return fmt.Sprintf("has a default calling %s(), %s; a volatile function is evaluated for every existing row", fn, unsureVolatility(fn, p.PG())),
				"Check the function's volatility (pg_proc.provolatile); if volatile, add the column without a default, SET DEFAULT for new rows, and backfill in batches.", Flag
		}
		return fmt.Sprintf("has a default calling %s(), which is volatile: it is evaluated once for every existing row", fn),
			"Add the column without a default, SET DEFAULT for new rows (no rewrite), and backfill existing rows in batches.", Block
	}
	return fmt.Sprintf("has a default, and before PostgreSQL 11 (pg_version = %d) any default is written into every row", p.PG()),
		"Add the column without a default, SET DEFAULT in a second statement (it applies to new rows only), and backfill in batches.", Block
}

func defaultExpr(cd *pg.ColumnDef) *pg.Node {
	for _, c := range cd.Constraints {
		if con := c.GetConstraint(); con != nil && con.Contype == pg.ConstrType_CONSTR_DEFAULT {
			return con.RawExpr
		}
	}
	return cd.RawDefault
}

// unsureVolatility says why migsafe cannot tell whether fn is volatile on major v.
func unsureVolatility(fn string, v int) string {
	if f := locks.FunctionByName(fn); f != nil && f.Classes(v) != "" {
		return fmt.Sprintf("which has volatile and non-volatile overloads on PostgreSQL %d, so it depends on the argument types", v)
	}
	return "which is not in migsafe's volatility table, so it may be volatile"
}

package rules

import (
	"fmt"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v5"

	"github.com/migsafe/migsafe/engine/estimate"
	"github.com/migsafe/migsafe/engine/locks"
	"github.com/migsafe/migsafe/engine/sqlast"
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
(` + "`gen_random_uuid()`, `random()`, `clock_timestamp()`, `nextval(...)`" + `, any function not known
to be stable), a ` + "`serial`" + ` or identity column, or ` + "`GENERATED ALWAYS AS (...) STORED`" + `. Before
PostgreSQL 11 any non-NULL default rewrites. From PostgreSQL 11 a constant or
stable default (` + "`DEFAULT 0`, `DEFAULT now()`, `DEFAULT CURRENT_TIMESTAMP`" + `) is stored once in the
catalog and the statement is instant.

**Safe pattern.** Add the column with no default (or a constant one), set the default
for new rows with ` + "`ALTER COLUMN ... SET DEFAULT`" + ` (which never rewrites), and backfill
existing rows in batches. A stored generated column cannot be added without a rewrite:
add a plain column kept up to date by a trigger, backfill it, and switch later.

**Passes when** the table was created earlier in the same migration, or its configured
size is below ` + "`small_table_rows`" + `. A default calling a function migsafe does not know is
a FLAG: it rewrites only if the function is volatile.

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
			if d := p.Duration(part.Table, estimate.Rewrite); d != "" {
				msg += " (" + d + ")"
			}
			if status != Block {
				msg = Verify(msg)
			}
			start := p.Stmt.Pos(part.Loc)
			p.Report(Diagnostic{Start: start, End: p.ClauseEnd(start), Lock: &l, Status: StatusPtr(status), Message: msg, Help: help})
		}
	},
}

// volatileFunctions are the volatile functions migrations use as defaults. A default
// calling a function outside this list and outside the knowledge base's stable list
// may or may not be volatile.
var volatileFunctions = map[string]bool{
	"gen_random_uuid": true, "uuid_generate_v1": true, "uuid_generate_v1mc": true, "uuid_generate_v4": true,
	"random": true, "clock_timestamp": true, "timeofday": true, "nextval": true, "txid_current": true,
	"statement_timestamp": true, "setseed": true, "uuidv7": true, "uuid_generate_v7": true,
}

// rewriteCause says why an ADD COLUMN rewrites, what to do instead, and whether the
// rewrite is certain (BLOCK) or depends on a function migsafe does not know (FLAG).
func rewriteCause(p *Pass, s *locks.Shape, cd *pg.ColumnDef) (why, help string, status Status) {
	switch s {
	case locks.AddColumnGenerated:
		return "is serial, identity or GENERATED ... STORED: every existing row needs its own value",
			"Add a plain nullable column, create the sequence (or trigger) that fills it for new rows, and backfill existing rows in batches.", Block
	case locks.AddColumnVolatileDefault:
		fn := unknownFunction(defaultExpr(cd))
		if fn != "" {
			return fmt.Sprintf("has a default calling %s(), which is evaluated for every existing row unless it is STABLE or IMMUTABLE", fn),
				"Check the function's volatility; if volatile, add the column without a default, SET DEFAULT for new rows, and backfill in batches.", Flag
		}
		return "has a volatile default, evaluated once for every existing row",
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

// unknownFunction names the function that makes the knowledge base call expr
// volatile when migsafe does not know it to be volatile; "" when a known volatile
// function settles it.
func unknownFunction(expr *pg.Node) string {
	unknown := ""
	certain := false
	sqlast.Walk(expr, func(n *pg.Node) {
		fc := n.GetFuncCall()
		if fc == nil {
			return
		}
		fn := strings.ToLower(sqlast.LastName(fc.Funcname))
		switch {
		case volatileFunctions[fn]:
			certain = true
		case unknown == "" && locks.IsVolatile(pg.MakeFuncCallNode(fc.Funcname, nil, 0)):
			unknown = fn
		}
	})
	if certain {
		return ""
	}
	return unknown
}

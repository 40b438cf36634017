package rules

import (
	"fmt"

	pg "github.com/pganalyze/pg_query_go/v5"

	"github.com/migsafe/migsafe/engine/coderefs"
	"github.com/migsafe/migsafe/engine/locks"
	"github.com/migsafe/migsafe/engine/sqlast"
)

// NarrowingTypeChange finds ALTER COLUMN ... TYPE to a type that holds less than the
// column's current one.
var NarrowingTypeChange = &Rule{
	ID:       "narrowing-type-change",
	Category: DataLoss,
	Status:   Flag,
	Severity: DataLossSev,
	Summary:  "ALTER COLUMN TYPE to a narrower type fails on, or silently truncates, existing values",
	Doc: `FLAG: converting to a type that holds less either fails the migration on the first
value that does not fit (bigint to integer, text to varchar(n), a smaller varchar, a
numeric with fewer digits) — after rewriting part of the table under ACCESS EXCLUSIVE —
or silently loses information (timestamptz to date drops the time, numeric to integer
and numeric(p,s) to fewer decimals round). Whether any current value is affected
depends on the data, which migsafe cannot see: the author verifies it.

**What counts.** integer ranks smallint < integer < bigint < numeric; text or
unbounded varchar to varchar(n) or char(n); varchar(m) to varchar(n < m); numeric(p,s)
to fewer integer digits or fewer decimals; double precision to real; timestamp or
timestamptz to date; any numeric or float type to an integer. When the column's current
type is not known (from this file or the earlier migrations of its set), a target of smallint, integer, varchar(n), char(n), bounded
numeric, real or date is reported with ` + "`Verify:`" + `, since it may be narrowing. The same
type again with a new ` + "`COLLATE`" + ` (Django's AlterField of ` + "`db_collation`" + `) narrows nothing;
with the current type not known, the message says so.

**Safe pattern.** Check first (` + "`SELECT count(*) FROM t WHERE length(col) > 10`" + `);
or add a CHECK constraint NOT VALID that enforces the new limit, VALIDATE it, fix the
violating rows, and only then change the type. Widening is always safe.

**With the workspace's code** the message names the code that reads or writes the
column: what it stores must fit the new type, in this release and the previous one.

**Passes when** the table is new and empty: created earlier in the same migration, or
by a migration that is not deployed yet, and not filled since.

` + "```sql" + `
ALTER TABLE events ALTER COLUMN id TYPE integer;          -- bigint -> integer
ALTER TABLE users ALTER COLUMN name TYPE varchar(10);     -- varchar(50) -> varchar(10)
` + "```",
	Check: func(p *Pass) {
		for _, part := range p.Locks.Parts {
			if (part.Shape != locks.AlterColumnType && part.Shape != locks.AlterColumnTypeCoercible && part.Shape != locks.AlterColumnTypeCollation) || p.IsEmpty(part.Table) {
				continue
			}
			cd := part.Cmd.Def.GetColumnDef()
			if cd == nil || cd.TypeName == nil {
				continue
			}
			to := cd.TypeName
			start, end := p.TypeSpan(to.Location)
			l := PartLock(part)
			col := part.Table + "." + part.Cmd.Name
			if from, ok := p.State.ColumnType(part.Table, part.Cmd.Name); ok {
				why := narrowing(from, to)
				if why == "" {
					continue
				}
				p.Report(withRetypeCode(p, Diagnostic{Start: start, End: end, Lock: &l, Deploy: &afterCode,
					Message: Verify(fmt.Sprintf("every current value of %s fits: changing it from %s to %s %s (it %s)", col, sqlast.TypeText(from), sqlast.TypeText(to), why, Impact(l))),
					Help:    "Check the data first, or enforce the new limit with a CHECK ... NOT VALID constraint, VALIDATE it and fix violations before changing the type."},
					coderefs.Object{Table: part.Table, Column: part.Cmd.Name}))
				continue
			}
			if !narrowTarget(to) {
				continue
			}
			msg := Verify(fmt.Sprintf("every current value of %s fits in %s: its current type is not known from this migration or the earlier ones, and if it is wider, values that do not fit fail the migration or are truncated (it %s)", col, sqlast.TypeText(to), Impact(l)))
			if cd.CollClause != nil {
				// Django's AlterField of db_collation alone writes the same type again.
				msg += fmt.Sprintf("; if it already is %s and only the collation changes, nothing is narrowed", sqlast.TypeText(to))
			}
			p.Report(withRetypeCode(p, Diagnostic{Start: start, End: end, Lock: &l, Deploy: &afterCode,
				Message: msg,
				Help:    "Check the current type and the data first; enforce the new limit with a CHECK ... NOT VALID constraint before changing the type."},
				coderefs.Object{Table: part.Table, Column: part.Cmd.Name}))
		}
	},
}

// afterCode: a narrowing change runs once no deployed code writes values that do not fit.
var afterCode = locks.AfterCode

// intRank orders the integer-like types by the values they hold.
var intRank = map[string]int{"int2": 1, "int4": 2, "int8": 3, "numeric": 4}

// narrowing says how a change from one type to another loses values; "" when it does not.
func narrowing(from, to *pg.TypeName) string {
	f, t := sqlast.TypeName(from), sqlast.TypeName(to)
	fm, tm := sqlast.Typmods(from), sqlast.Typmods(to)
	isInt := func(s string) bool { return s == "int2" || s == "int4" || s == "int8" }
	switch {
	case isInt(f) && isInt(t) && intRank[t] < intRank[f]:
		return "fails on values out of the new range"
	case (f == "numeric" || f == "float4" || f == "float8") && isInt(t):
		return "rounds away fractions and fails on values out of range"
	case (f == "text" || f == "varchar" || f == "bpchar") && (t == "varchar" || t == "bpchar") && len(tm) == 1:
		if f == "text" || len(fm) == 0 || tm[0] < fm[0] {
			return "fails on longer strings"
		}
	case f == "numeric" && t == "numeric" && len(tm) > 0:
		if len(fm) == 0 {
			return "fails on values with more digits and rounds extra decimals"
		}
		fs, ts := scale(fm), scale(tm)
		if tm[0]-ts < fm[0]-fs {
			return "fails on values with more integer digits"
		}
		if ts < fs {
			return "rounds away decimals"
		}
	case f == "float8" && t == "float4":
		return "loses precision"
	case (f == "timestamptz" || f == "timestamp") && t == "date":
		return "drops the time of day"
	}
	return ""
}

func scale(mods []int32) int32 {
	if len(mods) > 1 {
		return mods[1]
	}
	return 0
}

// narrowTarget reports target types that narrow most columns they are applied to.
func narrowTarget(t *pg.TypeName) bool {
	switch sqlast.TypeName(t) {
	case "int2", "int4", "float4", "date":
		return true
	case "varchar", "bpchar", "numeric":
		return len(sqlast.Typmods(t)) > 0
	}
	return false
}

package rules

import (
	"fmt"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v5"

	"github.com/migsafe/migsafe/engine/locks"
	"github.com/migsafe/migsafe/engine/sqlast"
)

// ChangingColumnType finds ALTER COLUMN ... TYPE that rewrites the table.
var ChangingColumnType = &Rule{
	ID:       "changing-column-type",
	Category: LockContention,
	Status:   Block,
	Severity: Downtime,
	Summary:  "ALTER COLUMN TYPE that rewrites the table and its indexes under its strongest lock",
	Doc: `BLOCK: changing a column's type to one that is not binary-coercible from the old
one copies every row and rebuilds every index of the table while holding ACCESS
EXCLUSIVE, so no query can read or write the table until it ends — minutes to hours on
a large table. ` + "`int` to `bigint`" + ` is the classic case.

**What does not rewrite.** Binary-coercible changes keep the data in place:
` + "`varchar(n)` to `varchar(m)` with m >= n, `varchar` to `text`, `numeric(p,s)` to `numeric(q,s)`" + ` with
q >= p, ` + "`varbit(n)` to `varbit(m)`" + ` with m >= n, a higher (or dropped) fractional-seconds
precision of ` + "`timestamp`, `timestamptz`, `time` or `timetz` (`timestamp(3)` to `timestamp`)" + `, and
dropping a length limit. When the old type is known (the table was created, the
column added or its type last changed, earlier in the same migration or in an earlier
migration of its set) such a change passes. When it is
not, a target type that could be such a widening (` + "`text`, `varchar`, `varchar(n)`, `numeric`" + `)
is a FLAG: verify the column's current type. A ` + "`USING`" + ` clause rewrites unless it is
the column itself, or the column cast to the new type (as Django writes it).

**A new collation.** ` + "`TYPE varchar(100) COLLATE \"C\"`" + ` on a column that stays
` + "`varchar(100)`" + ` (Django's AlterField of ` + "`db_collation`" + `) keeps the data in place but
rebuilds every index on the column, under the same ACCESS EXCLUSIVE; so does a type
change without ` + "`COLLATE`" + ` on a column that has one (the collation resets to the
type's default: Django's reverse), while the collation it already has changes nothing.
A FLAG, with
` + "`Verify:`" + ` when the table's indexes are not known; it passes when they are and none
reads the column.

**Depends on the session.** From PostgreSQL 12, ` + "`timestamp`" + ` to ` + "`timestamptz`" + ` (and back)
keeps the data in place when the session's ` + "`TimeZone`" + ` has a zero offset (UTC), and
rewrites under any other: with the old type known and no ` + "`SET TimeZone`" + ` earlier in the
file, that is a FLAG saying ` + "`Verify:`" + `; after ` + "`SET TimeZone = 'UTC'`" + ` it passes.

**Safe pattern.** Add a new column of the new type, keep it in sync with a trigger,
backfill it in batches, switch the application to it, then drop the old column
(expand/contract). For an ` + "`int`" + ` primary key, backfill a ` + "`bigint`" + ` column, build its unique
index concurrently, and swap the constraint with ` + "`ADD CONSTRAINT ... PRIMARY KEY USING INDEX`" + `.

**Passes when** the table is new (created earlier in the same migration, or by a
migration that is not deployed yet), or its configured
size is below ` + "`small_table_rows`" + `.

` + "```sql" + `
-- bad: rewrites orders and all its indexes
ALTER TABLE orders ALTER COLUMN id TYPE bigint;
-- no rewrite: widening a varchar
ALTER TABLE orders ALTER COLUMN note TYPE varchar(500);  -- when note is varchar(200)
` + "```",
	Check: func(p *Pass) {
		for _, part := range p.Locks.Parts {
			if part.Shape != locks.AlterColumnType && part.Shape != locks.AlterColumnTypeCollation || !p.LockDurationMatters(part.Table) {
				continue
			}
			cd := part.Cmd.Def.GetColumnDef()
			if cd == nil || cd.TypeName == nil {
				continue
			}
			if part.Shape == locks.AlterColumnTypeCollation {
				collationChange(p, part, cd)
				continue
			}
			typ, start, end := typeClause(p, cd)
			l := PartLock(part)
			target := p.SQL(typ, typeEnd(p, typ, end))
			old, known := p.State.ColumnType(part.Table, part.Cmd.Name)
			msg := fmt.Sprintf("changing %s.%s to %s rewrites the table and rebuilds its indexes; it %s until the rewrite ends", part.Table, part.Cmd.Name, target, Impact(l))
			status := Block
			if known && locks.KeepsValues(cd, part.Cmd.Name) && p.PG() >= 12 && zoneConversion(old, cd.TypeName) {
				// PostgreSQL 12+ converts between timestamp and timestamptz in place
				// when the session's TimeZone has a zero offset (checked on 12 and 15).
				utc, set := p.State.TimeZoneUTC()
				switch {
				case utc:
					continue
				case !set:
					status = Flag
					msg = Verify(fmt.Sprintf("the session running the migration has TimeZone = UTC: PostgreSQL 12+ then changes %s.%s from %s to %s in place; under any other time zone it rewrites the table and rebuilds its indexes, and a rewrite %s until it ends", part.Table, part.Cmd.Name, sqlast.TypeText(old), target, Impact(l)))
				}
			}
			if widensFrom := coercibleFrom(cd.TypeName); !known && locks.KeepsValues(cd, part.Cmd.Name) && widensFrom != "" {
				status = Flag
				msg = Verify(fmt.Sprintf("changing %s.%s to %s rewrites the table and rebuilds its indexes unless the column is currently %s; a rewrite %s until it ends", part.Table, part.Cmd.Name, target, widensFrom, Impact(l)))
				if cd.CollClause != nil {
					msg += "; without one, the new collation still rebuilds the indexes on the column under that lock"
				}
			}
			if d := p.PartDuration(part); d != "" {
				msg += " (" + d + ")"
			}
			p.Report(Diagnostic{Fixes: p.Fixes(changeTypeFixes), Start: start, End: end, Lock: &l, Status: StatusPtr(status), Message: msg,
				Help: "Add a column of the new type, sync it with a trigger, backfill in batches, switch reads and writes to it, then drop the old column."})
		}
	},
}

// typeClause locates an ALTER COLUMN's new type: where the type starts, where its
// clause starts (the TYPE keyword, or the type itself without one) and ends.
func typeClause(p *Pass, cd *pg.ColumnDef) (typ, start, end int) {
	typ = p.Stmt.Pos(cd.TypeName.Location)
	start, ok := p.KeywordBefore(typ, "TYPE")
	if !ok {
		start = typ
	}
	return typ, start, p.ClauseEnd(start)
}

// collationChange reports a COLLATE on a type change that alone keeps the data in
// place: the table is not rewritten, but every index on the column is built again
// (the collation is part of its definition) under ACCESS EXCLUSIVE. Nothing to report
// when the table's indexes are known and none reads the column.
func collationChange(p *Pass, part locks.Part, cd *pg.ColumnDef) {
	col := part.Cmd.Name
	indexed := p.State.IndexUses(part.Table, col)
	if !indexed && p.State.IndexesKnown(part.Table) {
		return
	}
	typ, start, end := typeClause(p, cd)
	l := PartLock(part)
	target := p.SQL(typ, end)
	if cd.CollClause == nil {
		target += ", the type's default collation"
	}
	msg := fmt.Sprintf("changing the collation of %s.%s (to %s) keeps the table's data in place but rebuilds the indexes on the column for the new collation; the rebuild %s until it ends", part.Table, col, target, Impact(l))
	if !indexed {
		msg = Verify(fmt.Sprintf("which indexes read %s.%s: changing its collation (to %s) keeps the table's data in place but rebuilds every index on the column for the new collation, and a rebuild %s until it ends", part.Table, col, target, Impact(l)))
	}
	if d := p.PartDuration(part); d != "" {
		msg += " (" + d + ")"
	}
	// No expand/contract fix: it copies the type, not the collation.
	p.Report(Diagnostic{Start: start, End: end, Lock: &l, Status: StatusPtr(Flag), Message: msg,
		Help: "On a large table, add a column with the new collation, backfill it in batches, build its indexes concurrently, switch to it, then drop the old column."})
}

// zoneConversion reports a change between timestamp and timestamptz, whose rewrite
// depends on the session's TimeZone.
func zoneConversion(from, to *pg.TypeName) bool {
	f, t := sqlast.TypeName(from), sqlast.TypeName(to)
	return f == "timestamp" && t == "timestamptz" || f == "timestamptz" && t == "timestamp"
}

// typeEnd is the end of the type name that starts at typ: its last token before a
// USING or COLLATE, within the clause.
func typeEnd(p *Pass, typ, clauseEnd int) int {
	end := typ
	for _, t := range p.Stmt.Tokens {
		if int(t.Start) < typ {
			continue
		}
		if w := p.Stmt.TokenText(t); int(t.Start) >= clauseEnd || strings.EqualFold(w, "USING") || strings.EqualFold(w, "COLLATE") {
			break
		}
		end = int(t.End)
	}
	return end
}

// coercibleFrom describes the old types from which a change to t keeps the data in
// place; "" when no change to t can avoid the rewrite.
func coercibleFrom(t *pg.TypeName) string {
	mods := sqlast.Typmods(t)
	switch name := sqlast.TypeName(t); {
	case name == "text":
		return "varchar or text"
	case name == "varchar" && len(mods) == 0:
		return "varchar or text"
	case name == "varchar" && len(mods) == 1:
		return fmt.Sprintf("varchar(m) with m <= %d", mods[0])
	case name == "numeric" && len(mods) == 0:
		return "numeric"
	case name == "numeric" && len(mods) == 2:
		return fmt.Sprintf("numeric(q, %d) with q <= %d", mods[1], mods[0])
	}
	return ""
}

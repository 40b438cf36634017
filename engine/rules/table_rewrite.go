package rules

import (
	"fmt"

	"github.com/migsafe/migsafe/engine/locks"
)

// TableRewrite finds maintenance statements that rewrite a table under ACCESS EXCLUSIVE.
var TableRewrite = &Rule{
	ID:       "table-rewrite",
	Category: LockContention,
	Status:   Block,
	Severity: Downtime,
	Summary:  "VACUUM FULL, CLUSTER, SET TABLESPACE or SET LOGGED/UNLOGGED rewrites the table while blocking all access",
	Doc: `BLOCK: these statements copy the whole table (and rebuild its indexes) into new
files while holding ACCESS EXCLUSIVE, so nothing can read or write the table until the
copy ends — minutes to hours on a large table, and the disk needs room for a second
copy meanwhile.

**Safe pattern.** Reclaim bloat online with ` + "`pg_repack`" + ` or ` + "`pg_squeeze`" + ` instead of ` + "`VACUUM FULL`" + `
or ` + "`CLUSTER`" + `; move a table to another tablespace with a new table filled by logical
replication or batched copies; plan ` + "`SET LOGGED`" + ` (which also writes the whole table to
WAL) for a maintenance window. Plain ` + "`VACUUM`" + ` needs no lock that blocks traffic.

**Passes when** the table is new (created earlier in the same migration, or by a
migration that is not deployed yet), or its configured
size is below ` + "`small_table_rows`" + `. VACUUM FULL or CLUSTER without a table name rewrites
every table: always reported.`,
	Check: func(p *Pass) {
		for _, part := range p.Locks.Parts {
			var start, end int
			var ok bool
			switch part.Shape {
			case locks.VacuumFull:
				if start, _, ok = p.Keyword("VACUUM"); ok {
					_, end, ok = p.Keyword("FULL")
				}
			case locks.Cluster:
				start, end, ok = p.Keyword("CLUSTER")
			case locks.SetTablespace:
				if start, _, ok = p.Keyword("SET", "TABLESPACE"); ok {
					end = p.ClauseEnd(start)
				}
			case locks.SetLogged:
				if start, _, ok = p.Keyword("SET", "LOGGED"); !ok {
					start, _, ok = p.Keyword("SET", "UNLOGGED")
				}
				end = p.ClauseEnd(start)
			default:
				continue
			}
			if part.Table != "" && !p.LockDurationMatters(part.Table) {
				continue
			}
			if !ok {
				start, end = p.Whole()
			}
			l := PartLock(part)
			what := "the table"
			if part.Table == "" {
				what = "every table in the database"
			}
			msg := fmt.Sprintf("%s rewrites %s and rebuilds its indexes; it %s until the rewrite ends", part.Shape.Title, what, Impact(l))
			if part.Table != "" {
				if d := p.PartDuration(part); d != "" {
					msg += " (" + d + ")"
				}
			}
			p.Report(Diagnostic{Start: start, End: end, Lock: &l, Message: msg,
				Help: "Use pg_repack or pg_squeeze for bloat and reordering, or schedule the rewrite in a maintenance window."})
		}
	},
}

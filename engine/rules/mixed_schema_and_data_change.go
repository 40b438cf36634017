package rules

import (
	"strconv"

	pg "github.com/pganalyze/pg_query_go/v5"

	"github.com/migsafe/migsafe/engine/locks"
	"github.com/migsafe/migsafe/engine/migration"
)

// MixedSchemaAndDataChange finds a schema change and a data change to the same existing
// table in one transaction.
var MixedSchemaAndDataChange = &Rule{
	ID:       "mixed-schema-and-data-change",
	Category: ConcurrentWriteHazards,
	Status:   Flag,
	Severity: Downtime,
	Summary:  "schema change and data change of the same table in one transaction",
	Doc: `FLAG: a transaction keeps every lock until it commits. When a migration alters a
table and then updates or deletes its rows in the same transaction, the ALTER's lock —
usually ACCESS EXCLUSIVE — is held for as long as the data change runs, so a backfill
that would only have locked the rows it touched blocks every read and write of the
table. In the other order, the rows the data change touched stay locked while the ALTER
waits for the table lock: another session's write to one of those rows holds the ROW
EXCLUSIVE lock the ALTER waits for while it waits for the migration, a deadlock
PostgreSQL ends by aborting one of the two (checked on PostgreSQL 15). It also makes the migration impossible to resume:
a failure in the data step rolls back the schema step. It is a FLAG because a data
change that touches a few rows finishes quickly; the author must verify it does.

**Safe pattern.** Expand, migrate, contract, each its own migration: the schema change
first (committed, lock released), then the data change in bounded batches outside the
migration's transaction, then the constraints or drops that depend on it.

**Passes when** the table is new: created earlier in the same migration, or by a
migration that is not deployed yet (seeding a new
table is fine), when the statements run in separate transactions, or when the table's
configured size is below ` + "`small_table_rows`" + `. INSERT ... VALUES counts as a schema-neutral
seed, not a data change; INSERT ... SELECT counts.

` + "```sql" + `
-- bad: one transaction
BEGIN;
ALTER TABLE users ADD COLUMN email_lower text;
UPDATE users SET email_lower = lower(email);
COMMIT;
-- good: 0042 adds the column; the backfill runs in batches; 0043 adds the constraint
` + "```",
	Check: func(p *Pass) {
		if !p.Stmt.Tx.In() {
			return
		}
		for _, part := range p.Locks.Parts {
			table := part.Table
			if table == "" || p.IsNew(table) || !p.LockDurationMatters(table) {
				continue
			}
			var other *migration.Statement
			data := isDataChange(part, p.Stmt.Node)
			switch {
			case data:
				other = p.State.SchemaChanged[p.Stmt.Tx.ID][p.State.Key(table)]
			case isSchemaChange(part):
				other = p.State.DataChanged[p.Stmt.Tx.ID][p.State.Key(table)]
				if other != nil && !isDataChange(locks.Part{Shape: dataShape(other)}, other.Node) {
					other = nil
				}
			}
			if other == nil {
				continue
			}
			// Each statement's lock on the table is held from that statement to the
			// commit; the pair is a hazard only when the stronger of the two blocks reads
			// or writes.
			held := p.LockOn(table)
			for _, l := range p.AnalysisOf(other).Locks {
				if l.Role == "table" && p.SameTable(l.Relation, table) && (held == nil || l.Mode > held.Mode) {
					l := l
					held = &l
				}
			}
			if held == nil || !held.Mode.Blocking() || !p.State.Once("mixed:"+strconv.Itoa(p.Stmt.Tx.ID)+":"+p.State.Key(table)) {
				continue
			}
			line := p.Line(other.Start)
			tx := " (" + p.Stmt.Tx.Describe(p.File.Runner) + ")"
			msg := part.Shape.Title + " changes the data of " + table + " in the same transaction as the schema change on line " + strconv.Itoa(line) + tx +
				": the transaction " + Impact(*held) + " until it commits, through the data change"
			if !data {
				// Data first: the strong lock comes after the data change, so it is not held
				// through it. The data change's row locks are, while the schema change waits
				// for a lock that conflicts with the ROW EXCLUSIVE every writer holds: a
				// writer blocked on one of those rows holds what the schema change waits
				// for, and PostgreSQL breaks the cycle by aborting one of the two.
				queued := "write"
				if held.Mode.Blocks().Reads {
					queued = "query"
				}
				msg = part.Shape.Title + " changes the schema of " + table + " in the same transaction as the data change on line " + strconv.Itoa(line) + tx +
					": the rows that change are locked until COMMIT while this statement waits for " + held.Mode.String() + " on " + table +
					", so a write by another session to one of them deadlocks with the migration (PostgreSQL aborts one of the two), and every later " + queued + " on " + table + " queues behind the wait"
			}
			p.Report(Diagnostic{Start: p.Stmt.Start, End: stmtEnd(p), Lock: held, Message: Verify("the data change touches only a few rows, or split it into its own migration: " + msg),
				Help: "Commit the schema change in one migration and run the data change in another (in bounded batches)."})
		}
	},
}

// isDataChange: UPDATE, DELETE, or INSERT ... SELECT (a VALUES list is a seed of a few rows).
func isDataChange(part locks.Part, n *pg.Node) bool {
	switch part.Shape {
	case locks.Update, locks.Delete, locks.InsertSelect:
		return true
	case locks.Insert:
		ins := n.GetInsertStmt()
		return ins != nil && ins.SelectStmt.GetSelectStmt() != nil && ins.SelectStmt.GetSelectStmt().ValuesLists == nil
	}
	return false
}

func dataShape(st *migration.Statement) *locks.Shape {
	switch {
	case st.Node.GetUpdateStmt() != nil:
		return locks.Update
	case st.Node.GetDeleteStmt() != nil:
		return locks.Delete
	}
	return locks.Insert
}

func isSchemaChange(part locks.Part) bool {
	switch part.Shape {
	case locks.Update, locks.Delete, locks.Insert, locks.InsertSelect, locks.LockTable, locks.Comment, locks.Analyze:
		return false
	}
	return true
}

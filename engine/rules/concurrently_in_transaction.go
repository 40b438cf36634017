package rules

import (
	"fmt"

	"github.com/migsafe/migsafe/engine/migration"
)

// ConcurrentlyInTransaction finds statements that PostgreSQL refuses to run inside a
// transaction block (CREATE INDEX CONCURRENTLY and friends) where the file or its
// runner puts them in one.
var ConcurrentlyInTransaction = &Rule{
	ID:       "concurrently-in-transaction",
	Category: LockContention,
	Status:   Block,
	Severity: Safety,
	Summary:  "a statement that cannot run in a transaction block runs in one: the migration fails",
	Doc: `BLOCK: the deploy fails with "cannot run inside a transaction block" (PostgreSQL 10:
"cannot be executed from a function or multi-command string").

Which statements: ` + "`CREATE INDEX CONCURRENTLY`, `DROP INDEX CONCURRENTLY`, `REINDEX ... CONCURRENTLY`, `DETACH PARTITION ... CONCURRENTLY`, `VACUUM`" + `,
before PostgreSQL 12 ` + "`ALTER TYPE ... ADD VALUE`" + `, and a ` + "`DO`" + ` block whose body COMMITs or ROLLBACKs
("invalid transaction termination"). Inside a DO body the first ones fail whatever the
transaction: PostgreSQL runs the body as a function ("cannot be executed from a
function"). A COMMIT inside a block with an EXCEPTION clause always fails, since that
block is a subtransaction.

Where the transaction comes from: an explicit ` + "`BEGIN`" + ` in the file; a runner that wraps
each migration (goose and dbmate by default, Diesel, Flyway); or a runner that sends
the whole file as one multi-statement query, which PostgreSQL runs as one implicit
transaction (golang-migrate, Prisma, dbmate with ` + "`transaction:false`" + `, Diesel with
` + "`run_in_transaction = false`" + `). A statement alone in its file or section is safe
from the last.

**Safe pattern.** Give the statement a migration of its own and turn the runner's
transaction off: ` + "`-- +goose NO TRANSACTION`, `-- migrate:up transaction:false`" + `, one
statement per golang-migrate file.

**Flyway** recognises most of these statements itself and then runs the whole migration
without a transaction. A migration that mixes them with ordinary statements is refused
("Detected both transactional and non-transactional statements") unless Flyway's
` + "`mixed`" + ` setting is on, and with it every statement runs in autocommit, so a failure half-way
leaves the earlier statements applied. migsafe cannot see that setting: the mixed case
is a FLAG starting with ` + "`Verify:`" + `, reported once per file. Flyway does not recognise
` + "`REINDEX ... CONCURRENTLY`" + ` and ` + "`DETACH PARTITION ... CONCURRENTLY`" + `: it runs them in its
transaction, and they fail.`,
	Check: func(p *Pass) {
		if p.File.Runner == migration.Flyway && p.File.Mixed && migration.FlywayNonTransactional(p.Stmt.Node, p.PG()) {
			if p.State.Once("concurrently-in-transaction/flyway-mixed") {
				start, end := concurrentlySpan(p)
				p.Report(Diagnostic{Start: start, End: end, Status: StatusPtr(Flag),
					Message: Verify(fmt.Sprintf("Flyway's mixed setting is on: this migration mixes %s, which Flyway runs only outside a transaction, with transactional statements; Flyway refuses such a migration unless mixed = true, and then runs every statement without a transaction", describeStmt(p))),
					Help:    "Move the non-transactional statements into a migration of their own, so the rest keeps Flyway's transaction."})
			}
			return
		}
		commitsInSubtransaction(p)
		if !p.Locks.NoTransaction || !p.Stmt.Tx.In() {
			return
		}
		start, end := concurrentlySpan(p)
		if p.Stmt.Parent != nil {
			p.Report(Diagnostic{Start: start, End: end,
				Message: fmt.Sprintf("%s cannot run inside a DO block: PostgreSQL runs the body as a function, where it is refused (\"cannot be executed from a function\") whatever the transaction; the migration fails", describeStmt(p)),
				Help:    "Run it as a statement of its own at the top level of the migration, outside any transaction (see the help for the runner)."})
			return
		}
		msg := fmt.Sprintf("%s cannot run inside a transaction block, and this statement runs %s: the migration fails", describeStmt(p), p.Stmt.Tx.Describe(p.File.Runner))
		p.Report(Diagnostic{Fixes: p.Fixes(inTransactionFixes), Start: start, End: end, Message: msg, Help: noTxHelp(p)})
	},
}

// commitsInSubtransaction reports a COMMIT or ROLLBACK of a DO body inside a block with
// an EXCEPTION clause: the block runs as a subtransaction, where PostgreSQL refuses to
// end the transaction ("cannot commit while a subtransaction is active"), and a WHEN
// OTHERS handler swallows that error, silently rolling the block's work back.
// (Before PostgreSQL 11 no COMMIT in PL/pgSQL works: unsupported-on-version says so.)
func commitsInSubtransaction(p *Pass) {
	if p.Stmt.Body == nil || p.PG() < 11 {
		return
	}
	for _, c := range p.Stmt.Body.TxControl {
		if c.InException {
			p.Report(Diagnostic{Start: c.Start, End: c.End,
				Message: fmt.Sprintf("%s inside a block with an EXCEPTION clause fails: that block runs as a subtransaction, where PostgreSQL refuses to end the transaction (\"cannot commit while a subtransaction is active\"), and a WHEN OTHERS handler would swallow the error and roll the block's work back", c.Text),
				Help:    "Move the " + c.Text + " out of the BEGIN ... EXCEPTION ... END block, to the DO block's top level."})
		}
	}
}

// describeStmt names the statement by its knowledge-base shape.
func describeStmt(p *Pass) string {
	if len(p.Locks.Parts) > 0 {
		return p.Locks.Parts[0].Shape.Title
	}
	if p.Stmt.Node.GetDoStmt() != nil {
		return "a DO block that commits (or rolls back) its transaction"
	}
	start, end := p.Lead(2)
	return p.SQL(start, end)
}

// concurrentlySpan is the clause that makes a statement non-transactional: its
// CONCURRENTLY, the first COMMIT of a DO body, or the statement's leading keywords
// (VACUUM, ALTER TYPE ... ADD VALUE).
func concurrentlySpan(p *Pass) (int, int) {
	if b := p.Stmt.Body; b != nil && len(b.TxControl) > 0 {
		return b.TxControl[0].Start, b.TxControl[0].End
	}
	if start, end, ok := p.Keyword("CONCURRENTLY"); ok {
		return start, end
	}
	if start, end, ok := p.Keyword("ADD", "VALUE"); ok {
		return start, end
	}
	return p.Lead(1)
}

func noTxHelp(p *Pass) string {
	switch p.File.Runner {
	case "goose":
		return "Move it to its own migration with `-- +goose NO TRANSACTION`."
	case "dbmate":
		return "Move it to its own migration file with `-- migrate:up transaction:false` and no other statement."
	case "golang-migrate", "prisma":
		return "Move it to a migration file of its own: a single statement is not wrapped in a transaction."
	case "diesel":
		return "Move it to its own migration with `run_in_transaction = false` in metadata.toml and no other statement."
	case "flyway":
		if p.Stmt.Node.GetDoStmt() != nil {
			return "Move it to its own migration with executeInTransaction=false in its .sql.conf: Flyway does not look inside a DO block."
		}
		return "Move it to its own migration; Flyway runs a migration of only non-transactional statements outside a transaction."
	}
	return "Move it out of the BEGIN ... COMMIT block."
}

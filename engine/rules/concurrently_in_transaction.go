package rules

import (
	"fmt"
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

Which statements: ` + "`CREATE INDEX CONCURRENTLY`, `DROP INDEX CONCURRENTLY`, `REINDEX ... CONCURRENTLY`, `DETACH PARTITION ... CONCURRENTLY`, `VACUUM`" + `, and
before PostgreSQL 12 ` + "`ALTER TYPE ... ADD VALUE`" + `.

Where the transaction comes from: an explicit ` + "`BEGIN`" + ` in the file; a runner that wraps
each migration (goose and dbmate by default, Diesel, Flyway); or a runner that sends
the whole file as one multi-statement query, which PostgreSQL runs as one implicit
transaction (golang-migrate, Prisma, dbmate with ` + "`transaction:false`" + `, Diesel with
` + "`run_in_transaction = false`" + `). A statement alone in its file or section is safe
from the last.

**Safe pattern.** Give the statement a migration of its own and turn the runner's
transaction off: ` + "`-- +goose NO TRANSACTION`, `-- migrate:up transaction:false`" + `, one
statement per golang-migrate file.`,
	Check: func(p *Pass) {
		if !p.Locks.NoTransaction || !p.Stmt.Tx.In() {
			return
		}
		title := p.Locks.Parts[0].Shape.Title
		msg := fmt.Sprintf("%s cannot run inside a transaction block, and this statement runs %s: the migration fails", title, p.Stmt.Tx.Describe(p.File.Runner))
		start, end, ok := p.Keyword("CONCURRENTLY")
		if !ok {
			start, end = p.Stmt.Start, p.Stmt.End
		}
		p.Report(Diagnostic{Start: start, End: end, Message: msg, Help: noTxHelp(p)})
	},
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
		return "Move it to its own migration; Flyway runs a migration of only non-transactional statements outside a transaction."
	}
	return "Move it out of the BEGIN ... COMMIT block."
}

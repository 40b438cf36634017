package rules

import (
	"fmt"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v5"
)

// PreferRobustStmts finds CREATE and DROP statements that fail when re-run after a
// partial failure.
var PreferRobustStmts = &Rule{
	ID:       "prefer-robust-stmts",
	Category: MissingRollback,
	Status:   Flag,
	Severity: Safety,
	Summary:  "CREATE / DROP without IF [NOT] EXISTS outside a transaction cannot be re-run after a partial failure (opt-in)",
	OptIn:    true,
	Doc: `FLAG (opt-in): a migration that runs outside a transaction (psql -f, goose NO
TRANSACTION, a single CREATE INDEX CONCURRENTLY) and fails half-way leaves the
statements before the failure applied. Re-running it then fails on the first
` + "`CREATE`" + ` whose object already exists or the first ` + "`DROP`" + ` whose object is gone, and
someone has to finish it by hand. ` + "`IF NOT EXISTS`" + ` / ` + "`IF EXISTS`" + ` make each statement
idempotent. (A failed ` + "`CREATE INDEX CONCURRENTLY`" + ` leaves an INVALID index behind:
drop it before retrying.)

**Passes when** the statement runs inside a transaction: a failure rolls everything
back and a re-run starts clean.

**Checks** CREATE TABLE, INDEX, SCHEMA, SEQUENCE and EXTENSION, every DROP, and
ALTER TABLE ... ADD COLUMN / DROP COLUMN. Enable with
` + "`[rules] enable = [\"prefer-robust-stmts\"]`" + `.

` + "```sql" + `
-- good
CREATE INDEX CONCURRENTLY IF NOT EXISTS users_email_idx ON users (email);
ALTER TABLE users DROP COLUMN IF EXISTS legacy;
` + "```",
	Check: func(p *Pass) {
		if p.Stmt.Tx.In() {
			return
		}
		n := p.Stmt.Node
		report := func(start, end int, what, fix string) {
			p.Report(Diagnostic{Start: start, End: end,
				Message: fmt.Sprintf("%s without %s fails if the migration is re-run after a partial failure (it runs outside a transaction)", what, fix),
				Help:    fmt.Sprintf("Write %s so that a re-run skips work already done.", fix)})
		}
		head := func(kind string) (int, int) {
			if _, e, ok := p.Keyword(kind); ok {
				return p.Stmt.Start, e
			}
			return p.Stmt.Start, stmtEnd(p)
		}
		switch {
		case n.GetCreateStmt() != nil && !n.GetCreateStmt().IfNotExists:
			s, e := head("TABLE")
			report(s, e, "CREATE TABLE", "IF NOT EXISTS")
		case n.GetIndexStmt() != nil && !n.GetIndexStmt().IfNotExists:
			s, e := head("INDEX")
			report(s, e, "CREATE INDEX", "IF NOT EXISTS")
		case n.GetCreateSchemaStmt() != nil && !n.GetCreateSchemaStmt().IfNotExists:
			s, e := head("SCHEMA")
			report(s, e, "CREATE SCHEMA", "IF NOT EXISTS")
		case n.GetCreateSeqStmt() != nil && !n.GetCreateSeqStmt().IfNotExists:
			s, e := head("SEQUENCE")
			report(s, e, "CREATE SEQUENCE", "IF NOT EXISTS")
		case n.GetCreateExtensionStmt() != nil && !n.GetCreateExtensionStmt().IfNotExists:
			s, e := head("EXTENSION")
			report(s, e, "CREATE EXTENSION", "IF NOT EXISTS")
		case n.GetDropStmt() != nil && !n.GetDropStmt().MissingOk:
			kind := strings.TrimPrefix(n.GetDropStmt().RemoveType.String(), "OBJECT_")
			s, e := p.Stmt.Start, stmtEnd(p)
			if len(p.Stmt.Tokens) > 1 {
				e = int(p.Stmt.Tokens[1].End)
			}
			report(s, e, "DROP "+strings.ReplaceAll(kind, "_", " "), "IF EXISTS")
		case n.GetAlterTableStmt() != nil:
			for _, c := range n.GetAlterTableStmt().Cmds {
				cmd := c.GetAlterTableCmd()
				switch {
				case cmd.GetSubtype() == pg.AlterTableType_AT_AddColumn && !cmd.MissingOk:
					s, e, ok := p.Keyword("ADD", "COLUMN")
					if !ok {
						s, e, ok = p.Keyword("ADD")
					}
					if !ok {
						s, e = p.Stmt.Start, stmtEnd(p)
					}
					report(s, e, "ADD COLUMN", "IF NOT EXISTS")
				case cmd.GetSubtype() == pg.AlterTableType_AT_DropColumn && !cmd.MissingOk:
					s, e := dropColumnSpan(p, cmd.Name)
					report(s, e, "DROP COLUMN", "IF EXISTS")
				}
			}
		}
	},
}

package rules

import (
	"fmt"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v5"

	"github.com/migsafe/migsafe/engine/locks"
	"github.com/migsafe/migsafe/engine/migration"
	"github.com/migsafe/migsafe/engine/sqlast"
)

// ValidateInSameTransaction finds VALIDATE CONSTRAINT in the transaction that added the
// constraint NOT VALID.
var ValidateInSameTransaction = &Rule{
	ID:       "validate-in-same-transaction",
	Category: ConstraintValidation,
	Status:   Flag,
	Severity: Downtime,
	Summary:  "NOT VALID and VALIDATE CONSTRAINT in one transaction: the validation scan runs under the ADD's lock",
	Doc: `FLAG: the statements are each safe alone, but together they defeat the point of
` + "`NOT VALID`" + `. ADD CONSTRAINT takes ACCESS EXCLUSIVE (SHARE ROW EXCLUSIVE on both tables
for a foreign key) and a transaction keeps every lock until it commits, so the
validation scan that was meant to run under SHARE UPDATE EXCLUSIVE runs while the
strong lock is still held. It is a FLAG, not a BLOCK, because on a small table the
author may accept it; they should know the pattern bought nothing.

**Safe pattern.** Commit between the two: put ` + "`VALIDATE CONSTRAINT`" + ` in a later
migration (or, with a runner that does not wrap migrations, after a COMMIT).

` + "```sql" + `
-- bad (one transaction)
BEGIN;
ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;
ALTER TABLE orders VALIDATE CONSTRAINT orders_user_fk;
COMMIT;
-- good: 0042_add_fk.sql adds it NOT VALID; 0043_validate_fk.sql validates it
` + "```",
	Check: func(p *Pass) {
		at := p.Stmt.Node.GetAlterTableStmt()
		if at == nil || !p.Stmt.Tx.In() {
			return
		}
		table := sqlast.RangeVarName(at.Relation)
		if p.IsNew(table) {
			return
		}
		for _, c := range at.Cmds {
			cmd := c.GetAlterTableCmd()
			if cmd == nil || cmd.Subtype != pg.AlterTableType_AT_ValidateConstraint {
				continue
			}
			tx, ok := p.State.NotValid[p.State.Key(table)+"."+cmd.Name]
			if !ok || tx != p.Stmt.Tx.ID {
				continue
			}
			start, end, found := p.Keyword("VALIDATE", "CONSTRAINT")
			if !found {
				start, end = p.Whole()
			}
			msg := fmt.Sprintf("constraint %q was added NOT VALID in this same transaction (%s), and a transaction keeps its locks until commit", cmd.Name, p.Stmt.Tx.Describe(p.File.Runner))
			var held *locks.Lock
			if add := addedIn(p, table, cmd.Name); add != nil {
				for _, l := range p.AnalysisOf(add).Locks {
					if l.Role == "table" {
						held = &l
						break
					}
				}
			}
			if held != nil {
				msg += fmt.Sprintf(": the ADD %s, so this validation scan runs while that lock is still held", Impact(*held))
			}
			p.Report(Diagnostic{Start: start, End: end, Message: msg, Lock: held,
				Help: fmt.Sprintf("Validate the constraint in a later migration (a separate transaction), so the scan runs under %s only.", locks.ValidateConstraint.Facts(p.PG()).Table),
				// Only an ORM call has a fix here (the front end moves it out of the
				// transaction); SQL gets the help's advice.
				Fixes: p.Fixes(nil)})
		}
	},
}

// addedIn finds the earlier statement in the same transaction that added constraint
// name to table.
func addedIn(p *Pass, table, name string) *migration.Statement {
	for _, st := range p.File.Statements[:p.Stmt.Index] {
		at := st.Node.GetAlterTableStmt()
		if at == nil || st.Tx.ID != p.Stmt.Tx.ID || !p.SameTable(sqlast.RangeVarName(at.Relation), table) {
			continue
		}
		for _, c := range at.Cmds {
			con := c.GetAlterTableCmd().GetDef().GetConstraint()
			if con != nil && strings.EqualFold(con.Conname, name) {
				return st
			}
		}
	}
	return nil
}

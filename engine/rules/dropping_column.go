package rules

import (
	"fmt"

	pg "github.com/pganalyze/pg_query_go/v5"

	"github.com/migsafe/migsafe/engine/locks"
)

// DroppingColumn finds DROP COLUMN on a table the migration did not create.
var DroppingColumn = &Rule{
	ID:       "dropping-column",
	Category: DataLoss,
	Status:   Flag,
	Severity: DataLossSev,
	Summary:  "DROP COLUMN destroys the column's data",
	Doc: `FLAG: the column's values are gone once the migration commits (the space is
reclaimed later, but the data is unreachable), and a down migration can add the column
back but not its contents. Dropping a column that is no longer needed is the normal
last step of expand/contract, so this is a FLAG rather than a BLOCK: the author
verifies the data is not needed, or has been copied. Set
` + "`[rules.status] dropping-column = \"BLOCK\"`" + ` to make it stricter.

**Lock.** ACCESS EXCLUSIVE on the table, briefly: the drop only marks the column
dropped in the catalog, no rewrite.

**Safe pattern.** Deploy code that no longer reads or writes the column first (see
` + "`removing-used-object`" + `), copy the data if it may be needed, then drop it.

**Passes when** the table or the column is new: created earlier in the same migration,
or by a migration that is not deployed yet; or when the column is known not to be
there (` + "`DROP COLUMN IF EXISTS`" + ` of a column the history never gave the table, or dropped).

` + "```sql" + `
ALTER TABLE users DROP COLUMN legacy_flags;
` + "```",
	Check: func(p *Pass) {
		for _, part := range p.Locks.Parts {
			if part.Shape != locks.DropColumn || p.IsNew(part.Table) || part.Cmd.Subtype != pg.AlterTableType_AT_DropColumn ||
				p.NewColumn(part.Table, part.Cmd.Name) || part.Cmd.MissingOk && p.ColumnAbsent(part.Table, part.Cmd.Name) {
				continue
			}
			start, end := dropColumnSpan(p, part.Cmd.Name)
			l := PartLock(part)
			msg := fmt.Sprintf("dropping %s.%s deletes its data; a down migration can re-add the column but not its values (it %s)", part.Table, part.Cmd.Name, Impact(l))
			p.Report(Diagnostic{Fixes: p.Fixes(dropContractFixes), Start: start, End: end, Lock: &l, Message: Verify(fmt.Sprintf("the data in %s.%s is no longer needed: ", part.Table, part.Cmd.Name) + msg),
				Help: "Stop reading and writing the column in a release first; copy the data if it may be needed."})
		}
	},
}

// dropColumnSpan finds "DROP [COLUMN] [IF EXISTS] name" in the statement.
func dropColumnSpan(p *Pass, col string) (int, int) {
	for _, name := range []string{col, `"` + col + `"`} {
		for _, words := range [][]string{{"DROP", "COLUMN", name}, {"DROP", "COLUMN", "IF", "EXISTS", name}, {"DROP", name}} {
			if s, e, ok := p.Keyword(words...); ok {
				return s, e
			}
		}
	}
	if s, e, ok := p.Keyword("DROP"); ok {
		return s, e
	}
	return p.Whole()
}

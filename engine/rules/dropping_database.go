package rules

import "fmt"

// DroppingDatabase finds DROP DATABASE.
var DroppingDatabase = &Rule{
	ID:       "dropping-database",
	Category: DataLoss,
	Status:   Block,
	Severity: DataLossSev,
	Summary:  "DROP DATABASE destroys a whole database",
	Doc: `BLOCK: it deletes every table and every row of the database, and cannot run inside a
transaction block, so it is not even rolled back when the migration fails later. A
migration has no business doing this on a production server; provisioning scripts do.

**Safe pattern.** Remove databases with your infrastructure tooling, after a backup,
not in an application migration.

` + "```sql" + `
DROP DATABASE analytics;
` + "```",
	Check: func(p *Pass) {
		dd := p.Stmt.Node.GetDropdbStmt()
		if dd == nil {
			return
		}
		p.Report(Diagnostic{Start: p.Stmt.Start, End: stmtEnd(p),
			Message: fmt.Sprintf("DROP DATABASE %s deletes the whole database and all its data, outside any transaction", dd.Dbname),
			Help:    "Remove databases with provisioning tooling after a backup, not in a migration."})
	},
}

package rules

import (
	"fmt"
	"strings"
)

// DynamicSQL finds the SQL of DO blocks that migsafe cannot analyse: EXECUTE of SQL
// built at run time, and bodies it cannot read.
var DynamicSQL = &Rule{
	ID:       "dynamic-sql",
	Category: LockContention,
	Status:   Flag,
	Severity: Safety,
	Summary:  "a DO block runs SQL migsafe cannot analyse: EXECUTE of SQL built at run time, or a body it cannot read",
	Doc: `FLAG: migsafe reads the static SQL of a DO block's PL/pgSQL body and judges each
statement like one written at the top level (same locks, same rules, in the transaction
the DO runs in). What ` + "`EXECUTE`" + ` runs is a string computed when the block runs, often from
the catalog (` + "`EXECUTE format('ALTER TABLE %I ...', tbl)`" + ` in a loop over tables), so its
locks, rewrites and drops are invisible to review: the author must verify them. The
same holds for a body migsafe cannot read: another language (` + "`DO LANGUAGE plpython3u`" + `),
an escape-string body (` + "`DO E'...'`" + `), or PL/pgSQL that pg_query's parser, which compiles
without a database, rejects.

**Safe pattern.** Write the statements out in the migration, one per table, so each is
reviewed (and each can take its own short lock); where the list of tables really is
only known at run time, keep the DO block but give every generated statement a
` + "`lock_timeout`" + `, and batch data changes as you would outside a DO block.

` + "```sql" + `
-- flagged: what does this lock?
DO $$ DECLARE t text; BEGIN
  FOR t IN SELECT tablename FROM pg_tables WHERE tablename LIKE 'events_%' LOOP
    EXECUTE format('ALTER TABLE %I ADD COLUMN source text', t);
  END LOOP;
END $$;
-- reviewed: one statement per partition
ALTER TABLE events_2024 ADD COLUMN source text;
ALTER TABLE events_2025 ADD COLUMN source text;
` + "```",
	Check: func(p *Pass) {
		b := p.Stmt.Body
		if b == nil {
			return
		}
		if b.Unread != "" {
			start, end := p.Lead(1)
			p.Report(Diagnostic{Start: start, End: end,
				Message: Verify(fmt.Sprintf("the body of this DO block is not analysed: %s; review what it runs by hand", b.Unread)),
				Help:    "Write the block in PL/pgSQL with a dollar-quoted body ($$ ... $$), or its statements out in the migration."})
		}
		for _, d := range b.Dynamic {
			p.Report(Diagnostic{Start: d.Start, End: d.End,
				Message: Verify(fmt.Sprintf("dynamic SQL is not analysed: %s runs SQL built when the block runs, so what it locks, rewrites or drops is unknown", excerpt(d.Text))),
				Help:    "Write the statements out in the migration where the tables are known; otherwise give each generated statement a lock_timeout and batch its data changes."})
		}
	},
}

// excerpt is text on one line, cut to a length a message can hold.
func excerpt(text string) string {
	s := strings.Join(strings.Fields(text), " ")
	if r := []rune(s); len(r) > 80 {
		s = string(r[:77]) + "..."
	}
	return s
}

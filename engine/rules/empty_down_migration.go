package rules

import (
	"fmt"
	"path/filepath"
)

// EmptyDownMigration finds down migrations that exist but run nothing.
var EmptyDownMigration = &Rule{
	ID:       "empty-down-migration",
	Category: MissingRollback,
	Status:   Flag,
	Severity: Safety,
	Summary:  "the down migration exists but has no statements",
	Doc: `FLAG: an empty down migration succeeds and reverses nothing, so a rollback reports
success while the schema stays migrated — and the next up of the same migration fails
because its objects already exist. Sometimes that is a deliberate "irreversible"
marker; the author verifies that, and says so in a comment or a suppression with a
reason.

**Safe pattern.** Write the statements that undo the up migration, in reverse order;
if it truly cannot be undone, make the down fail loudly (` + "`SELECT 1/0`" + ` or a
` + "`RAISE EXCEPTION`" + ` in a DO block) rather than pretend.

` + "```sql" + `
-- good
-- +goose Up
CREATE TABLE tags (id bigint PRIMARY KEY);
-- +goose Down
DROP TABLE tags;
` + "```",
	CheckFile: func(p *Pass) {
		f := p.File
		// Operations an ORM refuses to reverse are missing-down-migration's.
		if !f.Down.Found || len(f.Down.Statements) > 0 || f.Down.Opaque || len(f.Down.Irreversible) > 0 {
			return
		}
		first := firstUp(f)
		if first == nil {
			return
		}
		start, end := first.Start, first.End
		where := "its down section"
		switch c, ok := downDirectiveComment(f); {
		case f.Down.Where == "file":
			where = filepath.Base(f.Down.Path)
		case f.Down.End > f.Down.Start:
			start, end, where = f.Down.Start, f.Down.End, "the down method"
		case ok:
			start, end = c.Start, c.End
		}
		p.Report(Diagnostic{Start: start, End: end,
			Message: Verify(fmt.Sprintf("this migration is meant to be irreversible: %s has no statements, so a rollback reports success and undoes nothing", where)),
			Help:    "Write the statements that undo the up migration, or make the down fail explicitly if it cannot be undone."})
	},
}

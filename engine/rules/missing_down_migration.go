package rules

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"

	"github.com/migsafe/migsafe/engine/migration"
	"github.com/migsafe/migsafe/internal/regularfile"
)

// MissingDownMigration finds migrations without the down form their runner supports.
var MissingDownMigration = &Rule{
	ID:       "missing-down-migration",
	Category: MissingRollback,
	Status:   Flag,
	Severity: Safety,
	Summary:  "the runner supports a down migration but this migration has none",
	Doc: `FLAG: without a down migration, backing out a bad deploy means writing the reverse
SQL by hand during the incident. Some changes cannot be reversed (a dropped column's
data), and some teams roll forward only, so the author verifies rather than being
blocked; an empty down that says why (` + "`empty-down-migration`" + `) or a suppression with a
reason records the decision.

**Which runners.** golang-migrate (` + "`NNN_name.down.sql`" + ` beside ` + "`NNN_name.up.sql`" + `),
goose (` + "`-- +goose Down`" + `), Diesel (` + "`down.sql`" + ` beside ` + "`up.sql`" + `) and Sqitch
(` + "`revert/`" + ` beside ` + "`deploy/`" + `). dbmate refuses a migration without ` + "`-- migrate:down`" + `
and applies nothing of it, so that is a BLOCK ` + "`syntax-error`" + `, not this FLAG (an empty
down block is taken: ` + "`empty-down-migration`" + `). Flyway is deliberately left out:
undo migrations (` + "`U`" + ` files) are a feature of Flyway's paid editions and most Flyway
projects never write them, so reporting their absence would flag every file of every
such project. Flyway undo files that exist are still checked by
` + "`empty-down-migration`" + ` and ` + "`irreversible-down-migration`" + `.

When migsafe cannot look at sibling files (standard input, an unsaved buffer), a
missing sibling is not reported: its absence is unknown, not established.

` + "```sql" + `
-- good
-- +goose Up
ALTER TABLE users ADD COLUMN nickname text;
-- +goose Down
ALTER TABLE users DROP COLUMN nickname;
` + "```",
	CheckFile: func(p *Pass) {
		f := p.File
		// An ORM reverses some operations itself and refuses others: each operation it
		// cannot reverse makes the rollback fail there.
		for _, irr := range f.Down.Irreversible {
			p.Report(Diagnostic{Start: irr.Start, End: irr.End, Message: Verify("this migration never needs rolling back: " + irr.Reason), Help: irr.Help})
		}
		// dbmate's missing down block is a refusal the migration package reports.
		if !f.Runner.HasDownForm() || f.Runner == migration.Flyway || f.Runner == migration.Dbmate || f.Down.Where == "" || !f.Down.Checked || f.Down.Found {
			return
		}
		first := firstUp(f)
		if first == nil {
			return
		}
		var msg, help string
		switch f.Down.Where {
		case "file":
			rel, err := filepath.Rel(filepath.Dir(f.Path), f.Down.Path)
			if err != nil {
				rel = f.Down.Path
			}
			msg = fmt.Sprintf("no down migration: %s would undo this one for %s, and it does not exist", rel, f.Runner)
			help = fmt.Sprintf("Add %s with the statements that undo this migration.", f.Down.Path)
			if err := f.Down.ReadErr; err != nil {
				// It is there: "does not exist" sent the author looking for a typo.
				var pe *fs.PathError
				if errors.As(err, &pe) {
					err = pe.Err
				}
				what := "it cannot be read: " + err.Error()
				if errors.As(err, new(regularfile.NotRegularError)) {
					what = "it is " + err.Error() // "a named pipe (FIFO), not a regular file: ..."
				}
				msg = fmt.Sprintf("no down migration: %s would undo this one for %s, and %s", rel, f.Runner, what)
				help = fmt.Sprintf("Make %s a readable regular file with the statements that undo this migration.", f.Down.Path)
			}
		default:
			msg = fmt.Sprintf("no down section: %s runs nothing to undo this migration", f.Runner)
			help = "Add " + downDirective(f.Runner) + " with the statements that undo this migration."
		}
		p.Report(Diagnostic{Start: first.Start, End: first.End, Message: Verify("this migration never needs rolling back: " + msg), Help: help})
	},
}

// firstUp is the file's first up statement.
func firstUp(f *migration.File) *migration.Statement {
	for _, st := range f.Statements {
		if st.Section == migration.Up {
			return st
		}
	}
	return nil
}

func downDirective(r migration.Runner) string {
	if h := r.DownHint(); h != "" {
		return h
	}
	return "a `-- +goose Down` section"
}

// downDirectiveComment finds the comment that opens the down section.
func downDirectiveComment(f *migration.File) (migration.Comment, bool) {
	for _, c := range f.Comments {
		t := strings.ToLower(strings.Join(strings.Fields(strings.TrimPrefix(c.Text, "--")), " "))
		if strings.HasPrefix(t, "+goose down") || strings.HasPrefix(t, "migrate:down") {
			return c, true
		}
	}
	return migration.Comment{}, false
}

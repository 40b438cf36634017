package lsp

import (
	"fmt"
	"strings"

	"github.com/migsafe/migsafe/engine"
	"github.com/migsafe/migsafe/engine/migration"
	"github.com/migsafe/migsafe/engine/orm"
)

// isORMMigration decides whether a Ruby, Python, JavaScript or TypeScript document is
// analysed: only inside a migration directory (db/migrate, <app>/migrations, versions,
// ...) and when its content is a migration of an ORM (or `orm` names one), so editing
// application code never shows migration findings. ok is false for other languages.
func isORMMigration(path, text string, setting migration.Runner) (analyse, ok bool) {
	if orm.Language(path) == "" {
		return false, false
	}
	return orm.InMigrationDir(path) && orm.Detect(path, text, setting) != "", true
}

// commentMarker starts a line comment in the file's language: -- for SQL, # for Ruby
// and Python, // for JavaScript and TypeScript.
func commentMarker(path string) string {
	switch orm.Language(path) {
	case "ruby", "python":
		return "#"
	case "javascript":
		return "//"
	}
	return "--"
}

// ignoreAt is where an ignore comment for a statement goes: before the statement, or
// for an ORM statement before the DSL call (never inside its SQL string).
func ignoreAt(st *migration.Statement) *migration.Statement {
	if st.Origin == nil {
		return st
	}
	at := *st
	at.Start = st.Origin.CallStart
	return &at
}

// ormHoverText describes every statement the DSL call under the cursor sends, in
// order: one call (add_reference, AddField) may send several.
func ormHoverText(res *engine.Result, i int) string {
	call := res.Statements[i].Stmt.Origin
	var parts []string
	for _, st := range res.Statements {
		o := st.Stmt.Origin
		if o == nil || st.Stmt.Section != res.Statements[i].Stmt.Section || o.CallStart != call.CallStart || o.CallEnd != call.CallEnd {
			continue
		}
		parts = append(parts, hoverText(res, st))
	}
	if len(parts) <= 1 {
		return hoverText(res, res.Statements[i])
	}
	return fmt.Sprintf("%s sends %d statements:\n\n%s", res.File.Runner, len(parts), strings.Join(parts, "\n---\n\n"))
}

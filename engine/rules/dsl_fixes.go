package rules

import (
	"github.com/migsafe/migsafe/codeactions"
	"github.com/migsafe/migsafe/engine/migration"
)

// dslIntents maps a rule to the rewrite its fix asks an ORM front end for.
var dslIntents = map[string]migration.Intent{
	"require-concurrent-index-creation": migration.Concurrently,
	"require-concurrent-index-deletion": migration.Concurrently,
	"concurrently-in-transaction":       migration.OutsideTransaction,
	"validate-in-same-transaction":      migration.OutsideTransaction,
	"adding-foreign-key-constraint":     migration.NotValid,
	"constraint-missing-not-valid":      migration.NotValid,
}

// dslFixes are the fixes of a finding of rule on an ORM statement: the call's safe
// form, written by the front end in the ORM's own DSL. The SQL rewrites do not apply,
// since the statement's SQL is not the file's text; the edits go through the planner
// like any other fix's.
func dslFixes(rule string, st *migration.Statement) []codeactions.Fix {
	intent, ok := dslIntents[rule]
	if !ok || st.Origin.Rewrite == nil {
		return nil
	}
	rw, ok := st.Origin.Rewrite(intent)
	if !ok {
		return nil
	}
	fix := codeactions.Fix{Title: rw.Title, Kind: "quickfix", Preferred: true}
	for _, e := range rw.Edits {
		fix.Edits = append(fix.Edits, codeactions.Edit{Start: e.Start, End: e.End, NewText: e.NewText})
	}
	return []codeactions.Fix{fix}
}

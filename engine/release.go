package engine

import (
	"github.com/migsafe/migsafe/engine/locks"
	"github.com/migsafe/migsafe/engine/migration"
	"github.com/migsafe/migsafe/engine/rules"
)

// Releasing trees (Options.ReleaseTrees). A statement's decoded tree is most of what
// a DDL-only file's analysis holds (about 26 bytes of Go structs per byte of SQL), and
// the rules read most trees only while their statement is checked. So a caller that
// reads the findings, their fixes' titles and the deploy plan, and no tree, can have
// each tree dropped as soon as its last reader has run, instead of holding every tree
// of the file until the report is written.
//
// The readers after a statement's own check, and what each needs:
//   - its findings' fixes, for their titles: built at once, while every tree from the
//     statement on is still there (a titles-only build reads the statement and those
//     after it; the full builds, which also read earlier CREATE INDEX statements, are
//     not asked for);
//   - the rules of later statements that look back: validate-in-same-transaction
//     (an earlier ALTER TABLE that adds a constraint), concurrent-refresh-precondition
//     (an earlier REFRESH MATERIALIZED VIEW), mixed-schema-and-data-change (the
//     statements the state holds for their transaction, State.Holds): those trees are
//     kept;
//   - irreversible-down-migration, a file-level rule, reads the up statements of a
//     file whose down has statements: no tree of such a file is released;
//   - the deploy plan skips statements without a tree, Released says there was one;
//     it reads the statement's lock analysis, but not the ALTER TABLE subcommands its
//     parts point into the tree (Part.Cmd), which are released with it.
//
// DO statements keep theirs (their bodies' statements point back at them).

// releasing reports whether the analysis of f under opts releases trees: a one-shot
// analysis (no language-server cache, previous version or kept steps) of a file whose
// down has no statements.
func releasing(f *migration.File, opts Options) bool {
	return opts.ReleaseTrees && opts.Cache == nil && opts.Previous == nil && !opts.KeepSteps && len(f.Down.Statements) == 0
}

// release builds the fixes' titles of fs, the findings of top-level statement st,
// and drops st's tree unless a later reader needs it.
func release(st *migration.Statement, a locks.Analysis, fs []*Finding, state *rules.State) {
	for _, fd := range fs {
		fd.FixTitles()
	}
	if st.Node == nil || st.Body != nil || st.Parent != nil || readBack(st) || state.Holds(st, a) {
		return
	}
	st.Node, st.Released = nil, true
	// The parts' ALTER TABLE subcommands are pieces of the tree (only its rules, fixes
	// and the markdown's runbook read them); the analysis is shared with the result's
	// StatementResult, which keeps the rest of each part.
	for k := range a.Parts {
		a.Parts[k].Cmd = nil
	}
}

// readBack reports a statement whose tree the rules of later statements read.
func readBack(st *migration.Statement) bool {
	n := st.Node
	if n.GetRefreshMatViewStmt() != nil {
		return true
	}
	if at := n.GetAlterTableStmt(); at != nil {
		for _, c := range at.Cmds {
			if c.GetAlterTableCmd().GetDef().GetConstraint() != nil {
				return true
			}
		}
	}
	return false
}

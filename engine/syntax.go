package engine

import (
	"fmt"

	"github.com/migsafe/migsafe/engine/migration"
)

// NewerSyntax is the ProblemKinds key of a statement the embedded grammar rejects when
// the configured server is newer than it.
const NewerSyntax = "newer-syntax"

// NotDirective is the ProblemKinds key of a comment written like a runner directive
// that the runner takes as a comment (migration.SyntaxError.Taken).
const NotDirective = "not-a-directive"

// fileErrorKind is the ProblemKinds key of a file-level error of the parse: a syntax
// error (the file does not run), unless the runner takes the file (Taken).
func fileErrorKind(e *migration.SyntaxError) string {
	if e.Taken {
		return NotDirective
	}
	return "syntax"
}

// syntaxProblem reports a statement that does not parse: a BLOCK (the migration would
// fail), unless the grammar rejected it and pg_version is newer than the grammar,
// where it may be new syntax: a FLAG to verify.
func syntaxProblem(e *migration.SyntaxError, pgVersion int) Problem {
	if e.TooComplex {
		return Problem{Offset: e.Offset, Message: e.Message, Kind: "complex"}
	}
	if e.Grammar && pgVersion > migration.GrammarMajor {
		return Problem{Offset: e.Offset, Kind: NewerSyntax, Message: fmt.Sprintf(
			"Verify: not parsed by the PostgreSQL %d grammar (%s): PostgreSQL %d may accept it, but migsafe cannot analyse it, so review its locks by hand",
			migration.GrammarMajor, e.Message, pgVersion)}
	}
	return Problem{Offset: e.Offset, Message: e.Message, Kind: "syntax"}
}

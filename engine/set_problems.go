package engine

import (
	"fmt"

	"github.com/migsafe/migsafe/engine/migration"
	"github.com/migsafe/migsafe/engine/project"
)

// DuplicateVersion is the problem of the migration at path when another migration of
// its set has its version (project.Set.SameVersionAs): a runner refusal like the
// annotations goose refuses, "syntax", BLOCK. check (batch) and the language server
// both report it.
func DuplicateVersion(s *project.Set, path string) (Problem, bool) {
	if s == nil {
		return Problem{}, false
	}
	first, dup := s.SameVersionAs(path)
	if !dup {
		return Problem{}, false
	}
	what := "refuses this set: " + first + " has this migration's version (%s), so none of the set runs"
	if s.Runner == migration.Dbmate {
		what = "fails on this migration: " + first + " has its version (%s), which schema_migrations records already"
	}
	return Problem{Kind: "syntax", Message: fmt.Sprintf("%s "+what+"; give this migration a new version", s.Runner, s.Migrations[s.Index(path)].Version)}, true
}

package engine

import (
	"strings"

	"github.com/migsafe/migsafe/engine/migration"
)

// todoMarker starts a comment a fix leaves where only the author can finish it: the
// value a backfill writes, the DEFAULT existing rows get.
const todoMarker = "migsafe:todo"

// unfinished reports each placeholder a fix left in the file and the author has not
// filled in yet: the migration as it stands would do the wrong thing or fail.
func unfinished(f *migration.File) []Problem {
	var out []Problem
	for _, c := range f.Comments {
		t := strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(c.Text, "--"), "/*"))
		if !strings.HasPrefix(t, todoMarker) {
			continue
		}
		what := strings.TrimSpace(strings.TrimPrefix(strings.TrimSuffix(t, "*/"), todoMarker))
		out = append(out, Problem{Offset: c.Start, Kind: "unfinished",
			Message: "a fix left this for you to finish: " + strings.TrimPrefix(what, ":")})
	}
	return out
}

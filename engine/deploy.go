package engine

import (
	"slices"
	"strings"

	"github.com/migsafe/migsafe/engine/locks"
	"github.com/migsafe/migsafe/engine/migration"
)

// DeployOf is the deploy order of a statement: the strictest of its parts' (a rename
// over a removal over an addition).
func DeployOf(a locks.Analysis) locks.Deploy {
	d := locks.AnyOrder
	for _, p := range a.Parts {
		if o := p.Deploy(); o > d {
			d = o
		}
	}
	return d
}

// DeployPlan is a file's deploy order: the statements that must run before the code
// deploy and those that must run after it. A file with both cannot be run at any one
// point of the deploy; it must be split.
type DeployPlan struct {
	Before, After, NoSafeOrder []*StatementResult
}

// Order is the file's order: NoSafeOrder when a statement has none or when statements
// need both sides of the code deploy.
func (p DeployPlan) Order() locks.Deploy {
	switch {
	case len(p.NoSafeOrder) > 0 || (len(p.Before) > 0 && len(p.After) > 0):
		return locks.NoSafeOrder
	case len(p.After) > 0:
		return locks.AfterCode
	case len(p.Before) > 0:
		return locks.BeforeCode
	}
	return locks.AnyOrder
}

// Lines are the 1-based lines of statements srs of r, each once, in ascending order:
// the statements an ORM call sends all begin on its line, and the ones it defers to
// the end of the migration (foreign keys, indexes) come after later calls'.
func (r *Result) Lines(srs []*StatementResult) []int {
	out := make([]int, 0, len(srs))
	seen := make(map[int]bool, len(srs))
	for _, sr := range srs {
		// Only the line is wanted: in UTF8 the column costs no count of characters.
		l := r.File.Source.Position(sr.Stmt.Start, migration.UTF8).Line + 1
		if !seen[l] {
			seen[l] = true
			out = append(out, l)
		}
	}
	slices.Sort(out)
	return out
}

// Mixed reports a file with statements for both sides of the code deploy.
func (p DeployPlan) Mixed() bool { return len(p.Before) > 0 && len(p.After) > 0 }

// Deploy is the deploy plan of the file's up section. Statements on tables created
// earlier in the file have no order of their own: no deployed code uses those tables.
func (r *Result) Deploy() DeployPlan {
	var p DeployPlan
	created := map[string]bool{}
	for i := range r.Statements {
		sr := &r.Statements[i]
		if sr.Stmt.Section != migration.Up || sr.Stmt.Node == nil && !sr.Stmt.Released {
			continue
		}
		order := locks.AnyOrder
		for _, part := range sr.Locks.Parts {
			t := strings.ToLower(part.Table)
			switch {
			case part.Shape == locks.CreateTable || part.Shape == locks.CreateTableFK:
				created[t] = true
			case created[t]:
				continue
			}
			if o := part.Deploy(); o > order {
				order = o
			}
		}
		// A rule may know the order better than the shape does (a narrowing type change).
		for _, fd := range sr.Findings {
			if fd.Deploy > order {
				order = fd.Deploy
			}
		}
		switch order {
		case locks.BeforeCode:
			p.Before = append(p.Before, sr)
		case locks.AfterCode:
			p.After = append(p.After, sr)
		case locks.NoSafeOrder:
			p.NoSafeOrder = append(p.NoSafeOrder, sr)
		}
	}
	return p
}

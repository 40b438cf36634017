package codeactions

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/migsafe/migsafe/engine"
	"github.com/migsafe/migsafe/engine/project"
)

// step is one follow-up migration a split fix creates.
type step struct {
	suffix string // appended to the migration's name: add_email -> add_email_concurrently
	up     string
	down   string // "" when there is nothing to undo or the runner has no down form
	// noTx: the step must run outside a transaction (CONCURRENTLY, COMMIT in DO).
	noTx bool
}

// followUps names and writes the follow-up migrations after the file being fixed,
// the way the project names its migrations (engine/project lays them out from the
// file's migration set).
func followUps(res *engine.Result, steps []step) []engine.NewFile {
	f := res.File
	var set *project.Set
	if res.History != nil {
		set = res.History.Set
	} else if s, err := project.Discover(project.OS, f.Path, f.Runner); err == nil {
		set = s
	} else {
		set = &project.Set{Runner: f.Runner, Dir: filepath.Dir(f.Path)}
	}
	ps := make([]project.Step, len(steps))
	for i, st := range steps {
		up := st.up
		if !st.noTx {
			// Steps that take table locks fail fast rather than queue every query behind
			// them; the CONCURRENTLY and batched steps wait on nothing that blocks others.
			up = fmt.Sprintf("SET lock_timeout = %s;\n", literal(res.Config.LockTimeout)) + up
		}
		ps[i] = project.Step{Suffix: st.suffix, Up: up, Down: st.down, NoTx: st.noTx}
	}
	var out []engine.NewFile
	for _, nf := range set.Next(f.Path, ps) {
		out = append(out, engine.NewFile{Path: nf.Path, Text: nf.Text})
	}
	return out
}

// lines joins statements into a migration body.
func lines(stmts ...string) string {
	return strings.Join(stmts, "\n") + "\n"
}

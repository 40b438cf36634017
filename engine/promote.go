package engine

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/migsafe/migsafe/codeactions"
	"github.com/migsafe/migsafe/engine/config"
	"github.com/migsafe/migsafe/engine/migration"
	"github.com/migsafe/migsafe/engine/rules"
)

// Promote plans turning a pending contract phase (its file's path and text) into the
// next migration beside the one it was split from, and removing it. Running it is the
// user saying that what the phase waited for has shipped, so the data-loss and
// compatibility findings its statements were written to have (dropping the old column)
// are suppressed with that reason.
func Promote(path, text string, cfg func(path string) (*config.Config, error), fsys codeactions.FS, now func() time.Time) (*codeactions.Plan, error) {
	pd, err := codeactions.ParsePending(path, text)
	if err != nil {
		return nil, err
	}
	afterText, err := fsys.ReadFile(pd.After)
	if err != nil {
		return nil, fmt.Errorf("%s: the migration this phase was split from, %s, cannot be read: %v", path, pd.After, err)
	}
	c, err := cfg(pd.After)
	if err != nil {
		return nil, err
	}
	after := migration.Parse(pd.After, string(afterText), migration.Options{Runner: pd.Runner, ReadFile: fsys.ReadFile, PGVersion: c.PGVersion})
	plan, err := codeactions.Promote(pd, after, c, fsys, now)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	for i, ch := range plan.Changes {
		if ch.Create && strings.HasSuffix(ch.Path, ".sql") && !migration.DownOnly(ch.Path) {
			res := Analyze(ch.Path, ch.New, c, Options{ReadFile: fsys.ReadFile})
			plan.Changes[i].New = vouchContract(res, pd.Phase.Wait)
		}
	}
	return plan, nil
}

// vouchContract suppresses, with the reason, the data-loss and backward-compatibility
// findings of a promoted contract phase.
func vouchContract(res *Result, wait string) string {
	text := res.File.Source.Text
	ids := map[*migration.Statement][]string{}
	var order []*migration.Statement
	for _, fd := range res.Findings {
		if fd.Stmt == nil || fd.Rule.Category != rules.DataLoss && fd.Rule.Category != rules.BackwardCompatibility {
			continue
		}
		if ids[fd.Stmt] == nil {
			order = append(order, fd.Stmt)
		}
		if !slices.Contains(ids[fd.Stmt], fd.Rule.ID) {
			ids[fd.Stmt] = append(ids[fd.Stmt], fd.Rule.ID)
		}
	}
	// One comment per statement, on the line before it, names every rule it suppresses.
	for i := len(order) - 1; i >= 0; i-- {
		st := order[i]
		at := strings.LastIndexByte(text[:st.Start], '\n') + 1
		line := fmt.Sprintf("-- migsafe:ignore %s -- contract phase promoted with `migsafe fix --promote` once %s\n", strings.Join(ids[st], ", "), wait)
		text = text[:at] + line + text[at:]
	}
	return text
}

package main

import (
	"fmt"
	"io"

	"github.com/migsafe/migsafe/codeactions"
	"github.com/migsafe/migsafe/engine"
)

// promotePending turns pending contract phases (written by `migsafe fix` into
// .migsafe/pending) into the next migration beside the migration each was split from,
// and removes them (see engine.Promote), all of them or none.
func promotePending(paths []string, configPath string, write bool, stdout, stderr io.Writer) int {
	ins, cfgs, ok := prepare("fix", paths, "", configPath, stderr)
	if !ok {
		return 2
	}
	overlay := codeactions.NewOverlay(nil)
	var plans []*codeactions.Plan
	for _, in := range ins {
		data, err := overlay.ReadFile(in.path)
		if err != nil {
			fmt.Fprintln(stderr, pathError(in.path, err))
			return 2
		}
		plan, err := engine.Promote(in.path, string(data), cfgs.forFile, overlay, nil)
		if err != nil {
			fmt.Fprintln(stderr, err)
			return 2
		}
		overlay.Add(plan)
		plans = append(plans, plan)
	}
	return emitPlan(codeactions.Merge(plans...), write, stdout, stderr)
}

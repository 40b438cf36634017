package main

import (
	"bufio"
	"fmt"
	"io"
	"os"

	"github.com/migsafe/migsafe/codeactions"
	"github.com/migsafe/migsafe/engine"
	"github.com/migsafe/migsafe/engine/migration"
	"github.com/migsafe/migsafe/engine/rules"
)

func init() { register("fix", "rewrite findings into safe phased SQL", runFix) }

func runFix(args []string) int {
	return fix(args, os.Stdin, os.Stdout, os.Stderr)
}

// fix composes the fixes of every finding of each file into one plan (see
// engine.FixFile), and prints it as a diff or writes it, all of it or nothing. Fixes
// that add migrations are applied only with --split; --promote turns pending contract
// phases into the next migration.
func fix(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flagSet("fix", args, stdout, stderr)
	diff := fs.Bool("diff", false, "print every change of the plan as a unified diff, new files included (the default)")
	write := fs.Bool("write", false, "apply the plan: all of it, or nothing when any part cannot be written")
	split := fs.Bool("split", false, "also apply fixes that split a migration into phases (new migrations)")
	promote := fs.Bool("promote", false, "turn the pending contract phases named (in .migsafe/pending) into the next migration")
	configPath := fs.String("config", "", "use this config `file` for every path")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: migsafe fix [--diff|--write] [--split] [--promote] [--config FILE] PATH...")
		fs.PrintDefaults()
	}
	paths, err := parseInterspersed(fs, args)
	if err != nil {
		return parseExit(fs, err)
	}
	if *diff && *write {
		fmt.Fprintln(stderr, "migsafe fix: --diff and --write exclude each other")
		return 2
	}
	if len(paths) == 0 {
		fs.Usage()
		return 2
	}
	if *promote {
		return promotePending(paths, *configPath, *write, stdout, stderr)
	}
	ins, cfgs, ok := prepare("fix", paths, "", *configPath, stderr)
	if !ok {
		return 2
	}
	for _, in := range ins {
		if in.stdin {
			fmt.Fprintln(stderr, "migsafe fix: standard input cannot be fixed; pass files")
			return 2
		}
	}
	// Files are planned one after the other over what the plans before them will
	// write, so two migrations of one directory never get the same new number.
	overlay := codeactions.NewOverlay(nil)
	var plans []*codeactions.Plan
	code := 0
	// Each file is analysed in its place (the catalog its set's earlier migrations
	// leave), then its fixes are composed over what the plans before it will write.
	analyzeEach(ins, cfgs, stdin, "", nil, false, func(a analyzed) {
		if a.err != nil {
			fmt.Fprintln(stderr, a.err)
			code = 2
			return
		}
		path := a.res.File.Path
		data, err := overlay.ReadFile(path)
		if err != nil {
			fmt.Fprintln(stderr, pathError(path, err))
			code = 2
			return
		}
		fixed, err := engine.FixFile(path, string(data), a.res.Config, engine.FixOptions{Split: *split, FS: overlay, History: a.res.History})
		if err != nil {
			fmt.Fprintln(stderr, err)
			code = 2
			return
		}
		reportFixed(fixed, stderr)
		overlay.Add(fixed.Plan)
		plans = append(plans, fixed.Plan)
	})
	if code != 0 {
		if *write {
			fmt.Fprintln(stderr, "migsafe fix: nothing was written")
		}
		return code
	}
	return emitPlan(codeactions.Merge(plans...), *write, stdout, stderr)
}

// reportFixed says what was left out and why, and how the file re-checks.
func reportFixed(f *engine.Fixed, stderr io.Writer) {
	for _, s := range f.Skipped {
		line := s.Source.Position(s.Finding.Start, migration.CodePoints).Line + 1
		fmt.Fprintf(stderr, "%s:%d: %s: not fixed: %s\n", f.Before.File.Path, line, s.Finding.Rule.ID, s.Reason)
	}
	if f.Plan.Empty() {
		if len(f.Skipped) == 0 {
			// Said, so that a run that changes nothing is not mistaken for one that
			// did not look (it printed nothing at all).
			msg := "nothing to fix"
			if n := len(f.Before.Findings) + len(f.Before.Problems); n > 0 {
				msg = fmt.Sprintf("nothing to fix: no automatic fix for its %d finding(s) (see `migsafe check`)", n)
			}
			fmt.Fprintf(stderr, "%s: %s, %s\n", f.Before.File.Path, f.Before.Verdict, msg)
		}
		return
	}
	worst := f.After.Worst()
	for _, r := range f.Files {
		if w := r.Worst(); w > worst {
			worst = w
		}
	}
	fmt.Fprintf(stderr, "%s: %s -> %s after the fixes (%d new migration file(s) re-checked)\n", f.Before.File.Path,
		f.Before.Verdict, engine.VerdictOf(worst), len(f.Files))
	if worst == rules.Block {
		for _, r := range append([]*engine.Result{f.After}, f.Files...) {
			for _, p := range r.Problems {
				if p.Kind == "unfinished" {
					line := r.File.Source.Position(p.Offset, migration.CodePoints).Line + 1
					fmt.Fprintf(stderr, "%s:%d: %s\n", r.File.Path, line, p.Message)
				}
			}
		}
	}
}

// emitPlan prints the plan as a diff, or writes it.
func emitPlan(p *codeactions.Plan, write bool, stdout, stderr io.Writer) int {
	if !write {
		// A diff that could not be written is an error: 'fix > plan.diff' on a full
		// disk exited 0 with the patch cut short.
		out := bufio.NewWriter(stdout)
		for _, c := range p.Changes {
			if c.Create {
				io.WriteString(out, unifiedDiff("/dev/null", c.Path, "", c.New))
			} else {
				io.WriteString(out, unifiedDiff(c.Path, c.Path, c.Old, c.New))
			}
		}
		for _, r := range p.Removes {
			data, err := os.ReadFile(r)
			if err != nil {
				fmt.Fprintln(stderr, pathError(r, err))
				return 2
			}
			io.WriteString(out, unifiedDiff(r, "/dev/null", string(data), ""))
		}
		if err := out.Flush(); err != nil {
			fmt.Fprintf(stderr, "migsafe fix: writing the diff: %v\n", err)
			return 2
		}
		return 0
	}
	if err := p.Write(); err != nil {
		fmt.Fprintf(stderr, "migsafe fix: %v\n", err)
		return 2
	}
	for _, c := range p.Changes {
		verb := "rewrote"
		if c.Create {
			verb = "created"
		}
		fmt.Fprintf(stdout, "%s %s\n", verb, c.Path)
	}
	for _, r := range p.Removes {
		fmt.Fprintf(stdout, "removed %s\n", r)
	}
	return 0
}

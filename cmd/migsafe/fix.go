package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"

	"github.com/migsafe/migsafe/engine"
	"github.com/migsafe/migsafe/engine/migration"
)

func init() { register("fix", "rewrite findings into safe phased SQL", runFix) }

func runFix(args []string) int {
	return fix(args, os.Stdin, os.Stdout, os.Stderr)
}

// fix applies the preferred fix of every finding. Fixes that create follow-up
// migration files are applied only with --split: applying their edits without the new
// files would drop statements from the migration.
func fix(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flagSet("fix", args, stdout, stderr)
	diff := fs.Bool("diff", false, "print the changes as a unified diff (the default)")
	write := fs.Bool("write", false, "apply the changes to the files")
	split := fs.Bool("split", false, "also apply fixes that split a migration into new follow-up files")
	configPath := fs.String("config", "", "use this config `file` for every path")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: migsafe fix [--diff|--write] [--split] [--config FILE] PATH...")
		fs.PrintDefaults()
	}
	paths, err := parseInterspersed(fs, args)
	if err != nil {
		return parseExit(err)
	}
	if *diff && *write {
		fmt.Fprintln(stderr, "migsafe fix: --diff and --write exclude each other")
		return 2
	}
	if len(paths) == 0 {
		fs.Usage()
		return 2
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
	code := 0
	for _, a := range analyzeAll(ins, cfgs, stdin, "") {
		if a.err != nil {
			fmt.Fprintln(stderr, a.err)
			code = 2
			continue
		}
		plan := planFixes(a.res, *split)
		for _, s := range plan.skipped {
			fmt.Fprintf(stderr, "%s: %s\n", a.res.File.Path, s)
		}
		if err := plan.emit(a.res.File.Path, a.res.File.Source.Text, *write, stdout); err != nil {
			fmt.Fprintln(stderr, err)
			code = 2
		}
	}
	return code
}

// fixPlan is the preferred fixes of one file that can be applied together.
type fixPlan struct {
	edits    []engine.Edit
	newFiles []engine.NewFile
	skipped  []string // why a finding's fix was left out
}

func preferredFix(fixes []engine.Fix) *engine.Fix {
	for i := range fixes {
		if fixes[i].Preferred {
			return &fixes[i]
		}
	}
	if len(fixes) > 0 {
		return &fixes[0]
	}
	return nil
}

// planFixes takes the preferred fix of each finding in order and keeps it when its
// edits do not overlap the edits already kept.
func planFixes(res *engine.Result, split bool) fixPlan {
	var p fixPlan
	src := res.File.Source
	for _, fd := range res.Findings {
		fx := preferredFix(fd.Fixes)
		if fx == nil {
			continue
		}
		line := src.Position(fd.Start, migration.CodePoints).Line + 1
		if len(fx.NewFiles) > 0 && !split {
			p.skipped = append(p.skipped, fmt.Sprintf("line %d: %s: %q creates new migration files; run with --split to apply it", line, fd.Rule.ID, fx.Title))
			continue
		}
		if engine.EditsOverlap(p.edits, fx.Edits, len(src.Text)) {
			p.skipped = append(p.skipped, fmt.Sprintf("line %d: %s: %q overlaps another fix; run migsafe fix again after this one", line, fd.Rule.ID, fx.Title))
			continue
		}
		p.edits = append(p.edits, fx.Edits...)
		p.newFiles = append(p.newFiles, fx.NewFiles...)
	}
	sort.SliceStable(p.edits, func(i, j int) bool { return p.edits[i].Start < p.edits[j].Start })
	return p
}

// newFilePath resolves a new file's path: relative paths are beside the migration.
func newFilePath(migration, p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(filepath.Dir(migration), p)
}

// emit prints the plan as a diff, or writes it.
func (p fixPlan) emit(path, text string, write bool, stdout io.Writer) error {
	fixed := engine.ApplyEdits(text, p.edits)
	if !write {
		d := unifiedDiff(path, path, text, fixed)
		for _, nf := range p.newFiles {
			d += unifiedDiff("/dev/null", newFilePath(path, nf.Path), "", nf.Text)
		}
		_, err := io.WriteString(stdout, d)
		return err
	}
	for _, nf := range p.newFiles {
		if _, err := os.Stat(newFilePath(path, nf.Path)); !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("%s: new migration file already exists; nothing written for %s", newFilePath(path, nf.Path), path)
		}
	}
	if fixed != text {
		st, err := os.Stat(path)
		if err != nil {
			return pathError(path, err)
		}
		if err := os.WriteFile(path, []byte(fixed), st.Mode().Perm()); err != nil {
			return pathError(path, err)
		}
	}
	for _, nf := range p.newFiles {
		np := newFilePath(path, nf.Path)
		if err := os.WriteFile(np, []byte(nf.Text), 0o644); err != nil {
			return pathError(np, err)
		}
		fmt.Fprintf(stdout, "%s: wrote %s\n", path, np)
	}
	return nil
}

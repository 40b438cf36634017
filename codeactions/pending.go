package codeactions

import (
	"bufio"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/migsafe/migsafe/engine/config"
	"github.com/migsafe/migsafe/engine/migration"
	"github.com/migsafe/migsafe/engine/project"
)

// A contract phase (dropping the old column after a rename, a DROP TABLE) must not run
// in the deploy that ships the code change it waits for, so it is not written where the
// runner reads migrations: it waits in .migsafe/pending/ (see project.Set.Waiting) in a
// runner-neutral file,
//
//	-- migsafe:pending
//	-- migsafe:after ../../000002_rename.up.sql
//	-- migsafe:runner golang-migrate
//	-- migsafe:name drop_name
//	-- migsafe:wait application code that no longer reads users.name has shipped
//	-- migsafe:up
//	ALTER TABLE users DROP COLUMN name;
//	-- migsafe:down
//	...
//
// and `migsafe fix --promote FILE` turns it into the next real migration once the user
// says the wait is over.
const (
	pendingMarker = "-- migsafe:pending"
	dirAfter      = "-- migsafe:after "
	dirRunner     = "-- migsafe:runner "
	dirName       = "-- migsafe:name "
	dirWait       = "-- migsafe:wait "
	dirNoTx       = "-- migsafe:no-transaction"
	dirBrief      = "-- migsafe:brief"
	secUp         = "-- migsafe:up"
	secDown       = "-- migsafe:down"
	secVerify     = "-- migsafe:verify"
)

// pendingFile is the file at path in which a contract phase waits.
func (l *layout) pendingFile(path string, ph Phase) NewFile {
	rel, err := filepath.Rel(filepath.Dir(path), l.file.Path)
	if err != nil {
		abs, _ := filepath.Abs(l.file.Path)
		rel = abs
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s contract phase of %s, written by `migsafe fix`.\n", pendingMarker, filepath.ToSlash(rel))
	fmt.Fprintf(&b, "-- No runner reads this directory. Run it only after: %s.\n", ph.Wait)
	b.WriteString("-- Then make it the next migration: `migsafe fix --promote --write` this file (or the editor's code action).\n")
	fmt.Fprintf(&b, "%s%s\n%s%s\n%s%s\n%s%s\n", dirAfter, filepath.ToSlash(rel), dirRunner, l.file.Runner, dirName, ph.Name, dirWait, ph.Wait)
	if ph.NoTx {
		b.WriteString(dirNoTx + "\n")
	}
	if ph.Brief {
		b.WriteString(dirBrief + "\n")
	}
	fmt.Fprintf(&b, "%s\n%s%s\n%s", secUp, ph.Up, secDown, project.DownOrNothing(ph.Down))
	if ph.Verify != "" {
		fmt.Fprintf(&b, "%s\n%s", secVerify, ph.Verify)
	}
	return NewFile{Path: path, Text: b.String()}
}

// Pending is a contract phase read back from its file.
type Pending struct {
	Path string
	// After is the migration the phase was split from.
	After  string
	Runner migration.Runner
	Phase  Phase
}

// IsPending reports whether text is a pending contract phase.
func IsPending(text string) bool {
	return strings.HasPrefix(strings.TrimPrefix(text, "\uFEFF"), pendingMarker)
}

// ParsePending reads a pending contract phase written by `migsafe fix`.
func ParsePending(path, text string) (*Pending, error) {
	if !IsPending(text) {
		return nil, fmt.Errorf("%s:1: not a pending phase written by `migsafe fix` (it starts with %q)", path, pendingMarker)
	}
	pd := &Pending{Path: path}
	var up, down, verify strings.Builder
	section := (*strings.Builder)(nil)
	sc := bufio.NewScanner(strings.NewReader(strings.ReplaceAll(text, "\r\n", "\n")))
	sc.Buffer(make([]byte, 64*1024), 16*1024*1024)
	line := 0
	for sc.Scan() {
		line++
		l := sc.Text()
		t := strings.TrimSpace(l)
		switch {
		case section == nil && strings.HasPrefix(t, dirAfter):
			pd.After = filepath.Join(filepath.Dir(path), filepath.FromSlash(strings.TrimPrefix(t, dirAfter)))
			if filepath.IsAbs(filepath.FromSlash(strings.TrimPrefix(t, dirAfter))) {
				pd.After = filepath.FromSlash(strings.TrimPrefix(t, dirAfter))
			}
		case section == nil && strings.HasPrefix(t, dirRunner):
			r, err := migration.ParseRunner(strings.TrimPrefix(t, dirRunner))
			if err != nil {
				return nil, fmt.Errorf("%s:%d: %v", path, line, err)
			}
			pd.Runner = r
		case section == nil && strings.HasPrefix(t, dirName):
			pd.Phase.Name = strings.TrimPrefix(t, dirName)
		case section == nil && strings.HasPrefix(t, dirWait):
			pd.Phase.Wait = strings.TrimPrefix(t, dirWait)
		case section == nil && t == dirNoTx:
			pd.Phase.NoTx = true
		case section == nil && t == dirBrief:
			pd.Phase.Brief = true
		case t == secUp:
			section = &up
		case t == secDown:
			section = &down
		case t == secVerify:
			section = &verify
		case section != nil:
			section.WriteString(l + "\n")
		}
	}
	switch {
	case pd.After == "":
		return nil, fmt.Errorf("%s: no %q line: which migration the phase follows is unknown", path, strings.TrimSpace(dirAfter))
	case pd.Runner == "":
		return nil, fmt.Errorf("%s: no %q line", path, strings.TrimSpace(dirRunner))
	case pd.Phase.Name == "":
		return nil, fmt.Errorf("%s: no %q line", path, strings.TrimSpace(dirName))
	case strings.TrimSpace(up.String()) == "":
		return nil, fmt.Errorf("%s: no statements after %q", path, secUp)
	}
	pd.Phase.Up = up.String()
	if d := down.String(); strings.TrimSpace(d) != "-- Nothing to undo." {
		pd.Phase.Down = d
	}
	pd.Phase.Verify = verify.String()
	return pd, nil
}

// Promote plans turning a pending phase into the next migration after the newest one
// beside after, the migration it was split from (which gives the runner and the name),
// and removing the pending file.
func Promote(pd *Pending, after *migration.File, cfg *config.Config, fsys FS, now func() time.Time) (*Plan, error) {
	p, err := NewPlanner(after, cfg, fsys, now)
	if err != nil {
		return nil, err
	}
	// A sqitch change promoted now follows the plan's last change, not only the one
	// it was split from.
	p.lay.requires = p.lay.set.LastChange()
	ph := pd.Phase
	ph.Wait = ""
	p.phases = []anchored{{ph: ph}}
	p.Remove(pd.Path)
	return p.Plan()
}

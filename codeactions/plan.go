package codeactions

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/migsafe/migsafe/engine/config"
	"github.com/migsafe/migsafe/engine/migration"
	"github.com/migsafe/migsafe/engine/project"
)

// Planner composes fixes of one migration into a Plan: the migration's new text, the
// changes to other files, and the new files, named so that they are distinct from each
// other and from every file that exists, in the order they must run. Nothing is written
// until Plan.Write, which writes all of it or nothing.
type Planner struct {
	file *migration.File
	cfg  *config.Config
	fs   FS
	lay  *layout
	crlf bool

	text    string             // the migration's current text
	changed map[string]*change // other existing files, by clean path
	files   []NewFile          // new files that belong to the migration (Fix.Files)
	phases  []anchored
	removes []string
	// laid caches layoutFiles until the next Apply: analyses read files through the
	// planner many times.
	laid *laidOut
}

type laidOut struct {
	files   []NewFile
	appends map[string]string
	err     error
}

// anchored is a phase with the offset, in the migration's current text, of the
// statement it was split from. The phases are kept in the order of those statements,
// whatever the order the fixes were applied in, because a later statement may depend
// on what an earlier one did (a backfill before the validation of a NOT NULL).
type anchored struct {
	at int
	ph Phase
}

type change struct {
	base, text string
}

// NewPlanner starts a plan for the migration f, whose text is the one analysed; fsys
// reads the other files (nil: the disk), now stamps sqitch plan lines (nil: the clock).
func NewPlanner(f *migration.File, cfg *config.Config, fsys FS, now func() time.Time) (*Planner, error) {
	if fsys == nil {
		fsys = project.OS
	}
	if now == nil {
		now = time.Now
	}
	if cfg == nil {
		cfg = config.Default()
	}
	lay, err := newLayout(f, cfg, fsys, now)
	if err != nil {
		return nil, err
	}
	return &Planner{file: f, cfg: cfg, fs: fsys, lay: lay, crlf: usesCRLF(f.Source.Text),
		text: f.Source.Text, changed: map[string]*change{}}, nil
}

// Text is the migration's text with the fixes applied so far.
func (p *Planner) Text() string { return p.text }

// Clone is a copy to try a fix on without changing p.
func (p *Planner) Clone() *Planner {
	q := *p
	q.changed = make(map[string]*change, len(p.changed))
	for k, v := range p.changed {
		c := *v
		q.changed[k] = &c
	}
	q.files = append([]NewFile(nil), p.files...)
	q.phases = append([]anchored(nil), p.phases...)
	q.removes = append([]string(nil), p.removes...)
	q.laid = nil
	return &q
}

// ReadFile reads a file as the plan would leave it: planned files first, then fs.
func (p *Planner) ReadFile(path string) ([]byte, error) {
	c := filepath.Clean(path)
	if c == filepath.Clean(p.file.Path) {
		return []byte(p.text), nil
	}
	if ch, ok := p.changed[c]; ok {
		return []byte(ch.text), nil
	}
	if created, err := p.Created(); err == nil {
		for _, nf := range created {
			if filepath.Clean(nf.Path) == c {
				return []byte(nf.Text), nil
			}
		}
	}
	return p.fs.ReadFile(path)
}

// Apply adds a fix built against the planner's current text; at is the offset of the
// statement it fixes, which orders its phases among the others.
func (p *Planner) Apply(fix Fix, at int) error {
	edits := p.adapt(fix.Edits, p.crlf, p.text)
	text, err := ApplyEdits(p.text, edits)
	if err != nil {
		return fmt.Errorf("%s: fix %q: %w", p.file.Path, fix.Title, err)
	}
	p.text = text
	p.laid = nil
	// The fix's phases go before those of statements after this one, decided while
	// the offsets still compare (its edits may remove the statement), then every
	// anchor follows the edits.
	pos := len(p.phases)
	for i, a := range p.phases {
		if a.at > at {
			pos = i
			break
		}
	}
	var added []anchored
	for _, ph := range fix.Phases {
		added = append(added, anchored{at: at, ph: ph})
	}
	p.phases = append(p.phases[:pos:pos], append(added, p.phases[pos:]...)...)
	for i := range p.phases {
		p.phases[i].at = mapOffset(edits, p.phases[i].at)
	}
	for _, fe := range fix.Others {
		cur, err := p.current(fe.Path)
		if err != nil {
			return fmt.Errorf("%s: %w", fe.Path, err)
		}
		if cur != fe.Base {
			return fmt.Errorf("%s changed since it was analysed; run the fix again", fe.Path)
		}
		out, err := ApplyEdits(cur, p.adapt(fe.Edits, usesCRLF(cur), cur))
		if err != nil {
			return fmt.Errorf("%s: fix %q: %w", fe.Path, fix.Title, err)
		}
		p.set(fe.Path, cur, out)
	}
	p.files = append(p.files, fix.Files...)
	return nil
}

// Deployed is the phases that run in the same deploy as the migration (every one but
// the contract phases, which wait in .migsafe/pending), in the order they run. A fix
// may leave the migration short of an end state that one of these phases completes
// (an index moved to the next migration, for a foreign key earlier in the deploy).
func (p *Planner) Deployed() []Phase {
	var out []Phase
	for _, a := range p.phases {
		if a.ph.Wait == "" {
			out = append(out, a.ph)
		}
	}
	return out
}

// PhaseFiles lays out phases by themselves, as the next migrations after the newest
// one on disk, for checking what a fix writes without laying out the whole plan again
// (composing many fixes would lay out every earlier phase once per fix). The names
// may differ from the final plan's; the files' contents do not.
func (p *Planner) PhaseFiles(phases []Phase) ([]NewFile, error) {
	files, _, err := p.lay.phases(phases)
	if err != nil {
		return nil, err
	}
	for i := range files {
		files[i].Text = p.eol(files[i].Text, p.crlf)
	}
	return files, nil
}

// mapOffset follows an offset through edits (sorted, as ApplyEdits checked them): text
// inserted at the offset goes before it.
func mapOffset(edits []Edit, off int) int {
	es := append([]Edit(nil), edits...)
	sort.SliceStable(es, func(i, j int) bool { return es[i].Start < es[j].Start })
	d := 0
	for _, e := range es {
		switch {
		case e.End <= off:
			d += len(e.NewText) - (e.End - e.Start)
		case e.Start <= off:
			return e.Start + d
		}
	}
	return off + d
}

// layoutFiles lays the phases out in the order of their statements, from a fresh
// scan of the migrations directory: new files, and text appended to existing files
// (sqitch.plan).
func (p *Planner) layoutFiles() ([]NewFile, map[string]string, error) {
	if p.laid == nil {
		files, appends, err := p.layout()
		p.laid = &laidOut{files, appends, err}
	}
	return p.laid.files, p.laid.appends, p.laid.err
}

func (p *Planner) layout() ([]NewFile, map[string]string, error) {
	phases := make([]Phase, len(p.phases))
	for i, a := range p.phases {
		phases[i] = a.ph
	}
	laid, appends, err := p.lay.phases(phases)
	if err != nil {
		return nil, nil, err
	}
	files := append(append([]NewFile(nil), p.files...), laid...)
	seen := map[string]bool{filepath.Clean(p.file.Path): true}
	for i, nf := range files {
		c := filepath.Clean(nf.Path)
		if seen[c] {
			return nil, nil, fmt.Errorf("%s: %w in the plan (two of its files have this name), nothing was written", nf.Path, ErrTaken)
		}
		if _, err := p.fs.ReadFile(nf.Path); err == nil {
			return nil, nil, fmt.Errorf("%s: %w; a fix never overwrites a file, nothing was written", nf.Path, ErrTaken)
		}
		seen[c] = true
		files[i].Text = p.eol(nf.Text, p.crlf)
	}
	return files, appends, nil
}

// Created lists the new files the plan makes.
func (p *Planner) Created() ([]NewFile, error) {
	files, _, err := p.layoutFiles()
	return files, err
}

// Remove plans the removal of a file (a pending phase once promoted).
func (p *Planner) Remove(path string) { p.removes = append(p.removes, path) }

func (p *Planner) current(path string) (string, error) {
	if ch, ok := p.changed[filepath.Clean(path)]; ok {
		return ch.text, nil
	}
	if filepath.Clean(path) == filepath.Clean(p.file.Path) {
		return p.text, nil
	}
	data, err := p.fs.ReadFile(path)
	return string(data), err
}

func (p *Planner) set(path, base, text string) {
	c := filepath.Clean(path)
	if c == filepath.Clean(p.file.Path) {
		p.text = text
		return
	}
	if ch, ok := p.changed[c]; ok {
		ch.text = text
		return
	}
	p.changed[c] = &change{base: base, text: text}
}

// adapt makes edits fit the file they go into (FitEdits).
func (p *Planner) adapt(edits []Edit, crlf bool, text string) []Edit {
	return fitEdits(edits, crlf, text)
}

// FitEdits makes edits fit text: its line endings (\r\n when its first line ends so),
// never before a byte order mark, and never between the \r and \n of a line end. The
// Planner fits every fix's edits; the language server fits its own (the ignore
// comments) with it.
func FitEdits(text string, edits []Edit) []Edit {
	return fitEdits(edits, usesCRLF(text), text)
}

func fitEdits(edits []Edit, crlf bool, text string) []Edit {
	bom := 0
	if strings.HasPrefix(text, "\uFEFF") {
		bom = len("\uFEFF")
	}
	// An offset between \r and \n (a rule's "end of the line" found by its \n) would
	// leave a lone \r before what is inserted there: "text;\r\r\n".
	inPair := func(off int) int {
		if off > 0 && off < len(text) && text[off-1] == '\r' && text[off] == '\n' {
			return off - 1
		}
		return off
	}
	out := make([]Edit, len(edits))
	for i, e := range edits {
		e.Start, e.End = inPair(e.Start), inPair(e.End)
		if e.Start < bom {
			e.Start = bom
			if e.End < bom {
				e.End = bom
			}
		}
		e.NewText = eol(e.NewText, crlf)
		out[i] = e
	}
	return out
}

func (p *Planner) eol(s string, crlf bool) string { return eol(s, crlf) }

// eol gives s's line ends as \r\n when crlf.
func eol(s string, crlf bool) string {
	if !crlf {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\n", "\r\n")
}

// usesCRLF reports a text whose first line ends in \r\n.
func usesCRLF(text string) bool {
	i := strings.IndexByte(text, '\n')
	return i > 0 && text[i-1] == '\r'
}

// Plan is the result: new files, then other files changed, the migration last.
func (p *Planner) Plan() (*Plan, error) {
	files, appends, err := p.layoutFiles()
	if err != nil {
		return nil, err
	}
	q := p.Clone()
	for _, path := range sortedKeys(appends) {
		cur, err := q.current(path)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		add := appends[path]
		if cur != "" && !strings.HasSuffix(cur, "\n") {
			add = "\n" + add
		}
		q.set(path, cur, cur+q.eol(add, usesCRLF(cur)))
	}
	pl := &Plan{}
	for _, nf := range files {
		pl.Changes = append(pl.Changes, Change{Path: nf.Path, New: nf.Text, Create: true})
	}
	for _, path := range sortedKeys(q.changed) {
		ch := q.changed[path]
		if ch.base != ch.text {
			pl.Changes = append(pl.Changes, Change{Path: path, Old: ch.base, New: ch.text})
		}
	}
	if q.text != q.file.Source.Text {
		pl.Changes = append(pl.Changes, Change{Path: q.file.Path, Old: q.file.Source.Text, New: q.text})
	}
	pl.Removes = append(pl.Removes, q.removes...)
	return pl, nil
}

// Changed lists the paths of the existing files changed so far, the migration first
// when it changed.
func (p *Planner) Changed() []string {
	var out []string
	if p.text != p.file.Source.Text {
		out = append(out, p.file.Path)
	}
	for _, path := range sortedKeys(p.changed) {
		if p.changed[path].base != p.changed[path].text {
			out = append(out, path)
		}
	}
	return out
}

// ApplyEdits applies edits to text. They must lie inside it and not overlap; two
// insertions at one offset are refused, because their order would be a guess.
func ApplyEdits(text string, edits []Edit) (string, error) {
	es := append([]Edit(nil), edits...)
	sort.SliceStable(es, func(i, j int) bool { return es[i].Start < es[j].Start })
	var b strings.Builder
	at := 0
	for i, e := range es {
		if e.Start < 0 || e.End < e.Start || e.End > len(text) {
			return "", fmt.Errorf("edit [%d,%d) is outside the text (%d bytes)", e.Start, e.End, len(text))
		}
		if e.Start < at || i > 0 && e.Start == es[i-1].Start {
			return "", fmt.Errorf("edit [%d,%d) overlaps another edit", e.Start, e.End)
		}
		b.WriteString(text[at:e.Start])
		b.WriteString(e.NewText)
		at = e.End
	}
	b.WriteString(text[at:])
	return b.String(), nil
}

// Changed is one edit that turns old into new: what lies between their common prefix
// and suffix, on UTF-8 character boundaries.
func Changed(old, new string) Edit {
	pre := 0
	for pre < len(old) && pre < len(new) && old[pre] == new[pre] {
		pre++
	}
	suf := 0
	for suf < len(old)-pre && suf < len(new)-pre && old[len(old)-1-suf] == new[len(new)-1-suf] {
		suf++
	}
	for pre > 0 && pre < len(old) && old[pre]&0xC0 == 0x80 {
		pre--
	}
	for suf > 0 && old[len(old)-suf]&0xC0 == 0x80 {
		suf--
	}
	return Edit{Start: pre, End: len(old) - suf, NewText: new[pre : len(new)-suf]}
}

package engine

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/migsafe/migsafe/codeactions"
	"github.com/migsafe/migsafe/engine/config"
	"github.com/migsafe/migsafe/engine/migration"
	"github.com/migsafe/migsafe/engine/project"
	"github.com/migsafe/migsafe/engine/rules"
)

// FixOptions adjust FixFile.
type FixOptions struct {
	// Split applies fixes that add phases (new migrations); without it they are left
	// out, since their edits alone would drop statements from the migration.
	Split bool
	// FS reads the files beside the migration; nil reads the disk.
	FS codeactions.FS
	// Now stamps sqitch plan lines; nil is the clock.
	Now func() time.Time
	// History is the migration's place in its set (Options.History): each trial is
	// judged against the catalog the earlier migrations leave, as `check` judges it.
	History *project.History
}

// Skipped is a finding whose fix was not applied, and why. Finding is the migration's
// own (Fixed.Before's), so its offsets are in the file as the user has it; the fixes
// applied before it move the text the composition tried it on. A finding the file as
// given did not have is from that text, and Source says so.
type Skipped struct {
	Finding *Finding
	Reason  string
	// Source is the text Finding's offsets are in.
	Source *migration.Source
}

// Fixed is the outcome of FixFile.
type Fixed struct {
	Plan    *codeactions.Plan
	Skipped []Skipped
	// Before and After are the migration's analysis without and with the plan; Files
	// the analyses of the new migrations the plan adds.
	Before, After *Result
	Files         []*Result
}

// maxFixes bounds the fixes composed for one file; each accepted fix removes a
// finding, so a file needs as many as it has findings.
const maxFixes = 200

// FixFile composes the fixes of every finding of one migration into one plan, in one
// pass, so the user never has to run `migsafe fix` again: it takes the findings worst
// first (BLOCK before FLAG, then by position), tries each one's fixes (the preferred
// one first) on the text as the fixes before it left it, and keeps a fix only when the
// re-analysis shows its finding gone and nothing worse: no finding of any rule added to
// the migration, no syntax error, and new migrations without a BLOCK. A finding whose
// fixes all fail that test is skipped, with the reason.
func FixFile(path, text string, cfg *config.Config, opts FixOptions) (*Fixed, error) {
	if cfg == nil {
		cfg = config.Default()
	}
	fsys := opts.FS
	if fsys == nil {
		fsys = project.OS
	}
	// Trials change a statement or two of the file: the cache re-parses only those.
	var trees migration.ParseCache
	analyse := func(p *codeactions.Planner) *Result {
		return Analyze(path, p.Text(), cfg, Options{ReadFile: p.ReadFile, Cache: &trees, History: opts.History})
	}
	first := Analyze(path, text, cfg, Options{ReadFile: fsys.ReadFile, History: opts.History})
	planner, err := codeactions.NewPlanner(first.File, cfg, fsys, opts.Now)
	if err != nil {
		return nil, err
	}
	out := &Fixed{Before: first}
	cur := first
	tried := map[string]bool{}
	analysed := map[string]*Result{}
	for n := 0; n < maxFixes; n++ {
		fd := nextFinding(cur, tried)
		if fd == nil {
			break
		}
		tried[findingKey(fd)] = true
		var reasons []string
		accepted := false
		for _, fix := range ordered(fd.Fixes()) {
			if fix.Splits() && !opts.Split {
				reasons = append(reasons, fmt.Sprintf("%q adds new migrations; run with --split to apply it", fix.Title))
				continue
			}
			trial := planner.Clone()
			at := fd.Start
			if fd.Stmt != nil {
				at = fd.Stmt.Start
			}
			if err := trial.Apply(fix, at); err != nil {
				if errors.Is(err, codeactions.ErrTaken) {
					// The plan needs a name that is taken: a failure of the plan, not
					// of this fix, which the user must hear about.
					return nil, err
				}
				reasons = append(reasons, err.Error())
				continue
			}
			after := analyse(trial)
			deployed := func() *Result {
				return Analyze(path, deployView(after.File, trial.Deployed()), cfg, Options{ReadFile: trial.ReadFile, Cache: &trees, History: opts.History})
			}
			if why := worse(cur, after, fd, deployed); why != "" {
				reasons = append(reasons, fmt.Sprintf("%q: %s", fix.Title, why))
				continue
			}
			files, err := trial.PhaseFiles(fix.Phases)
			if err == nil && opts.History != nil {
				// In the set, a phase's name and the phases before it are its history:
				// the whole plan's layout, not this fix's phases by themselves.
				files, err = trial.Created()
			}
			if errors.Is(err, codeactions.ErrTaken) {
				return nil, err
			}
			if err != nil {
				reasons = append(reasons, fmt.Sprintf("%q: %v", fix.Title, err))
				continue
			}
			if _, why := checkFiles(trial, files, cfg, analysed, after); why != "" {
				reasons = append(reasons, fmt.Sprintf("%q: %s", fix.Title, why))
				continue
			}
			planner, cur, accepted = trial, after, true
			break
		}
		if !accepted {
			sk := Skipped{Finding: fd, Reason: strings.Join(reasons, "; "), Source: cur.File.Source}
			// The same finding of the file as given: its line is where the user looks
			// (reported from the trial text, a fix that inserted a line above made
			// the line one too far, or past the end of the file).
			key := findingKey(fd)
			for _, b := range first.Findings {
				if findingKey(b) == key {
					sk.Finding, sk.Source = b, first.File.Source
					break
				}
			}
			out.Skipped = append(out.Skipped, sk)
		}
	}
	plan, err := planner.Plan()
	if err != nil {
		return nil, err
	}
	out.Plan, out.After = plan, cur
	created, err := planner.Created()
	if err != nil {
		return nil, err
	}
	out.Files, _ = checkFiles(planner, created, cfg, analysed, cur)
	return out, nil
}

// nextFinding is the worst finding with fixes not tried yet, first in the file; those
// whose fix waits for the others (AfterOthers) come last. Fixes are built only for the
// findings looked at.
func nextFinding(res *Result, tried map[string]bool) *Finding {
	fs := append([]*Finding(nil), res.Findings...)
	sort.SliceStable(fs, func(i, j int) bool {
		if fs[i].Status != fs[j].Status {
			return fs[i].Status > fs[j].Status
		}
		return fs[i].Start < fs[j].Start
	})
	var deferred *Finding
	for _, fd := range fs {
		if tried[findingKey(fd)] {
			continue
		}
		p := codeactions.Preferred(fd.Fixes())
		switch {
		case p == nil:
		case !p.AfterOthers:
			return fd
		case deferred == nil:
			deferred = fd
		}
	}
	return deferred
}

// findingKey names a finding across re-analyses, whose offsets move: its rule and
// its statement's text.
func findingKey(fd *Finding) string {
	st := ""
	if fd.Stmt != nil {
		st = strings.Join(strings.Fields(fd.Stmt.Text), " ")
	}
	return fd.Rule.ID + "\x00" + st + "\x00" + fd.Message
}

// ordered puts the preferred fix first.
func ordered(fixes []codeactions.Fix) []codeactions.Fix {
	out := make([]codeactions.Fix, 0, len(fixes))
	if p := codeactions.Preferred(fixes); p != nil {
		out = append(out, *p)
	}
	for _, f := range fixes {
		if !f.Preferred && (len(out) == 0 || f.Title != out[0].Title) {
			out = append(out, f)
		}
	}
	return out
}

// worse says how after is worse than before for the fix of fd, "" when it is not: the
// finding must be gone, and no rule may report more than before, no problem appear.
// A rule that reports more only short of BLOCK, and no more than before once the
// phases running in the same deploy are counted (deployed: the migration with them
// appended), judges an end state the deploy reaches a moment later: a foreign key
// added NOT VALID here whose index the next migration builds concurrently. That is
// not worse; what a statement does by itself (its locks) is judged without them.
func worse(before, after *Result, fd *Finding, deployed func() *Result) string {
	count := func(r *Result) map[string]int {
		m := map[string]int{}
		for _, f := range r.Findings {
			m[f.Rule.ID]++
		}
		return m
	}
	b, a := count(before), count(after)
	if a[fd.Rule.ID] >= b[fd.Rule.ID] {
		return fmt.Sprintf("%s still reports", fd.Rule.ID)
	}
	// Every rule that reports more is named, in order: the reason is printed, and
	// a map's order would make it differ from run to run.
	var dep map[string]int
	var more []string
	for _, id := range slices.Sorted(maps.Keys(a)) {
		if a[id] <= b[id] {
			continue
		}
		if deployed != nil && !reportsBlock(after, id) {
			if dep == nil {
				dep = count(deployed())
			}
			if dep[id] <= b[id] {
				continue
			}
		}
		more = append(more, id)
	}
	if len(more) > 0 {
		return fmt.Sprintf("it makes %s report", andList(more))
	}
	problems := func(r *Result) map[string]int {
		m := map[string]int{}
		for _, p := range r.Problems {
			m[p.Kind]++
		}
		return m
	}
	pb, pa := problems(before), problems(after)
	for _, kind := range slices.Sorted(maps.Keys(pa)) {
		if pa[kind] > pb[kind] && kind != "unfinished" {
			return fmt.Sprintf("it adds a %s problem", ProblemKinds[kind].ID)
		}
	}
	if after.Worst() > before.Worst() {
		return "the verdict gets worse"
	}
	return ""
}

// andList is "a", "a and b", "a, b and c".
func andList(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

// reportsBlock reports whether rule id has a BLOCK finding in res.
func reportsBlock(res *Result, id string) bool {
	for _, f := range res.Findings {
		if f.Rule.ID == id && f.Status == rules.Block {
			return true
		}
	}
	return false
}

// deployView is the migration f with the statements of phases inserted after its up
// section's last statement, in order: what the deploy runs, as one text, so that rules
// judging the end state see what the phases complete.
func deployView(f *migration.File, phases []codeactions.Phase) string {
	text := f.Source.Text
	at := len(text)
	last := -1
	for _, st := range f.Statements {
		if st.Section == migration.Up && st.End > last {
			last = st.End
		}
	}
	if last >= 0 {
		at = last
	}
	var b strings.Builder
	for _, ph := range phases {
		b.WriteString("\n")
		b.WriteString(strings.TrimSpace(ph.Up))
	}
	return text[:at] + b.String() + text[at:]
}

// checkNew analyses the migrations the plan adds (each with the plan's other files
// beside it): none may have a syntax error, a BLOCK, or a suppression that suppresses
// nothing; a placeholder for the author (unfinished) is allowed. Pending contract
// phases only have to parse: they become migrations when promoted.
func checkNew(p *codeactions.Planner, cfg *config.Config, from *Result) ([]*Result, string) {
	created, err := p.Created()
	if err != nil {
		return nil, err.Error()
	}
	return checkFiles(p, created, cfg, nil, from)
}

// checkFiles is checkNew for some of the files, remembering the analyses in seen (nil:
// none). from is the analysis of the migration as the plan leaves it: when it was
// judged in its migration set, each new migration is judged in its place after it (see
// analyseInSet), as `check` and the language server judge it once the plan is written
// (a phase's SET NOT NULL is checked by the CHECK the phase before added); otherwise,
// or with from nil, each one alone.
func checkFiles(p *codeactions.Planner, created []codeactions.NewFile, cfg *config.Config, seen map[string]*Result, from *Result) ([]*Result, string) {
	inSet := analyseInSet(p, created, cfg, from, seen)
	var out []*Result
	for _, nf := range created {
		if !strings.HasSuffix(nf.Path, ".sql") || migration.DownOnly(nf.Path) {
			continue
		}
		if codeactions.IsPending(nf.Text) {
			for _, st := range migration.Parse(nf.Path, nf.Text, migration.Options{}).Statements {
				if st.Err != nil {
					return out, fmt.Sprintf("%s does not parse: %s", nf.Path, st.Err.Message)
				}
			}
			continue
		}
		res := inSet[nf.Path]
		if res == nil {
			key := nf.Path + "\x00" + nf.Text
			if res = seen[key]; res == nil {
				res = Analyze(nf.Path, nf.Text, cfg, Options{ReadFile: p.ReadFile})
				if seen != nil {
					seen[key] = res
				}
			}
		}
		out = append(out, res)
		for _, pr := range res.Problems {
			if pr.Kind != "unfinished" && pr.Status() > rules.OK {
				return out, fmt.Sprintf("%s: %s: %s", nf.Path, ProblemKinds[pr.Kind].ID, pr.Message)
			}
		}
		for _, f := range res.Findings {
			if f.Status == rules.Block {
				return out, fmt.Sprintf("%s: %s: %s", nf.Path, f.Rule.ID, f.Message)
			}
		}
	}
	return out, ""
}

// analyseInSet judges the new migrations among created in their migration set: each
// against the catalog the migration (its analysis, from) and the new migrations before
// it leave, with the migration's pending set; a new migration is not listed in the
// set, which only the duplicate-version check reads, and that does not apply to names
// the layout chose. The judgements are kept in seen (when not nil) by what they depend
// on: the file, the migration's text and the new migrations before the file.
func analyseInSet(p *codeactions.Planner, created []codeactions.NewFile, cfg *config.Config, from *Result, seen map[string]*Result) map[string]*Result {
	out := map[string]*Result{}
	if from == nil || from.History == nil || from.After == nil {
		return out
	}
	// The catalog after the migration is the migration's text; the phases before a
	// file are in created, whose texts make the keys. The context is a running hash,
	// not the texts themselves: keys that held the migration and every phase before
	// the file grew with each phase and each fix tried, and the map kept them all
	// (`runbook` on dhis2's 847-finding V2_32_10 ran out of memory past 20 GB).
	context := sha256.Sum256([]byte(p.Text()))
	before := from.After
	for _, nf := range created {
		if !strings.HasSuffix(nf.Path, ".sql") || migration.DownOnly(nf.Path) || codeactions.IsPending(nf.Text) {
			continue
		}
		// checkFiles keys a lone file by its path and text: "\x00\x00" keeps these apart.
		key := nf.Path + "\x00\x00" + string(chain(context, nf.Text))
		res := seen[key]
		if res == nil {
			h := &project.History{Before: before, Pending: from.History.Pending}
			res = Analyze(nf.Path, nf.Text, cfg, Options{ReadFile: p.ReadFile, History: h})
			if seen != nil {
				seen[key] = res
			}
		}
		out[nf.Path] = res
		if res.After == nil {
			break // the files after it are judged alone
		}
		before = res.After
		context = [sha256.Size]byte(chain(context, nf.Path+"\x00"+nf.Text))
	}
	return out
}

// chain hashes text after the hash prev: the key of a sequence of texts, which stays
// short however long the sequence grows.
func chain(prev [sha256.Size]byte, text string) []byte {
	h := sha256.New()
	h.Write(prev[:])
	h.Write([]byte(text))
	return h.Sum(nil)
}

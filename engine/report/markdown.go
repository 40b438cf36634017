package report

import (
	"fmt"
	"io"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/migsafe/migsafe/engine"
	"github.com/migsafe/migsafe/engine/rules"
	"github.com/migsafe/migsafe/engine/runbook"
	"github.com/migsafe/migsafe/internal/commonmark"
)

// CommentLimit is the largest pull-request comment GitHub accepts (65,536 characters);
// the markdown report fits in it, counted in bytes, which are never fewer.
const CommentLimit = 65536

// MarkdownOptions shape the pull-request comment.
type MarkdownOptions struct {
	// Limit caps the comment's size in bytes; 0 means no cap. Past it, the comment
	// ends with how many findings it leaves out and where to read them.
	Limit int
	// Links make file and line links that work in a pull request; nil links paths
	// relative to the comment.
	Links *Links
	// Marker is a hidden first line a bot finds its comment by, to update it in place.
	Marker string
}

// Links locate files in the repository's web view.
type Links struct {
	// Blob is the URL of the commit's tree: Blob + "/" + path + "#L3" is a line.
	Blob string
	// Root is the checkout's directory, for absolute paths in the report.
	Root string
	// Full is where the whole report can be read (the CI run), for a capped comment.
	Full string
}

// LinksFromEnv reads the CI environment: GitHub Actions (GITHUB_SERVER_URL,
// GITHUB_REPOSITORY, MIGSAFE_COMMIT or GITHUB_SHA, GITHUB_RUN_ID) or GitLab CI
// (CI_PROJECT_URL, CI_COMMIT_SHA, CI_PIPELINE_URL). MIGSAFE_COMMIT names the commit to
// link to where the CI's own (a pull request's merge commit) is not the one reviewed.
// It returns nil outside CI.
func LinksFromEnv(getenv func(string) string) *Links {
	commit := getenv("MIGSAFE_COMMIT")
	if server, repo := getenv("GITHUB_SERVER_URL"), getenv("GITHUB_REPOSITORY"); server != "" && repo != "" {
		if commit == "" {
			commit = getenv("GITHUB_SHA")
		}
		if commit == "" {
			return nil
		}
		l := &Links{Blob: fmt.Sprintf("%s/%s/blob/%s", strings.TrimRight(server, "/"), repo, commit), Root: getenv("GITHUB_WORKSPACE")}
		if run := getenv("GITHUB_RUN_ID"); run != "" {
			l.Full = fmt.Sprintf("%s/%s/actions/runs/%s", strings.TrimRight(server, "/"), repo, run)
		}
		return l
	}
	if project := getenv("CI_PROJECT_URL"); project != "" {
		if commit == "" {
			commit = getenv("CI_COMMIT_SHA")
		}
		if commit == "" {
			return nil
		}
		return &Links{Blob: strings.TrimRight(project, "/") + "/-/blob/" + commit, Root: getenv("CI_PROJECT_DIR"), Full: getenv("CI_PIPELINE_URL")}
	}
	return nil
}

// file links a path, at a line when line > 0. A path relative to a working
// directory below the checkout's root (a job run in a service's directory) is linked
// from the root, as the repository's web view names it.
func (l *Links) file(p string, line int) string {
	rel := filepath.ToSlash(p)
	if l != nil && l.Root != "" {
		abs, err := filepath.Abs(p)
		if err == nil {
			if r, err := filepath.Rel(l.Root, abs); err == nil && !strings.HasPrefix(r, "..") {
				rel = filepath.ToSlash(r)
			}
		}
	}
	rel = commonmark.Path(strings.TrimPrefix(path.Clean(rel), "./"))
	anchor := ""
	if line > 0 {
		anchor = fmt.Sprintf("#L%d", line)
	}
	if l == nil || l.Blob == "" || path.IsAbs(rel) {
		return rel + anchor
	}
	return l.Blob + "/" + rel + anchor
}

// WriteMarkdown writes a pull-request comment: the verdict and totals; per file that
// is not SAFE TO SHIP a heading, its category table and its findings, the first of each
// rule in full (message, help, the preferred fix of a BLOCK as a diff, statement and
// lock) and the rule's other findings folded into one line; the files that are SAFE TO
// SHIP in one line. Past opts.Limit, statements are left out first, then findings.
func WriteMarkdown(w io.Writer, r *Report, opts MarkdownOptions) error {
	// Each layout is capped as it is laid out, so it never runs over the limit itself:
	// what says it did not fit is that it left something out. The runbooks go first,
	// then the statements and fix diffs (compact): a runbook too big for the room left
	// was dropped under a note of "0 more findings (0 BLOCK, 0 FLAG) are not shown",
	// and the smaller layouts were never tried.
	body, cut := renderMarkdown(r, opts, layoutFull)
	if cut {
		body, cut = renderMarkdown(r, opts, layoutNoRunbooks)
	}
	if cut {
		body, _ = renderMarkdown(r, opts, layoutCompact)
	}
	_, err := io.WriteString(w, body)
	return err
}

// buildRunbook is runbook.Build, a variable so that a test can count the runbooks a
// comment builds.
var buildRunbook = runbook.Build

// chunk is a piece of the comment; findings counts those it shows.
type chunk struct {
	text string
	// render, when set, makes text once the comment reaches the chunk: a runbook
	// re-analyses its file's fixes and a finding's fix diff plans its edits, and a
	// capped comment leaves most of them out (the corpus' dhis2 files took 25 s for a
	// comment of 64 KB, building every runbook and diff).
	render      func() string
	block, flag int
	file        bool   // a file's heading
	listed      string // for a heading, the file's line in the list of files left out
}

// layout is how much of each file a comment holds, from the most to the least.
type layout int

const (
	layoutFull       layout = iota
	layoutNoRunbooks        // the findings in full, no runbooks
	layoutCompact           // no runbooks, statements or fix diffs
)

// renderMarkdown lays the comment out; cut is true when the limit left chunks out.
func renderMarkdown(r *Report, opts MarkdownOptions, lay layout) (body string, cut bool) {
	var head strings.Builder
	if opts.Marker != "" {
		head.WriteString(opts.Marker + "\n")
	}
	fmt.Fprintf(&head, "# migsafe: %s %s\n\n%s\n\n", verdictIcon(r.Summary.Verdict), r.Summary.Verdict, summarySentence(r))
	var chunks []chunk
	var safe []string
	for _, v := range []engine.Verdict{engine.BlockVerdict, engine.SafeWithModifications} {
		for _, f := range r.Files {
			if engine.Verdict(f.Verdict) == v {
				chunks = append(chunks, fileChunks(f, r.Generated, opts.Links, lay)...)
			}
		}
	}
	for _, f := range r.Files {
		if engine.Verdict(f.Verdict) == engine.SafeToShip {
			safe = append(safe, fmt.Sprintf("[%s](%s)", commonmark.CodeSpan(f.Path), opts.Links.file(f.Path, 0)))
		}
	}
	var tail string
	if len(safe) > safeListed {
		safe = append(safe[:safeListed], fmt.Sprintf("and %d more", len(safe)-safeListed))
	}
	if len(safe) > 0 {
		tail = fmt.Sprintf("✅ **SAFE TO SHIP:** %s\n", strings.Join(safe, ", "))
	}

	var b strings.Builder
	b.WriteString(head.String())
	// Reserve room for the tail, the note on what was left out and the list of the
	// files it leaves out (listed[i]: the lines of the files whose headings are at i or
	// later), so a capped comment still names every file that is not SAFE TO SHIP: a
	// pull request of 300 migrations showed 4 and said "and 296 more files".
	const noteRoom = 600
	listed := make([]int, len(chunks)+1)
	for i := len(chunks) - 1; i >= 0; i-- {
		listed[i] = listed[i+1] + len(chunks[i].listed)
	}
	for i, c := range chunks {
		if c.render != nil {
			c.text = c.render()
		}
		if opts.Limit > 0 && b.Len()+len(c.text)+len(tail)+noteRoom+listed[i+1] > opts.Limit {
			b.WriteString(omitted(chunks[i:], opts))
			b.WriteString(leftOut(chunks[i:], opts.Limit-b.Len()-len(tail)))
			cut = true
			break
		}
		b.WriteString(c.text)
	}
	b.WriteString(tail)
	return b.String(), cut
}

// leftOut lists the files whose headings are among rest, in at most room bytes (the
// last line says how many more there are when they do not fit).
func leftOut(rest []chunk, room int) string {
	var lines []string
	for _, c := range rest {
		if c.file {
			lines = append(lines, c.listed)
		}
	}
	if len(lines) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("Not shown:\n\n")
	for i, l := range lines {
		more := fmt.Sprintf("- and %d more\n", len(lines)-i)
		if b.Len()+len(l)+len(more)+1 > room {
			b.WriteString(more)
			break
		}
		b.WriteString(l)
	}
	b.WriteString("\n")
	return b.String()
}

// listedLine is a file's line in the list of files a capped comment leaves out.
func listedLine(f *File) string {
	block, flag := 0, 0
	for _, fd := range f.Findings {
		if fd.Status == rules.Block.String() {
			block++
		} else {
			flag++
		}
	}
	for _, e := range f.Errors {
		switch e.Status() {
		case rules.Block.String():
			block++
		case rules.Flag.String():
			flag++
		}
	}
	return fmt.Sprintf("- %s %s: %d BLOCK, %d FLAG\n", verdictIcon(f.Verdict), commonmark.CodeSpan(f.Path), block, flag)
}

// safeListed is how many SAFE TO SHIP files the comment names.
const safeListed = 20

// omitted says how much the cap left out and where to read it. A cap above
// CommentLimit is not a comment's (the action's job summary, capped near GitHub's
// 1 MiB): the note says so, and sends the reader to migsafe check, not to the CI run's
// summary, which is where it is read.
func omitted(rest []chunk, opts MarkdownOptions) string {
	block, flag, files := 0, 0, 0
	for _, c := range rest {
		block += c.block
		flag += c.flag
		if c.file {
			files++
		}
	}
	why := fmt.Sprintf("a pull-request comment holds at most %d characters", CommentLimit)
	where := "run `migsafe check` on the files for the full report"
	if opts.Limit > CommentLimit {
		why = fmt.Sprintf("this report is capped at %d bytes", opts.Limit)
	} else if opts.Links != nil && opts.Links.Full != "" {
		where = fmt.Sprintf("the full report is in [the CI run's summary](%s)", opts.Links.Full)
	}
	inFiles := ""
	if files > 0 {
		inFiles = fmt.Sprintf(" (and %d more %s)", files, plural(files, "file", "files"))
	}
	return fmt.Sprintf("\n---\n\n**%d more %s** (%d BLOCK, %d FLAG)%s are not shown: %s; %s.\n\n",
		block+flag, plural(block+flag, "finding", "findings"), block, flag, inFiles, why, where)
}

// group is the findings of one rule (or problems of one kind) in a file, in order.
type group struct{ items []item }

func fileChunks(f *File, generated time.Time, links *Links, lay layout) []chunk {
	compact := lay == layoutCompact
	var b strings.Builder
	fmt.Fprintf(&b, "## %s %s — [%s](%s)\n\n", verdictIcon(f.Verdict), f.Verdict, commonmark.CodeSpan(f.Path), links.file(f.Path, 0))
	fmt.Fprintf(&b, "Runner: %s, PostgreSQL %d.\n\n", f.Runner, f.PGVersion)
	if s := f.Deploy.Sentence(); s != "" {
		fmt.Fprintf(&b, "**Deploy order:** %s.\n\n", mdEscape(s))
	}
	b.WriteString("| Category | Status |\n|---|---|\n")
	for _, c := range rules.Categories {
		st := f.Categories[c]
		fmt.Fprintf(&b, "| %s | %s %s |\n", c, statusIcon(st), st)
	}
	b.WriteString("\n")
	chunks := []chunk{{text: b.String(), file: true, listed: listedLine(f)}}

	var groups []*group
	byKey := map[string]*group{}
	for _, it := range f.items() {
		key := "problem:" + itemLabel(it)
		if it.finding != nil {
			key = "rule:" + it.finding.Rule
		}
		g := byKey[key]
		if g == nil {
			g = &group{}
			byKey[key] = g
			groups = append(groups, g)
		}
		g.items = append(g.items, it)
	}
	for _, g := range groups {
		c := chunk{render: func() string { return groupText(f, g, links, compact) }}
		for _, it := range g.items {
			if itemStatus(it) == rules.Block.String() {
				c.block++
			} else {
				c.flag++
			}
		}
		chunks = append(chunks, c)
	}
	if len(f.Findings) > 0 && f.Result != nil && lay != layoutFull {
		chunks = append(chunks, chunk{text: fmt.Sprintf("\n*Runbook not shown (the comment's size cap): run `migsafe runbook` on %s.*\n", commonmark.CodeSpan(f.Path))})
	}
	if len(f.Findings) > 0 && f.Result != nil && lay == layoutFull {
		// The runbook of a migration with findings, folded: checklist, backups,
		// verification queries, monitoring and rollback for whoever deploys it. A
		// comment over the size cap leaves it out first, saying so.
		chunks = append(chunks, chunk{render: func() string {
			rb := buildRunbook(f.Result, runbook.Options{Now: generated})
			return fmt.Sprintf("\n<details><summary>Runbook: checklist, backups, steps, verification, monitoring, rollback</summary>\n\n%s</details>\n", rb.Markdown(3))
		}})
	}
	var tail strings.Builder
	if len(f.Suppressed) > 0 {
		fmt.Fprintf(&tail, "\n<details><summary>%d suppressed</summary>\n\n", len(f.Suppressed))
		for _, fd := range f.Suppressed {
			fmt.Fprintf(&tail, "- `%s` [line %d](%s): %s\n", fd.Rule, fd.Line, links.file(f.Path, fd.Line), mdEscape(fd.Reason))
		}
		tail.WriteString("\n</details>\n")
	}
	tail.WriteString("\n")
	chunks = append(chunks, chunk{text: tail.String()})
	return chunks
}

func itemLabel(it item) string {
	if it.err != nil {
		return it.err.Label()
	}
	return it.finding.Rule
}

func itemStatus(it item) string {
	if it.err != nil {
		return it.err.Status()
	}
	return it.finding.Status
}

func itemLine(it item) int {
	if it.err != nil {
		return it.err.Line
	}
	return it.finding.Line
}

// foldedLines is how many line links a folded group lists before "and N more".
const foldedLines = 25

func groupText(f *File, g *group, links *Links, compact bool) string {
	var b strings.Builder
	first := g.items[0]
	if e := first.err; e != nil {
		st := e.Status()
		fmt.Fprintf(&b, "- %s **%s** `%s` [line %d](%s): %s\n", statusIcon(st), st, e.Label(), e.Line, links.file(f.Path, e.Line), mdEscape(e.Message))
	} else {
		fd := first.finding
		fmt.Fprintf(&b, "- %s **%s** `%s` [line %d](%s): %s\n", statusIcon(fd.Status), fd.Status, fd.Rule, fd.Line, links.file(f.Path, fd.Line), mdEscape(fd.Message))
		if fd.Help != "" {
			fmt.Fprintf(&b, "  - **Help:** %s\n", mdEscape(fd.Help))
		}
		writeFix(&b, f, fd, compact)
		if !compact {
			writeDetails(&b, fd)
		}
	}
	if more := g.items[1:]; len(more) > 0 {
		var lines []string
		for i, it := range more {
			if i == foldedLines {
				lines = append(lines, fmt.Sprintf("and %d more", len(more)-foldedLines))
				break
			}
			l := itemLine(it)
			lines = append(lines, fmt.Sprintf("[%d](%s)", l, links.file(f.Path, l)))
		}
		fmt.Fprintf(&b, "  - **%d more** `%s` %s on %s %s\n", len(more), itemLabel(first), plural(len(more), "finding", "findings"),
			plural(len(more), "line", "lines"), strings.Join(lines, ", "))
	}
	return b.String()
}

// writeFix shows a finding's preferred fix: for a BLOCK the change itself, as a diff;
// for a FLAG its title.
func writeFix(b *strings.Builder, f *File, fd *Finding, compact bool) {
	fx := preferred(fd.Fixes)
	if fx == nil {
		return
	}
	fmt.Fprintf(b, "  - **Fix:** %s (`migsafe fix`)\n", mdEscape(fx.Title))
	if fd.Status != rules.Block.String() || f.Result == nil {
		return
	}
	maxLines := 80
	if compact {
		maxLines = 30
	}
	if fd.finding == nil {
		return
	}
	full := fd.finding.Fixes()
	if fx.at >= len(full) {
		return
	}
	d := fixDiff(f.Result, fd, full[fx.at], maxLines)
	if d == "" {
		return
	}
	fence := "```"
	for strings.Contains(d, fence) {
		fence += "`"
	}
	fmt.Fprintf(b, "\n  %sdiff\n%s  %s\n\n", fence, indent(strings.TrimSuffix(d, "\n"), "  ")+"\n", fence)
}

func preferred(fixes []FixID) *FixID {
	for i := range fixes {
		if fixes[i].preferred {
			return &fixes[i]
		}
	}
	if len(fixes) > 0 {
		return &fixes[0]
	}
	return nil
}

func writeDetails(b *strings.Builder, fd *Finding) {
	if fd.Statement == "" && fd.Lock == nil {
		return
	}
	b.WriteString("  <details><summary>Statement")
	if fd.Lock != nil {
		b.WriteString(" and lock")
	}
	b.WriteString("</summary>\n\n")
	if fd.Statement != "" {
		fence := "```"
		for strings.Contains(fd.Statement, fence) {
			fence += "`"
		}
		fmt.Fprintf(b, "  %ssql\n%s\n  %s\n\n", fence, indent(fd.Statement, "  "), fence)
	}
	if fd.Lock != nil {
		fmt.Fprintf(b, "  Lock: %s\n\n", mdEscape(describeLock(fd)))
	}
	b.WriteString("  </details>\n")
}

// summarySentence counts files by verdict and findings by status, naming each count:
// "3 files checked (1 BLOCK, 2 SAFE TO SHIP); 4 findings: 3 BLOCK, 1 FLAG.", and the
// files that could not be checked or whose rollback could not be verified.
func summarySentence(r *Report) string {
	t := totals{s: r.Summary, byVerdict: map[string]int{}}
	for _, f := range r.Files {
		t.byVerdict[f.Verdict]++
		t.suppressed += len(f.Suppressed)
	}
	return t.sentence()
}

// sentence is summarySentence from the totals of a run.
func (t *totals) sentence() string {
	byVerdict := t.byVerdict
	var parts []string
	for _, v := range []engine.Verdict{engine.BlockVerdict, engine.SafeWithModifications, engine.SafeToShip} {
		if n := byVerdict[string(v)]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, v))
		}
	}
	files := fmt.Sprintf("%d %s checked", t.s.Files, plural(t.s.Files, "file", "files"))
	if len(parts) > 0 {
		files += " (" + strings.Join(parts, ", ") + ")"
	}
	if u := t.s.Unchecked; u > 0 {
		// Said where the verdict is, or a BLOCK over SAFE TO SHIP files reads as a bug.
		files += fmt.Sprintf(", %d %s not checked (unreadable or misconfigured: the run's errors say why)", u, plural(u, "file", "files"))
	}
	if u := t.s.Unverified; u > 0 {
		files += fmt.Sprintf(", %d %s not verified (--verify-rollback could not run: the run's errors say why)", u, plural(u, "rollback", "rollbacks"))
	}
	n := t.s.Block + t.s.Flag
	s := fmt.Sprintf("%s; %d %s: %d BLOCK, %d FLAG", files, n, plural(n, "finding", "findings"), t.s.Block, t.s.Flag)
	if t.suppressed > 0 {
		s += fmt.Sprintf(" (%d suppressed)", t.suppressed)
	}
	return s + "."
}

func verdictIcon(v string) string {
	switch engine.Verdict(v) {
	case engine.BlockVerdict:
		return "🛑"
	case engine.SafeWithModifications:
		return "⚠️"
	}
	return "✅"
}

func statusIcon(s string) string {
	switch s {
	case "BLOCK":
		return "🛑"
	case "FLAG":
		return "⚠️"
	}
	return "✅"
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// mdEscape keeps a message from opening HTML or breaking the list item.
func mdEscape(s string) string {
	return strings.NewReplacer("<", "&lt;", ">", "&gt;", "\n", " ").Replace(s)
}

func indent(s, prefix string) string {
	return prefix + strings.ReplaceAll(s, "\n", "\n"+prefix)
}

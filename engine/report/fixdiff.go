package report

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/migsafe/migsafe/codeactions"
	"github.com/migsafe/migsafe/engine"
)

// fixDiff shows a fix as a unified diff: each run of lines its edits touch, before
// and after, in the migration and in the other files it changes (its down), and each
// new file it creates, laid out as `migsafe fix` would write them. The hunks are
// exactly the edited lines (no context), which is what a reviewer reads in a comment;
// `migsafe fix --diff` prints the file-level diff. It shows at most maxLines lines,
// then says how many more.
func fixDiff(res *engine.Result, fd *Finding, fix codeactions.Fix, maxLines int) string {
	path := res.File.Path
	at := 0
	if fd.finding != nil && fd.finding.Stmt != nil {
		at = fd.finding.Stmt.Start
	}
	var changes []codeactions.Change
	if p, err := codeactions.NewPlanner(res.File, res.Config, nil, nil); err == nil && p.Apply(fix, at) == nil {
		if plan, err := p.Plan(); err == nil {
			changes = plan.Changes
		}
	}
	var lines []string
	hunks := func(name, text string, edits []codeactions.Edit) {
		name = strings.TrimPrefix(filepath.ToSlash(name), "/")
		lines = append(lines, "--- a/"+name, "+++ b/"+name)
		lines = append(lines, editHunks(text, edits)...)
	}
	if len(fix.Edits) > 0 {
		hunks(path, res.File.Source.Text, fix.Edits)
	}
	for _, c := range changes {
		switch {
		case c.Create:
			body := strings.Split(strings.TrimSuffix(c.New, "\n"), "\n")
			lines = append(lines, "--- /dev/null", "+++ b/"+strings.TrimPrefix(filepath.ToSlash(c.Path), "/"), fmt.Sprintf("@@ -0,0 +1,%d @@", len(body)))
			for _, l := range body {
				lines = append(lines, "+"+l)
			}
		case filepath.Clean(c.Path) != filepath.Clean(path):
			hunks(c.Path, c.Old, []codeactions.Edit{codeactions.Changed(c.Old, c.New)})
		}
	}
	if len(lines) == 0 {
		return ""
	}
	if len(lines) > maxLines {
		more := len(lines) - maxLines
		lines = append(lines[:maxLines], fmt.Sprintf("… %d more %s: `migsafe fix --diff %s` prints the whole change", more, plural(more, "line", "lines"), path))
	}
	return strings.Join(lines, "\n") + "\n"
}

// editHunks groups edits by the lines they touch and writes each group's old and new lines.
func editHunks(text string, edits []codeactions.Edit) []string {
	es := append([]codeactions.Edit(nil), edits...)
	sort.SliceStable(es, func(i, j int) bool { return es[i].Start < es[j].Start })
	lineStart := func(off int) int { return strings.LastIndexByte(text[:off], '\n') + 1 }
	lineEnd := func(off int) int { // past the line's \n, or the end of the text
		if i := strings.IndexByte(text[off:], '\n'); i >= 0 {
			return off + i + 1
		}
		return len(text)
	}
	var out []string
	for i := 0; i < len(es); {
		from, to := lineStart(es[i].Start), lineEnd(es[i].End)
		if es[i].End > es[i].Start && es[i].End > 0 && text[es[i].End-1] == '\n' {
			to = es[i].End // an edit ending at a line break ends on that line
		}
		j := i + 1
		for j < len(es) && es[j].Start <= to {
			if e := lineEnd(es[j].End); e > to {
				to = e
			}
			j++
		}
		var nb strings.Builder
		last := from
		for _, e := range es[i:j] {
			nb.WriteString(text[last:e.Start])
			nb.WriteString(e.NewText)
			last = e.End
		}
		nb.WriteString(text[last:to])
		old, now := splitDiffLines(text[from:to]), splitDiffLines(nb.String())
		line := strings.Count(text[:from], "\n") + 1
		out = append(out, fmt.Sprintf("@@ -%d,%d +%d,%d @@", line, len(old), line, len(now)))
		for _, l := range old {
			out = append(out, "-"+l)
		}
		for _, l := range now {
			out = append(out, "+"+l)
		}
		i = j
	}
	return out
}

func splitDiffLines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(strings.TrimSuffix(strings.ReplaceAll(s, "\r\n", "\n"), "\n"), "\n")
}

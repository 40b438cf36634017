package report

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/migsafe/migsafe/engine"
	"github.com/migsafe/migsafe/engine/rules"
	"github.com/migsafe/migsafe/engine/runbook"
)

// WriteMarkdown writes a pull-request comment: per file a verdict heading, the category
// table, and the findings with links to their lines, help, and the statement and lock
// in a collapsible block.
func WriteMarkdown(w io.Writer, r *Report) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# migsafe: %s %s\n\n", verdictIcon(r.Summary.Verdict), r.Summary.Verdict)
	fmt.Fprintf(&b, "%d %s checked: %d BLOCK, %d FLAG.\n\n", r.Summary.Files, plural(r.Summary.Files, "file", "files"), r.Summary.Block, r.Summary.Flag)
	for _, f := range r.Files {
		link := filepath.ToSlash(f.Path)
		fmt.Fprintf(&b, "## %s %s — [`%s`](%s)\n\n", verdictIcon(f.Verdict), f.Verdict, f.Path, link)
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
		for _, it := range f.items() {
			if e := it.err; e != nil {
				st := e.Status()
				fmt.Fprintf(&b, "- %s **%s** [line %d](%s#L%d): %s\n", statusIcon(st), st, e.Line, link, e.Line, mdEscape(e.Message))
				continue
			}
			fd := it.finding
			fmt.Fprintf(&b, "- %s **%s** `%s` [line %d](%s#L%d): %s\n", statusIcon(fd.Status), fd.Status, fd.Rule, fd.Line, link, fd.Line, mdEscape(fd.Message))
			if fd.Help != "" {
				fmt.Fprintf(&b, "  - **Help:** %s\n", mdEscape(fd.Help))
			}
			if fd.Statement != "" || fd.Lock != nil {
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
					fmt.Fprintf(&b, "  %ssql\n%s\n  %s\n\n", fence, indent(fd.Statement, "  "), fence)
				}
				if fd.Lock != nil {
					fmt.Fprintf(&b, "  Lock: %s\n\n", mdEscape(describeLock(fd)))
				}
				b.WriteString("  </details>\n")
			}
		}
		if len(f.Findings) > 0 && f.Result != nil {
			// The runbook of a migration with findings, folded: checklist, backups,
			// verification queries, monitoring and rollback for whoever deploys it.
			rb := runbook.Build(f.Result, runbook.Options{Now: r.Generated})
			fmt.Fprintf(&b, "\n<details><summary>Runbook: checklist, backups, steps, verification, monitoring, rollback</summary>\n\n%s</details>\n", rb.Markdown(3))
		}
		if len(f.Suppressed) > 0 {
			fmt.Fprintf(&b, "\n<details><summary>%d suppressed</summary>\n\n", len(f.Suppressed))
			for _, fd := range f.Suppressed {
				fmt.Fprintf(&b, "- `%s` [line %d](%s#L%d): %s\n", fd.Rule, fd.Line, link, fd.Line, mdEscape(fd.Reason))
			}
			b.WriteString("\n</details>\n")
		}
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
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

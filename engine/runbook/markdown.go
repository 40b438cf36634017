package runbook

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/migsafe/migsafe/internal/commonmark"
)

// WriteJSON writes runbooks as one JSON document.
func WriteJSON(w io.Writer, rbs []*Runbook) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(map[string]any{"version": 1, "runbooks": rbs})
}

// Markdown renders the runbook with its top heading at level (1 for a document of its
// own, 3 inside a pull-request comment's file section).
func (rb *Runbook) Markdown(level int) string {
	var b strings.Builder
	h := func(extra int, title string) {
		fmt.Fprintf(&b, "%s %s\n\n", strings.Repeat("#", level+extra), title)
	}
	h(0, "Runbook: "+commonmark.CodeSpan(rb.Path))
	fmt.Fprintf(&b, "**Verdict:** %s. **Runner:** %s, PostgreSQL %d. **Estimated duration:** %s.\n\n", rb.Verdict, rb.Runner, rb.PGVersion, rb.Duration)
	fmt.Fprintf(&b, "**Deploy order:** %s.\n\n", rb.Deploy.Sentence)
	if len(rb.Blocking) > 0 {
		b.WriteString("**Blocking findings:**\n\n")
		for _, s := range rb.Blocking {
			fmt.Fprintf(&b, "- %s\n", oneLine(s))
		}
		b.WriteString("\n")
	}

	h(1, "Impact")
	b.WriteString("| Table | Size | Created by | Code that uses it |\n|---|---|---|---|\n")
	for _, t := range rb.Impact {
		uses := "not scanned"
		switch {
		case len(t.Uses) > 0:
			var ps []string
			for i, u := range t.Uses {
				if i == 5 {
					ps = append(ps, fmt.Sprintf("and %d more", len(t.Uses)-5))
					break
				}
				ps = append(ps, commonmark.CodeSpan(u.String()))
			}
			uses = strings.Join(ps, ", ")
		case t.Files > 0:
			uses = fmt.Sprintf("no SQL or model use in %d files", t.Files)
		}
		created := "not found in the migration history"
		switch {
		case t.CreatedBy != "":
			created = commonmark.CodeSpan(t.CreatedBy)
		case t.New:
			created = "this migration"
		}
		// A pipe ends a table cell even inside a code span unless escaped (GFM tables).
		row := fmt.Sprintf("| %s | %s | %s | %s |\n", cell(commonmark.CodeSpan(t.Name)), t.Size, cell(created), cell(uses))
		b.WriteString(row)
	}
	b.WriteString("\n")

	h(1, "Pre-flight checklist")
	for _, s := range rb.PreFlight {
		fmt.Fprintf(&b, "- [ ] %s\n", oneLine(s))
	}
	b.WriteString("\n")

	if len(rb.Backups) > 0 {
		h(1, "Backups")
		for _, bk := range rb.Backups {
			fmt.Fprintf(&b, "- **%s** — %s (`%s`)\n\n", bk.Table, bk.Reason, bk.Method)
			take, verify := "sh", "sh"
			switch bk.Method {
			case "table":
				take, verify = "sql", "sql"
			case "copy":
				take = "sql" // \copy runs in psql, not in a shell
			}
			fmt.Fprintf(&b, "  Take:\n  %s\n\n  Verify:\n  %s\n\n", fence(take, bk.Take, "  "), fence(verify, bk.Verify, "  "))
		}
	}

	h(1, "Execute")
	for i, s := range rb.Steps {
		work := ""
		if s.Work != "" {
			work = " Work: " + s.Work + "."
		}
		fmt.Fprintf(&b, "%d. Line %d, %s.%s Estimate: %s.\n\n", i+1, s.Line, s.Tx, work, s.Estimate)
		fmt.Fprintf(&b, "   %s\n\n", fence("sql", s.SQL, "   "))
		for _, l := range s.Locks {
			fmt.Fprintf(&b, "   - Lock %s on %s: %s.\n", l.Mode, l.Relation, l.Blocks)
		}
		if s.Rewrite {
			b.WriteString("   - Rewrites the table.\n")
		} else if s.Scan {
			b.WriteString("   - Reads every row while the lock is held.\n")
		}
		for _, f := range s.Findings {
			fmt.Fprintf(&b, "   - %s\n", oneLine(f))
		}
		b.WriteString("\n")
	}
	if len(rb.Phases) > 0 {
		h(2, "Safe plan: the phases `migsafe fix --split` writes")
		for i, p := range rb.Phases {
			fmt.Fprintf(&b, "%d. **Phase %d** — %s (%s)\n\n   %s\n\n", i+1, i+1, commonmark.CodeSpan(p.Path), oneLine(p.Title), fence("sql", strings.TrimSpace(p.SQL), "   "))
			switch {
			case p.DownPath != "" && strings.TrimSpace(p.DownSQL) == "":
				// The statements it undid moved to a later phase, with their undo.
				fmt.Fprintf(&b, "   Its down migration, %s, is left empty: nothing of this phase to undo.\n\n", commonmark.CodeSpan(p.DownPath))
			case p.DownPath != "":
				fmt.Fprintf(&b, "   Its down migration, %s:\n\n   %s\n\n", commonmark.CodeSpan(p.DownPath), fence("sql", strings.TrimSpace(p.DownSQL), "   "))
			}
		}
	}

	h(1, "Verification")
	b.WriteString("Each check returns one row: `ok` and a `detail`. Run them with psql (`\\gset` keeps the counts taken before).\n\n")
	for _, part := range []struct {
		title string
		qs    []Query
	}{{"Before the migration", rb.Verification.Before}, {"After the up migration", rb.Verification.AfterUp}, {"After the down migration (rollback)", rb.Verification.AfterDown}} {
		if len(part.qs) == 0 {
			continue
		}
		fmt.Fprintf(&b, "%s:\n\n", part.title)
		var sql []string
		for _, q := range part.qs {
			end := ";"
			if q.Capture != "" {
				end = " \\gset"
			}
			sql = append(sql, "-- "+q.Name+"\n"+q.SQL+end)
		}
		fmt.Fprintf(&b, "%s\n\n", fence("sql", strings.Join(sql, "\n"), ""))
	}

	h(1, "Monitoring")
	for _, m := range rb.Monitoring {
		fmt.Fprintf(&b, "- **%s** — alert: %s\n\n  %s\n\n", m.What, m.Threshold, fence("sql", m.SQL, "  "))
	}

	h(1, "Rollback")
	if rb.Rollback.Down == "" {
		b.WriteString("No down migration.\n\n")
	} else {
		fmt.Fprintf(&b, "Run the down migration (%s), then the after-down verification queries:\n\n%s\n\n", rb.Rollback.Down, fence("sql", strings.Join(rb.Rollback.Statements, "\n"), ""))
	}
	for _, l := range rb.Rollback.Fails {
		fmt.Fprintf(&b, "- The down fails: %s\n", oneLine(l))
	}
	for _, l := range rb.Rollback.Loses {
		fmt.Fprintf(&b, "- Lost on rollback: %s\n", oneLine(l))
	}
	for _, r := range rb.Rollback.Restore {
		if i := strings.Index(r, restoreAfter); i >= 0 && strings.Contains(r[i:], "\n") {
			// A restore of several lines (a \copy, which ends at its line's end): a block.
			fmt.Fprintf(&b, "- Restore: %s%s\n\n  %s\n", oneLine(r[:i]), strings.TrimSuffix(restoreAfter, " "), fence("sql", r[i+len(restoreAfter):], "  "))
			continue
		}
		fmt.Fprintf(&b, "- Restore: %s\n", oneLine(r))
	}
	b.WriteString("\n")

	if len(rb.Post) > 0 {
		h(1, "Post-migration")
		for _, s := range rb.Post {
			fmt.Fprintf(&b, "- [ ] %s\n", oneLine(s))
		}
		b.WriteString("\n")
	}
	return b.String()
}

// fence wraps code in a fence longer than any backtick run inside it, indenting every
// line after the first by prefix (for list items).
func fence(lang, code, prefix string) string {
	f := "```"
	for strings.Contains(code, f) {
		f += "`"
	}
	return f + lang + "\n" + prefix + strings.ReplaceAll(code, "\n", "\n"+prefix) + "\n" + prefix + f
}

func oneLine(s string) string { return strings.ReplaceAll(s, "\n", " ") }

// cell escapes the pipes of a table cell's Markdown: GFM splits a row at every
// unescaped pipe, code spans included, and renders "\|" as the pipe.
func cell(md string) string { return strings.ReplaceAll(md, "|", `\|`) }

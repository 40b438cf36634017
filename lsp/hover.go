package lsp

import (
	"context"
	"fmt"
	"strings"

	"go.lsp.dev/protocol"

	"github.com/migsafe/migsafe/engine"
	"github.com/migsafe/migsafe/engine/estimate"
	"github.com/migsafe/migsafe/engine/locks"
	"github.com/migsafe/migsafe/engine/migration"
)

func (s *Server) Hover(ctx context.Context, p *protocol.HoverParams) (*protocol.Hover, error) {
	sn, _, err := s.snapshot(ctx, p.TextDocument.URI)
	if err != nil || sn == nil || sn.res == nil {
		return nil, err
	}
	i := statementAt(sn.res, sn.offset(p.Position))
	if i < 0 {
		return nil, nil
	}
	s.mu.Lock()
	markdown := s.caps.markdownHover
	s.mu.Unlock()
	st := sn.res.Statements[i]
	// Inside a DO body, the statement under the cursor is the body's.
	for _, in := range st.Body {
		if off := sn.offset(p.Position); off >= in.Stmt.Start && off <= in.Stmt.End {
			st = in
			break
		}
	}
	text := hoverText(sn.res, st)
	if st.Stmt.Mapped() {
		text = ormHoverText(sn.res, i)
	}
	kind := protocol.Markdown
	if !markdown {
		kind, text = protocol.PlainText, plain(text)
	}
	r := sn.rng(st.Stmt.Start, st.Stmt.End)
	return &protocol.Hover{Contents: protocol.MarkupContent{Kind: kind, Value: text}, Range: &r}, nil
}

// statementAt finds the statement holding offset, or the one that ends just before
// it on the same stretch of whitespace; -1 when there is none. An ORM call that a
// rollback reverses holds statements of both sections: the up one is preferred.
func statementAt(res *engine.Result, off int) int {
	found := -1
	for i, st := range res.Statements {
		if off >= st.Stmt.Start && off <= st.Stmt.End {
			if st.Stmt.Section == migration.Up {
				return i
			}
			if found < 0 {
				found = i
			}
		}
	}
	return found
}

// hoverText says, in markdown, what a statement does to locks and what migsafe found.
func hoverText(res *engine.Result, st engine.StatementResult) string {
	var b strings.Builder
	fmt.Fprintf(&b, "**%s**", symbolName(st.Stmt))
	if len(st.Findings) == 0 {
		b.WriteString(" — PASS")
	}
	b.WriteString("\n\n")
	if st.Stmt.Mapped() {
		// An ORM statement: show the SQL the ORM sends for the call.
		fmt.Fprintf(&b, "```sql\n%s\n```\n\n", strings.TrimSpace(st.Stmt.Text))
	}
	if st.Stmt.Err != nil {
		fmt.Fprintf(&b, "Syntax error: %s\n\n", st.Stmt.Err.Message)
	}
	a := st.Locks
	for _, l := range a.Locks {
		if l.Relation == "" {
			// DROP INDEX names only the index: the lock is on its table all the same.
			fmt.Fprintf(&b, "- `%s` on the %s (not named in the statement): %s\n", l.Mode, l.Role, l.Mode.Blocks().Describe())
			continue
		}
		fmt.Fprintf(&b, "- `%s` on %s `%s`: %s\n", l.Mode, l.Role, l.Relation, l.Mode.Blocks().Describe())
	}
	if len(a.Locks) > 0 {
		fmt.Fprintf(&b, "- rewrite: %s · scan: %s · runs %s\n", yesNo(a.Rewrite), yesNo(a.Scan), st.Stmt.Tx.Describe(res.File.Runner))
	}
	for _, line := range estimates(res, a) {
		fmt.Fprintf(&b, "- %s\n", line)
	}
	notes := map[string]bool{}
	for _, part := range a.Parts {
		if n := part.Facts.Note; n != "" && !notes[n] {
			notes[n] = true
			fmt.Fprintf(&b, "- PostgreSQL %d: %s\n", res.Config.PGVersion, n)
		}
	}
	b.WriteString(tableFacts(res, st))
	for _, f := range st.Findings {
		fmt.Fprintf(&b, "\n---\n\n**%s `%s`** (%s, %s): %s\n", f.Status, f.Rule.ID, f.Rule.Category, f.Rule.Severity, f.Message)
		if f.Help != "" {
			fmt.Fprintf(&b, "\n%s\n", f.Help)
		}
		if f.Rule.Doc != "" {
			fmt.Fprintf(&b, "\n%s\n", strings.TrimSpace(f.Rule.Doc))
		}
	}
	fmt.Fprintf(&b, "\n---\n\nFile: %s\n", verdictLine(res))
	return b.String()
}

// estimates gives the duration of the statement's per-row work, as the knowledge base
// states it (locks.Facts.Work), on tables whose size is configured.
func estimates(res *engine.Result, a locks.Analysis) []string {
	var out []string
	seen := map[string]bool{}
	for _, part := range a.Parts {
		w, table := part.Facts.Work, part.WorkTable()
		if w == estimate.None || table == "" || seen[table] {
			continue
		}
		n, ok := res.Config.Rows(table)
		if !ok {
			continue
		}
		seen[table] = true
		out = append(out, fmt.Sprintf("estimated %s of `%s` at ~%s rows: %s", w, table, estimate.Rows(n), estimate.For(w, n)))
	}
	return out
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// plain turns the hover markdown into plain text for clients that cannot render it.
func plain(md string) string {
	r := strings.NewReplacer("```sql\n", "", "```\n", "", "**", "", "`", "", "\n---\n", "\n")
	return r.Replace(md)
}

package rules

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/migsafe/migsafe/engine/coderefs"
)

// maxListedUses bounds the uses a message names; the finding's Uses holds them all.
const maxListedUses = 12

// codeVerdict is what the workspace's code says about removing (dropping or renaming)
// an object: the status the finding takes, what its message says, and the uses.
type codeVerdict struct {
	status  Status
	message string
	uses    []coderefs.Use
}

// CodeUses asks the workspace where its code uses obj; ok is false when the analysis
// has no workspace (an unsaved buffer, stdin) and the rule keeps its own judgement.
func (p *Pass) CodeUses(obj coderefs.Object) (coderefs.Report, bool) {
	if p.Code == nil {
		return coderefs.Report{}, false
	}
	return p.Code.Uses(obj), true
}

// judgeRemoval turns the code's uses of an object the statement removes into a
// verdict: BLOCK when the code deployed with the migration (HEAD) still uses it — it
// fails as soon as the migration commits; otherwise FLAG, saying whether the release
// still running during the deploy (the base revision) uses it, or where identifiers
// only mention it. what is "users.nickname" or "table users"; gone says what happens
// to it ("is dropped", "is renamed").
func judgeRemoval(rep coderefs.Report, what, gone string) codeVerdict {
	if rep.Err != nil {
		return codeVerdict{status: Flag, message: fmt.Sprintf("Verify: no code uses %s (code references unavailable: %v)", what, rep.Err)}
	}
	head := rep.Head.Certain()
	if len(head) > 0 {
		msg := fmt.Sprintf("%s %s while the code deployed with this migration still uses it, at %s: those queries fail as soon as the migration commits", what, gone, listUses(head))
		if m := rep.Head.Mentions(); len(m) > 0 {
			msg += fmt.Sprintf("; identifiers named like it at %s may use it too", listUses(m))
		}
		return codeVerdict{status: Block, uses: rep.Head.Uses, message: msg}
	}
	var mentions []coderefs.Use
	mentions = append(mentions, rep.Head.Mentions()...)
	scanned := "no SQL or model use at HEAD in " + strconv.Itoa(rep.Head.Files) + " " + plural(rep.Head.Files, "file", "files")
	if d := rep.Head.Dir; d != "" {
		scanned = "no SQL or model use in " + strconv.Itoa(rep.Head.Files) + " " + plural(rep.Head.Files, "file", "files") + " under " + d + notGit
	}
	if rep.Head.Files == 0 {
		// Nothing was searched: "no use in 0 files" would read as a search that
		// found nothing.
		scanned = noCode(&rep.Head)
	}
	if b := rep.Base; b != nil {
		if base := b.Certain(); len(base) > 0 {
			return codeVerdict{status: Flag, uses: append(base, mentions...),
				message: fmt.Sprintf("not safe while the previous release (%s) is still running: it uses %s at %s (%s); run this migration only once no instance of %s is left", b.Ref, what, listUses(base), scanned, b.Ref)}
		}
		mentions = append(mentions, b.Mentions()...)
		if rep.Head.Files == 0 {
			scanned += fmt.Sprintf(", and no SQL or model use in %d %s of %s", b.Files, plural(b.Files, "file", "files"), b.Ref)
		} else {
			scanned += fmt.Sprintf(" nor in %d of %s", b.Files, b.Ref)
		}
	}
	if len(mentions) > 0 {
		return codeVerdict{status: Flag, uses: mentions,
			message: fmt.Sprintf("Verify: %s; identifiers named like it at %s may still use %s", scanned, listUses(mentions), what)}
	}
	if rep.Base != nil {
		return codeVerdict{status: OK,
			message: fmt.Sprintf("safe while the previous release is still running: no use of %s found (%s)", what, scanned)}
	}
	found := "no use found (" + scanned + ")"
	if rep.Head.Files == 0 {
		found = noCode(&rep.Head)
	}
	return codeVerdict{status: Flag,
		message: "Verify: the release deployed before this migration no longer uses " + what + ": " + found + "; give --base with that release's revision to check its code too"}
}

// noCode says the workspace had no code file to search (only migrations, or
// everything excluded): at HEAD, or under the directory that is no git repository
// (where "at HEAD" named a revision that does not exist).
func noCode(head *coderefs.Revision) string {
	if head.Dir != "" {
		return "no code file to search under " + head.Dir + notGit
	}
	return "no code file to search at HEAD"
}

// notGit follows the directory searched outside git: only its files were.
const notGit = " (not a git repository)"

// withCode replaces a drop's verify-message with what the workspace's code says, when
// there is a workspace.
func withCode(p *Pass, d Diagnostic, obj coderefs.Object, what, gone string) Diagnostic {
	rep, ok := p.CodeUses(obj)
	if !ok {
		return d
	}
	v := judgeRemoval(rep, what, gone)
	d.Message, d.Uses, d.Status = v.message, v.uses, StatusPtr(v.status)
	if v.status == OK {
		d.Help = ""
	}
	return d
}

// withRenameCode is withCode for a rename, which breaks the previous release's queries
// as surely as a drop: the rule's BLOCK stands unless the previous release's code was
// checked (--base) and neither it nor HEAD uses the old name.
func withRenameCode(p *Pass, d Diagnostic, obj coderefs.Object, what string) Diagnostic {
	rep, ok := p.CodeUses(obj)
	if !ok {
		return d
	}
	v := judgeRemoval(rep, what, "is renamed")
	d.Uses = v.uses
	switch {
	case v.status == Block:
		d.Message = v.message
	case rep.Base != nil && rep.Err == nil && len(rep.Base.Certain()) == 0:
		d.Message, d.Status = v.message, StatusPtr(v.status)
		if v.status == OK {
			d.Help = ""
		}
	default:
		d.Message += "; " + strings.TrimPrefix(v.message, "Verify: ")
	}
	return d
}

// withRetypeCode adds to a narrowing type change the code that reads or writes the
// column: the values it stores must fit the new type.
func withRetypeCode(p *Pass, d Diagnostic, obj coderefs.Object) Diagnostic {
	rep, ok := p.CodeUses(obj)
	if !ok || rep.Err != nil {
		return d
	}
	uses := rep.Head.Certain()
	if rep.Base != nil {
		uses = append(uses, rep.Base.Certain()...)
	}
	if len(uses) == 0 {
		if rep.Head.Files == 0 {
			d.Message += fmt.Sprintf("; %s for uses of %s", noCode(&rep.Head), obj)
		} else {
			d.Message += fmt.Sprintf("; no SQL or model use of %s found in %d %s", obj, rep.Head.Files, plural(rep.Head.Files, "file", "files"))
		}
		return d
	}
	d.Uses = uses
	d.Message += fmt.Sprintf("; the code that stores values in it, at %s, must fit the new type", listUses(uses))
	return d
}

// withIndexCode names the queries a dropped index serves: the SQL at HEAD (and in the
// previous release) that filters, joins, groups or sorts on its leading column.
func withIndexCode(p *Pass, d Diagnostic, ix droppedIndex) Diagnostic {
	if ix.table == "" || len(ix.cols) == 0 || ix.cols[0] == "" {
		return d
	}
	table, lead := ix.table, ix.cols[0]
	rep, ok := p.CodeUses(coderefs.Object{Table: table, Column: lead})
	if !ok || rep.Err != nil {
		return d
	}
	served := func(r *coderefs.Revision) []coderefs.Use {
		var out []coderefs.Use
		for _, u := range r.Uses {
			if u.Kind == coderefs.SQL && u.Predicate {
				out = append(out, u)
			}
		}
		return out
	}
	head := served(&rep.Head)
	var base []coderefs.Use
	if rep.Base != nil {
		base = served(rep.Base)
	}
	what := fmt.Sprintf("%s.%s, the leading column of %s", table, lead, ix.name)
	switch {
	case len(head) > 0 && !p.State.HasOtherIndexOn(table, []string{lead}, ix.id):
		d.Status, d.Uses = StatusPtr(Block), head
		d.Message = fmt.Sprintf("queries of the code deployed with this migration filter, join or sort on %s, at %s: without the index they scan %s", what, listUses(head), table)
		d.Help = "Keep the index, or create its replacement (concurrently, leading with the same column) in an earlier migration."
	case len(head) > 0:
		d.Uses = head
		d.Message += fmt.Sprintf("; the queries at %s use %s, which another index of the table also leads with", listUses(head), what)
	case len(base) > 0:
		d.Uses = base
		d.Message += fmt.Sprintf("; the previous release (%s) still queries on %s at %s: drop it once no instance of it is left", rep.Base.Ref, what, listUses(base))
	case rep.Head.Files == 0:
		d.Message += fmt.Sprintf("; %s for queries on %s", noCode(&rep.Head), what)
	default:
		d.Message += fmt.Sprintf("; no query on %s found in %d %s", what, rep.Head.Files, plural(rep.Head.Files, "file", "files"))
	}
	return d
}

// listUses is "app/models/user.rb:5 (Rails model User), internal/store/users.go:12
// (SQL in a Go string)", the first maxListedUses of them.
//
// A line is named once per detail: two uses on one line (select(:email).map(&:email),
// a query naming the column twice) or the same line in HEAD and the previous release
// read as repeats otherwise; the finding's Uses keeps every position.
func listUses(us []coderefs.Use) string {
	var parts []string
	seen := map[string]bool{}
	for _, u := range us {
		s := u.String()
		if u.Detail != "" {
			s += " (" + u.Detail + ")"
		}
		if !seen[s] {
			seen[s] = true
			parts = append(parts, s)
		}
	}
	if len(parts) > maxListedUses {
		parts = append(parts[:maxListedUses], fmt.Sprintf("and %d more", len(parts)-maxListedUses))
	}
	return strings.Join(parts, ", ")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

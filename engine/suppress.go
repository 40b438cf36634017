package engine

import (
	"fmt"
	"sort"
	"strings"

	"github.com/migsafe/migsafe/engine/migration"
	"github.com/migsafe/migsafe/engine/rules"
)

// Suppression is a `-- migsafe:ignore RULE[, RULE] -- reason` comment.
type Suppression struct {
	Comment migration.Comment
	File    bool // migsafe:ignore-file
	Rules   []string
	Reason  string
	used    map[string]bool
}

const (
	ignorePrefix     = "migsafe:ignore"
	ignoreFilePrefix = "migsafe:ignore-file"
)

// ParseSuppression reads a comment; ok is false when it is not a migsafe directive.
// A directive with problems is returned with err set.
func ParseSuppression(c migration.Comment) (s *Suppression, ok bool, err error) {
	body := strings.TrimSpace(c.Text)
	switch {
	case strings.HasPrefix(body, "--"):
		body = strings.TrimSpace(strings.TrimPrefix(body, "--"))
	case strings.HasPrefix(body, "/*"):
		body = strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(body, "/*"), "*/"))
	case strings.HasPrefix(body, "#"): // Ruby and Python migrations
		body = strings.TrimSpace(strings.TrimPrefix(body, "#"))
	case strings.HasPrefix(body, "//"): // JavaScript and TypeScript migrations
		body = strings.TrimSpace(strings.TrimPrefix(body, "//"))
	}
	if !strings.HasPrefix(body, ignorePrefix) {
		return nil, false, nil
	}
	s = &Suppression{Comment: c, used: map[string]bool{}}
	rest := strings.TrimPrefix(body, ignorePrefix)
	if strings.HasPrefix(body, ignoreFilePrefix) {
		s.File = true
		rest = strings.TrimPrefix(body, ignoreFilePrefix)
	}
	if rest != "" && rest[0] != ' ' && rest[0] != '\t' {
		return nil, false, nil // migsafe:ignored or similar: not ours
	}
	ids, reason, found := strings.Cut(rest, "--")
	for _, id := range strings.FieldsFunc(ids, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' }) {
		s.Rules = append(s.Rules, id)
	}
	s.Reason = strings.TrimSpace(reason)
	directive := ignorePrefix
	if s.File {
		directive = ignoreFilePrefix
	}
	switch {
	case len(s.Rules) == 0:
		return s, true, fmt.Errorf("%s names no rule (write: -- %s RULE-ID -- reason)", directive, directive)
	case !found || s.Reason == "":
		return s, true, fmt.Errorf("%s %s needs a reason (write: -- %s %s -- why it is safe)", directive, strings.Join(s.Rules, ", "), directive, strings.Join(s.Rules, ", "))
	case strings.HasPrefix(s.Reason, "<") && strings.HasSuffix(s.Reason, ">"):
		// The editor's ignore action inserts a placeholder; it is not a reason.
		return s, true, fmt.Errorf("%s %s needs a reason: replace the %s placeholder with why it is safe", directive, strings.Join(s.Rules, ", "), s.Reason)
	}
	for _, id := range s.Rules {
		if !rules.Known(id) {
			return s, true, fmt.Errorf("%s names unknown rule %q (see `migsafe rules`)", directive, id)
		}
	}
	return s, true, nil
}

// applySuppressions splits findings into kept and suppressed, and reports directives
// that are malformed or suppress nothing.
func applySuppressions(f *migration.File, all []*Finding) (kept, suppressed []*Finding, problems []Problem) {
	var sups []*Suppression
	for _, c := range comments(f) {
		s, ok, err := ParseSuppression(c)
		if !ok {
			continue
		}
		if err != nil {
			problems = append(problems, Problem{Offset: c.Start, Message: err.Error(), Kind: "ignore"})
			continue
		}
		sups = append(sups, s)
	}
	if len(sups) == 0 {
		return all, nil, problems
	}
	src := f.Source
	for _, fd := range all {
		var by *Suppression
		for _, s := range sups {
			if !s.covers(fd.Rule.ID) {
				continue
			}
			if s.File {
				by = s
				break
			}
			if fd.Stmt == nil {
				continue
			}
			// On the statement's lines or the line just before it; for a statement of a
			// DO body, also on the DO's first line or the line before it.
			cl := src.Position(s.Comment.Start, migration.UTF8).Line
			first := src.Position(fd.Stmt.Start, migration.UTF8).Line
			last := src.Position(fd.Stmt.End, migration.UTF8).Line
			if cl >= first-1 && cl <= last {
				by = s
				break
			}
			if do := fd.Stmt.Parent; do != nil {
				if doLine := src.Position(do.Start, migration.UTF8).Line; cl == doLine-1 || cl == doLine {
					by = s
					break
				}
			}
		}
		if by == nil {
			kept = append(kept, fd)
			continue
		}
		by.used[fd.Rule.ID] = true
		fd.Suppression = by
		suppressed = append(suppressed, fd)
	}
	for _, s := range sups {
		for _, id := range s.Rules {
			if !s.used[id] {
				problems = append(problems, Problem{Offset: s.Comment.Start, Kind: "ignore",
					Message: fmt.Sprintf("migsafe:ignore %s suppresses nothing here; remove it", id)})
			}
		}
	}
	return kept, suppressed, problems
}

// comments are the file's comments and those inside its DO bodies, in file order.
func comments(f *migration.File) []migration.Comment {
	var body []migration.Comment
	for _, st := range f.Statements {
		if st.Body != nil {
			body = append(body, st.Body.Comments...)
		}
	}
	if len(body) == 0 {
		return f.Comments
	}
	out := append(append([]migration.Comment{}, f.Comments...), body...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Start < out[j].Start })
	return out
}

func (s *Suppression) covers(id string) bool {
	for _, r := range s.Rules {
		if r == id {
			return true
		}
	}
	return false
}

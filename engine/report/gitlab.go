package report

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/migsafe/migsafe/engine/rules"
)

// gitlabIssue is one entry of GitLab's code quality report (a subset of the Code
// Climate format): GitLab shows them in the merge request's widget and diff, and
// compares fingerprints with the target branch's report to say what is new.
type gitlabIssue struct {
	Description string         `json:"description"`
	CheckName   string         `json:"check_name"`
	Fingerprint string         `json:"fingerprint"`
	Severity    string         `json:"severity"`
	Location    gitlabLocation `json:"location"`
}

type gitlabLocation struct {
	Path  string      `json:"path"`
	Lines gitlabLines `json:"lines"`
}

type gitlabLines struct {
	Begin int `json:"begin"`
	End   int `json:"end,omitempty"`
}

// gitlabSeverity maps statuses onto GitLab's scale (info, minor, major, critical,
// blocker): a BLOCK would break the deploy.
func gitlabSeverity(status string) string {
	if status == rules.Block.String() {
		return "blocker"
	}
	return "major"
}

// WriteGitLab writes a GitLab code quality report (`artifacts: reports: codequality`).
// A fingerprint hashes the path, the rule and the statement's text (and which
// occurrence of that triple it is), not the line, so a finding keeps its fingerprint
// when lines above it move and GitLab does not call it new. Suppressed findings are
// left out, as GitLab has no place for them.
func WriteGitLab(w io.Writer, r *Report) error {
	issues := []gitlabIssue{}
	seen := map[string]int{}
	fingerprint := func(parts ...string) string {
		key := strings.Join(parts, "\x00")
		seen[key]++
		h := sha256.Sum256([]byte(fmt.Sprintf("%s\x00%d", key, seen[key])))
		return hex.EncodeToString(h[:16])
	}
	for _, f := range r.Files {
		p := filepath.ToSlash(f.Path)
		for _, fd := range f.Findings {
			desc := fd.Message
			if fd.Help != "" {
				desc += " Help: " + fd.Help
			}
			issues = append(issues, gitlabIssue{
				Description: fmt.Sprintf("%s %s: %s", fd.Status, fd.Rule, desc),
				CheckName:   fd.Rule,
				Fingerprint: fingerprint(p, fd.Rule, strings.Join(strings.Fields(fd.Statement), " ")),
				Severity:    gitlabSeverity(fd.Status),
				Location:    gitlabLocation{Path: p, Lines: gitlabLines{Begin: fd.Line, End: fd.EndLine}},
			})
		}
		for _, e := range f.Errors {
			issues = append(issues, gitlabIssue{
				Description: fmt.Sprintf("%s %s: %s", e.Status(), e.Label(), e.Message),
				CheckName:   e.Label(),
				Fingerprint: fingerprint(p, e.Label(), e.Message),
				Severity:    gitlabSeverity(e.Status()),
				Location:    gitlabLocation{Path: p, Lines: gitlabLines{Begin: e.Line}},
			})
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(issues)
}

package report

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
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
// Fingerprints are fingerprints' (shared with SARIF's partialFingerprints), so a
// finding keeps its fingerprint when lines above it move and GitLab does not call it
// new. Suppressed findings are left out, as GitLab has no place for them. Paths are
// repoPath's: GitLab places an issue by its path relative to the repository.
func WriteGitLab(w io.Writer, r *Report) error {
	issues := []gitlabIssue{}
	fp, root := fingerprints{}, reviewRoot()
	for _, f := range r.Files {
		p := repoPath(root, f.Path)
		for _, fd := range f.Findings {
			desc := fd.Message
			if fd.Help != "" {
				desc += " Help: " + fd.Help
			}
			issues = append(issues, gitlabIssue{
				Description: fmt.Sprintf("%s %s: %s", fd.Status, fd.Rule, desc),
				CheckName:   fd.Rule,
				Fingerprint: fp.finding(p, fd),
				Severity:    gitlabSeverity(fd.Status),
				Location:    gitlabLocation{Path: p, Lines: gitlabLines{Begin: fd.Line, End: fd.EndLine}},
			})
		}
		for _, e := range f.Errors {
			issues = append(issues, gitlabIssue{
				Description: fmt.Sprintf("%s %s: %s", e.Status(), e.Label(), e.Message),
				CheckName:   e.Label(),
				Fingerprint: fp.error(p, e),
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

// fingerprints identify findings across runs for GitLab (fingerprint) and GitHub code
// scanning (partialFingerprints): a hash of the path, the rule and the statement's
// text with its spacing normalised (an error's message), and which occurrence of that
// triple it is, not of the line. Each report counts occurrences with its own.
type fingerprints map[string]int

func (fp fingerprints) of(parts ...string) string {
	key := strings.Join(parts, "\x00")
	fp[key]++
	h := sha256.Sum256([]byte(fmt.Sprintf("%s\x00%d", key, fp[key])))
	return hex.EncodeToString(h[:16])
}

func (fp fingerprints) finding(path string, fd *Finding) string {
	return fp.of(path, fd.Rule, strings.Join(strings.Fields(fd.Statement), " "))
}

func (fp fingerprints) error(path string, e *Error) string { return fp.of(path, e.Label(), e.Message) }

// repoPath is a report's path as code-review services place it: relative to the root
// of the git work tree the working directory is in (GitHub and GitLab read paths from
// the repository's root; a job may run migsafe in a service's directory, or pass
// $PWD/db/...), else to the working directory; a path outside it is kept absolute.
// Forward slashes.
func repoPath(root, p string) string {
	if root != "" {
		if abs, err := filepath.Abs(p); err == nil {
			if rel, err := filepath.Rel(root, abs); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
				p = rel
			}
		}
	}
	return filepath.ToSlash(filepath.Clean(p))
}

// reviewRoot is the directory repoPath makes paths relative to (looked up once a
// report): the git work tree
// holding the working directory (a .git directory or file above it), else the working
// directory itself.
func reviewRoot() string {
	wd, err := os.Getwd()
	if err != nil {
		return ""
	}
	for d := wd; ; d = filepath.Dir(d) {
		if _, err := os.Lstat(filepath.Join(d, ".git")); err == nil {
			return d
		}
		if filepath.Dir(d) == d {
			return wd
		}
	}
}

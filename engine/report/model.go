// Package report turns analysis results into the outputs of `migsafe check`: text for
// people, JSON for programs, SARIF for code-scanning services, markdown for pull-request
// comments and GitHub workflow commands. Every format reads the same Report, built
// once per run, so they can never disagree about a position or a verdict.
package report

import (
	"bytes"
	"encoding/json"
	"io"
	"strings"
	"time"

	"github.com/migsafe/migsafe/engine"
	"github.com/migsafe/migsafe/engine/coderefs"
	"github.com/migsafe/migsafe/engine/migration"
	"github.com/migsafe/migsafe/engine/rules"
)

// Version is the version of the JSON output's shape.
const Version = 1

// Report is the JSON document of `migsafe check --format json`.
type Report struct {
	Version int     `json:"version"`
	Files   []*File `json:"files"`
	Summary Summary `json:"summary"`
	// Generated is when the report was built; the runbooks in the markdown date their
	// backup names with it.
	Generated time.Time `json:"-"`
}

// File is one analysed file.
type File struct {
	Path       string     `json:"path"`
	Runner     string     `json:"runner"`
	PGVersion  int        `json:"pgVersion"`
	Verdict    string     `json:"verdict"`
	Categories Categories `json:"categories"`
	Findings   []*Finding `json:"findings"`
	Suppressed []*Finding `json:"suppressed"`
	Errors     []*Error   `json:"errors"`
	// Deploy is when the migration runs relative to the application deploy.
	Deploy *Deploy `json:"deploy"`

	// Result is the analysis the file was built from; the text and markdown formats
	// read source lines from it.
	Result *engine.Result `json:"-"`
}

// Categories holds the status of each review category; it marshals in report order
// (rules.Categories) rather than alphabetically, so the JSON reads like the text.
type Categories map[rules.Category]string

// MarshalJSON writes the categories in report order.
func (c Categories) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, cat := range rules.Categories {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(string(cat))
		v, _ := json.Marshal(c[cat])
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// Finding is one finding, located in 1-based lines and code-point columns.
type Finding struct {
	Rule      string  `json:"rule"`
	Category  string  `json:"category"`
	Status    string  `json:"status"`
	Severity  string  `json:"severity"`
	Message   string  `json:"message"`
	Help      string  `json:"help"`
	Line      int     `json:"line"`
	Column    int     `json:"column"`
	EndLine   int     `json:"endLine"`
	EndColumn int     `json:"endColumn"`
	Statement string  `json:"statement"`
	Lock      *Lock   `json:"lock"`
	Fixes     []FixID `json:"fixes"`
	// Deploy is the statement's deploy order: any, before-code, after-code, no-safe-order.
	Deploy string `json:"deploy"`
	// Uses are the places in the workspace's code the finding is about.
	Uses []coderefs.Use `json:"uses,omitempty"`
	// Reason is the suppression comment's reason; only suppressed findings have one.
	Reason string `json:"reason,omitempty"`

	finding *engine.Finding
}

// Lock is the lock a finding's statement takes on the relation at fault.
type Lock struct {
	Mode     string `json:"mode"`
	Relation string `json:"relation"`
	Rewrite  bool   `json:"rewrite"`
	Scan     bool   `json:"scan"`
}

// FixID names a fix; `migsafe fix` applies it. The JSON carries the title and kind;
// the formats that show the change (markdown's diff blocks) build it from the engine
// finding, where it is fix number at.
type FixID struct {
	Title string `json:"title"`
	Kind  string `json:"kind"`

	preferred bool
	at        int
}

// Error is a problem with the file (engine.ProblemKinds): a syntax error or a failed
// rollback round trip (BLOCK), or a bad suppression comment (FLAG).
type Error struct {
	Message string `json:"message"`
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Kind    string `json:"kind"`
}

// Status is what the error counts as: BLOCK or FLAG.
func (e *Error) Status() string { return engine.ProblemKinds[e.Kind].Status.String() }

// Label is the rule-like ID reports show for the error: syntax-error, invalid-ignore.
func (e *Error) Label() string { return engine.ProblemKinds[e.Kind].ID }

// Summary totals the run. Block and Flag count findings (and file errors, by the
// status they count as) across all files; Verdict is the worst file verdict, and BLOCK
// when Unchecked files could not be read or configured, or the rollback of Unverified
// ones could not be verified as --verify-rollback asked: a run that did not look at a
// file, or did not run the check asked of it, has not shown the change safe.
type Summary struct {
	Files      int    `json:"files"`
	Block      int    `json:"block"`
	Flag       int    `json:"flag"`
	Unchecked  int    `json:"unchecked,omitempty"`
	Unverified int    `json:"unverified,omitempty"`
	Verdict    string `json:"verdict"`
}

// Build converts results into a Report. Each result's File.Path is the path shown.
func Build(results []*engine.Result) *Report {
	r := &Report{Version: Version, Files: make([]*File, 0, len(results)), Generated: time.Now()}
	var t totals
	for _, res := range results {
		f := buildFile(res)
		r.Files = append(r.Files, f)
		t.add(f)
	}
	r.Summary = t.summary()
	return r
}

// totals accumulates the summary of the files seen so far.
type totals struct {
	s          Summary
	worst      rules.Status
	byVerdict  map[string]int
	suppressed int
}

func (t *totals) add(f *File) {
	t.s.Files++
	for _, fd := range f.Findings {
		switch fd.Status {
		case rules.Block.String():
			t.s.Block++
		case rules.Flag.String():
			t.s.Flag++
		}
	}
	for _, e := range f.Errors {
		switch e.Status() {
		case rules.Block.String():
			t.s.Block++
		case rules.Flag.String():
			t.s.Flag++
		}
	}
	if w := f.Result.Worst(); w > t.worst {
		t.worst = w
	}
	if t.byVerdict == nil {
		t.byVerdict = map[string]int{}
	}
	t.byVerdict[f.Verdict]++
	t.suppressed += len(f.Suppressed)
}

func (t *totals) summary() Summary {
	s := t.s
	s.Verdict = string(engine.VerdictOf(t.worst))
	if s.Unchecked > 0 || s.Unverified > 0 {
		s.Verdict = string(engine.BlockVerdict)
	}
	return s
}

func buildFile(res *engine.Result) *File {
	f := &File{
		Path:       res.File.Path,
		Runner:     string(res.File.Runner),
		PGVersion:  res.Config.PGVersion,
		Verdict:    string(res.Verdict),
		Categories: make(Categories, len(rules.Categories)),
		Findings:   make([]*Finding, 0, len(res.Findings)),
		Suppressed: make([]*Finding, 0, len(res.Suppressed)),
		Errors:     make([]*Error, 0, len(res.Problems)),
		Result:     res,
		Deploy:     buildDeploy(res),
	}
	for _, c := range rules.Categories {
		f.Categories[c] = res.Categories[c].String()
	}
	src := res.File.Source
	for _, fd := range res.Findings {
		f.Findings = append(f.Findings, buildFinding(src, fd))
	}
	for _, fd := range res.Suppressed {
		x := buildFinding(src, fd)
		if fd.Suppression != nil {
			x.Reason = fd.Suppression.Reason
		}
		f.Suppressed = append(f.Suppressed, x)
	}
	for _, p := range res.Problems {
		pos := src.Position(p.Offset, migration.CodePoints)
		f.Errors = append(f.Errors, &Error{Message: p.Message, Line: pos.Line + 1, Column: pos.Column + 1, Kind: p.Kind})
	}
	return f
}

func buildFinding(src *migration.Source, fd *engine.Finding) *Finding {
	start := src.Position(fd.Start, migration.CodePoints)
	end := src.Position(fd.End, migration.CodePoints)
	x := &Finding{
		Rule:      fd.Rule.ID,
		Category:  string(fd.Rule.Category),
		Status:    fd.Status.String(),
		Severity:  string(fd.Rule.Severity),
		Message:   fd.Message,
		Help:      fd.Help,
		Line:      start.Line + 1,
		Column:    start.Column + 1,
		EndLine:   end.Line + 1,
		EndColumn: end.Column + 1,
		Fixes:     make([]FixID, 0, len(fd.FixTitles())),
		Deploy:    fd.Deploy.String(),
		Uses:      fd.Uses,
		finding:   fd,
	}
	if fd.Stmt != nil {
		x.Statement = statementText(fd.Stmt.Text)
	}
	if fd.Lock != nil {
		x.Lock = &Lock{Mode: fd.Lock.Mode.String(), Relation: fd.Lock.Relation, Rewrite: fd.Rewrite, Scan: fd.Scan}
	}
	for i, fx := range fd.FixTitles() {
		x.Fixes = append(x.Fixes, FixID{Title: fx.Title, Kind: fx.Kind, preferred: fx.Preferred, at: i})
	}
	return x
}

// statementText is the statement as written, without its terminating semicolon.
func statementText(s string) string {
	return strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), ";"))
}

// Engine returns the engine finding a report finding was built from.
func (f *Finding) Engine() *engine.Finding { return f.finding }

// WriteJSON writes the report as indented JSON.
func WriteJSON(w io.Writer, r *Report) error {
	js := &jsonStream{w: w}
	for _, f := range r.Files {
		if err := js.file(f); err != nil {
			return err
		}
	}
	return js.end(r.Summary)
}

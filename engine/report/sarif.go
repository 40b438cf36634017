package report

import (
	"encoding/json"
	"io"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/migsafe/migsafe/engine"
	"github.com/migsafe/migsafe/engine/rules"
)

// SARIF 2.1.0, the subset code-scanning services read. Columns are Unicode code points
// (run.columnKind), the same unit as the JSON and text formats.
type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool       sarifTool     `json:"tool"`
	ColumnKind string        `json:"columnKind"`
	Results    []sarifResult `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string `json:"name"`
	InformationURI string `json:"informationUri,omitempty"`
	Version        string `json:"version,omitempty"`
	// SemanticVersion is the release's version without its "v" and the revision
	// ("0.9.2" of "v0.9.2 (565fc7682d22)"): SARIF's semantic versioning field, which
	// code-scanning services compare; absent for a development build.
	SemanticVersion string      `json:"semanticVersion,omitempty"`
	Rules           []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID                   string            `json:"id"`
	ShortDescription     sarifMessage      `json:"shortDescription"`
	FullDescription      sarifMessage      `json:"fullDescription"`
	Help                 sarifMessage      `json:"help"`
	DefaultConfiguration sarifRuleConfig   `json:"defaultConfiguration"`
	Properties           map[string]string `json:"properties,omitempty"`
}

type sarifRuleConfig struct {
	Enabled bool   `json:"enabled"`
	Level   string `json:"level"`
}

type sarifMessage struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifResult struct {
	RuleID       string             `json:"ruleId"`
	RuleIndex    int                `json:"ruleIndex"`
	Level        string             `json:"level"`
	Message      sarifMessage       `json:"message"`
	Locations    []sarifLocation    `json:"locations"`
	Suppressions []sarifSuppression `json:"suppressions,omitempty"`
	// PartialFingerprints let GitHub code scanning match a result across runs when
	// lines move (without them, a log uploaded through the API makes duplicate alerts).
	PartialFingerprints map[string]string `json:"partialFingerprints"`
	// Properties carry the finding's help (the remedy), kept out of the message as
	// squawk keeps message and help apart; the rule's help is its documentation.
	Properties *sarifResultProps `json:"properties,omitempty"`
}

type sarifResultProps struct {
	Help     string `json:"help,omitempty"`
	Category string `json:"category,omitempty"`
	Severity string `json:"severity,omitempty"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           sarifRegion   `json:"region"`
}

type sarifArtifact struct {
	URI string `json:"uri"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn"`
	EndLine     int `json:"endLine,omitempty"`
	EndColumn   int `json:"endColumn,omitempty"`
}

type sarifSuppression struct {
	Kind          string `json:"kind"`
	Justification string `json:"justification,omitempty"`
}

// problemRules describe file problems to SARIF consumers as rules, so every SARIF
// result names a rule.
var problemRules = func() map[string]*rules.Rule {
	m := map[string]*rules.Rule{}
	for _, k := range engine.ProblemKinds {
		m[k.ID] = &rules.Rule{ID: k.ID, Status: k.Status, Summary: k.Summary, Doc: k.Doc}
	}
	return m
}()

// SARIFOptions fill in the tool description.
type SARIFOptions struct {
	Version string // migsafe's version
}

// WriteSARIF writes the report as a SARIF 2.1.0 log with one run. The driver lists
// the rules the results name, in registry order, each with its documentation.
func WriteSARIF(w io.Writer, r *Report, opts SARIFOptions) error {
	used := map[string]bool{}
	for _, f := range r.Files {
		for _, fd := range f.Findings {
			used[fd.Rule] = true
		}
		for _, fd := range f.Suppressed {
			used[fd.Rule] = true
		}
		for _, e := range f.Errors {
			used[errorRule(e).ID] = true
		}
	}
	index := map[string]int{}
	driver := sarifDriver{Name: "migsafe", InformationURI: "https://github.com/migsafe/migsafe", Version: opts.Version, SemanticVersion: semanticVersion(opts.Version), Rules: []sarifRule{}}
	all := append([]*rules.Rule{}, rules.All...)
	// The first three kinds in the order SARIF logs have always listed them, then every
	// other kind the engine has (a result's ruleIndex must point at its rule).
	ids := []string{"syntax-error", "invalid-ignore", "rollback-roundtrip"}
	for _, k := range engine.ProblemKindKeys() {
		if id := engine.ProblemKinds[k].ID; !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	for _, id := range ids {
		all = append(all, problemRules[id])
	}
	for _, rl := range all {
		if !used[rl.ID] {
			continue
		}
		index[rl.ID] = len(driver.Rules)
		sr := sarifRule{
			ID:                   rl.ID,
			ShortDescription:     sarifMessage{Text: rl.Summary},
			FullDescription:      sarifMessage{Text: firstParagraph(rl.Doc)},
			Help:                 sarifMessage{Text: rl.Doc, Markdown: rl.Doc},
			DefaultConfiguration: sarifRuleConfig{Enabled: !rl.OptIn, Level: sarifLevel(rl.Status.String())},
		}
		if rl.Category != "" {
			sr.Properties = map[string]string{"category": string(rl.Category), "severity": string(rl.Severity)}
		}
		driver.Rules = append(driver.Rules, sr)
	}
	run := sarifRun{Tool: sarifTool{Driver: driver}, ColumnKind: "unicodeCodePoints", Results: []sarifResult{}}
	fp, root := fingerprints{}, reviewRoot()
	for _, f := range r.Files {
		path := repoPath(root, f.Path)
		uri := sarifURI(path)
		result := func(fd *Finding) sarifResult {
			return sarifResult{
				RuleID: fd.Rule, RuleIndex: index[fd.Rule], Level: sarifLevel(fd.Status),
				PartialFingerprints: map[string]string{sarifFingerprintKey: fp.finding(path, fd)},
				Message:             sarifMessage{Text: fd.Message},
				Properties:          &sarifResultProps{Help: fd.Help, Category: fd.Category, Severity: fd.Severity},
				Locations: []sarifLocation{{PhysicalLocation: sarifPhysical{
					ArtifactLocation: sarifArtifact{URI: uri},
					Region:           sarifRegion{StartLine: fd.Line, StartColumn: fd.Column, EndLine: fd.EndLine, EndColumn: fd.EndColumn},
				}}},
			}
		}
		for _, fd := range f.Findings {
			run.Results = append(run.Results, result(fd))
		}
		for _, fd := range f.Suppressed {
			res := result(fd)
			res.Suppressions = []sarifSuppression{{Kind: "inSource", Justification: fd.Reason}}
			run.Results = append(run.Results, res)
		}
		for _, e := range f.Errors {
			rl := errorRule(e)
			run.Results = append(run.Results, sarifResult{
				RuleID: rl.ID, RuleIndex: index[rl.ID], Level: sarifLevel(rl.Status.String()),
				PartialFingerprints: map[string]string{sarifFingerprintKey: fp.error(path, e)},
				Message:             sarifMessage{Text: e.Message},
				Locations: []sarifLocation{{PhysicalLocation: sarifPhysical{
					ArtifactLocation: sarifArtifact{URI: uri},
					Region:           sarifRegion{StartLine: e.Line, StartColumn: e.Column},
				}}},
			})
		}
	}
	log := sarifLog{Schema: "https://json.schemastore.org/sarif-2.1.0.json", Version: "2.1.0", Runs: []sarifRun{run}}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(log)
}

// semver is a semantic version as release tags write it (v1.2.3, v1.2.3-rc.1), at
// the start of migsafe's version string.
var semver = regexp.MustCompile(`^v((0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?)(\s|$)`)

// semanticVersion is version's semantic version, "" when it names none ("devel").
func semanticVersion(version string) string {
	if m := semver.FindStringSubmatch(version); m != nil {
		return m[1]
	}
	return ""
}

// sarifFingerprintKey names migsafe's partial fingerprint (versioned, as SARIF
// advises, so that a change of the hash is a new key, not a new alert for each result).
const sarifFingerprintKey = "migsafeFinding/v1"

// sarifURI is a report path (repoPath's) as artifactLocation.uri, a URI reference:
// percent-encoded ("db/my migrations/V1__a.sql" is no valid URI), and a file: URI
// when absolute (outside the working directory).
func sarifURI(p string) string {
	u := url.URL{Path: p}
	if filepath.IsAbs(filepath.FromSlash(p)) || strings.HasPrefix(p, "/") {
		u.Scheme = "file"
		if !strings.HasPrefix(p, "/") {
			u.Path = "/" + p // C:/db/x.sql
		}
	}
	return u.String()
}

func errorRule(e *Error) *rules.Rule { return problemRules[e.Label()] }

func sarifLevel(status string) string {
	switch status {
	case "BLOCK":
		return "error"
	case "FLAG":
		return "warning"
	}
	return "note"
}

func joinNonEmpty(sep, s string) string {
	if s == "" {
		return ""
	}
	return sep + s
}

// firstParagraph is a doc's first paragraph on one line.
func firstParagraph(doc string) string {
	p, _, _ := strings.Cut(strings.TrimSpace(doc), "\n\n")
	return strings.Join(strings.Fields(p), " ")
}

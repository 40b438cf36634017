package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/migsafe/migsafe/internal/corpus"
	"github.com/migsafe/migsafe/internal/schematest"
)

// TestCorpusOutputContracts checks what `check` writes for every .sql file of the
// corpus, run from the corpus directory as CI runs in a checkout (the report tests
// cover the goldens and a few projects): the JSON report against docs/report.schema.json;
// the SARIF log against SARIF 2.1.0 and what GitHub code scanning reads besides (a
// ruleId naming a listed rule, a location with a region, a relative uri, a unique
// partial fingerprint, rules with help); the GitLab report as GitLab's code quality
// widget reads it (unique fingerprints, its severity names, relative paths, lines from 1).
func TestCorpusOutputContracts(t *testing.T) {
	dir := corpus.Dir()
	if dir == "" {
		t.Skip("no shared corpus (set MIGSAFE_CORPUS)")
	}
	var files []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".sql") {
			rel, _ := filepath.Rel(dir, p)
			files = append(files, rel)
		}
		return nil
	})
	if len(files) < 500 {
		t.Fatalf("%d corpus files", len(files))
	}
	out := func(format string) []byte {
		cmd := exec.Command(binary, append([]string{"check", "--format", format}, files...)...)
		cmd.Dir = dir
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil && cmd.ProcessState.ExitCode() != 1 {
			t.Fatalf("check --format %s: %v\n%s", format, err, stderr.String())
		}
		return stdout.Bytes()
	}
	validate := func(sch *jsonschema.Schema, name string, data []byte) {
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := sch.Validate(inst); err != nil {
			t.Errorf("%s does not validate: %v", name, err)
		}
	}
	validate(schematest.Compile(t, "../../docs/report.schema.json", "https://github.com/migsafe/migsafe/docs/report.schema.json"), "the JSON report", out("json"))

	sarif := out("sarif")
	validate(schematest.Compile(t, "../../testdata/sarif/sarif-2.1.0-rtm.5.json", schematest.SARIFID), "the SARIF log", sarif)
	var log struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Rules []struct {
						ID   string
						Help struct{ Text string }
					}
				}
			}
			Results []struct {
				RuleID    string
				RuleIndex int
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }
						Region           *struct{ StartLine int }
					}
				}
				PartialFingerprints map[string]string
			}
		}
	}
	if err := json.Unmarshal(sarif, &log); err != nil {
		t.Fatal(err)
	}
	run := log.Runs[0]
	for _, r := range run.Tool.Driver.Rules {
		if r.Help.Text == "" {
			t.Errorf("SARIF rule %s has no help", r.ID)
		}
	}
	seen := map[string]bool{}
	for _, r := range run.Results {
		rules := run.Tool.Driver.Rules
		if r.RuleID == "" || r.RuleIndex >= len(rules) || rules[r.RuleIndex].ID != r.RuleID {
			t.Fatalf("SARIF result with rule %q at index %d", r.RuleID, r.RuleIndex)
		}
		if len(r.Locations) != 1 || r.Locations[0].PhysicalLocation.Region == nil || r.Locations[0].PhysicalLocation.Region.StartLine < 1 {
			t.Fatalf("SARIF %s result without a region: %+v", r.RuleID, r.Locations)
		}
		if uri := r.Locations[0].PhysicalLocation.ArtifactLocation.URI; strings.HasPrefix(uri, "/") || strings.Contains(uri, ":") || strings.Contains(uri, " ") {
			t.Fatalf("SARIF uri %q is not relative to the checkout", uri)
		}
		fp := r.PartialFingerprints["migsafeFinding/v1"]
		if fp == "" || seen[fp] {
			t.Fatalf("SARIF %s result: partial fingerprint %q (seen before: %v)", r.RuleID, fp, seen[fp])
		}
		seen[fp] = true
	}

	var issues []struct {
		Fingerprint, Severity string
		Location              struct {
			Path  string
			Lines struct{ Begin int }
		}
	}
	if err := json.Unmarshal(out("gitlab"), &issues); err != nil {
		t.Fatal(err)
	}
	if len(issues) != len(run.Results) {
		t.Errorf("%d GitLab issues, %d SARIF results", len(issues), len(run.Results))
	}
	fps := map[string]bool{}
	for _, is := range issues {
		if fps[is.Fingerprint] || len(is.Fingerprint) != 32 {
			t.Fatalf("GitLab fingerprint %q repeated or malformed", is.Fingerprint)
		}
		fps[is.Fingerprint] = true
		if !map[string]bool{"info": true, "minor": true, "major": true, "critical": true, "blocker": true}[is.Severity] {
			t.Fatalf("GitLab severity %q", is.Severity)
		}
		if filepath.IsAbs(is.Location.Path) || strings.HasPrefix(is.Location.Path, "./") || is.Location.Lines.Begin < 1 {
			t.Fatalf("GitLab location %+v", is.Location)
		}
	}
	t.Logf("%d files: %d SARIF results, %d GitLab issues", len(files), len(run.Results), len(issues))
}

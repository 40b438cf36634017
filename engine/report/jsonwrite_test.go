package report_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/migsafe/migsafe/engine"
	"github.com/migsafe/migsafe/engine/coderefs"
	"github.com/migsafe/migsafe/engine/report"
)

// TestJSONWriterMatchesEncoder holds the hand-written JSON writer to the bytes
// encoding/json writes for the same Report (the shape the Report struct's tags
// define), on the golden report and on strings that need every kind of escaping.
func TestJSONWriterMatchesEncoder(t *testing.T) {
	encode := func(r *report.Report) string {
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(r); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	writes := 0 // the Write calls of the last write
	write := func(r *report.Report) string {
		var b bytes.Buffer
		writes = 0
		if err := report.WriteJSON(countWrites{&b, &writes}, r); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	golden := goldenReport(t)
	odd := "quote \" backslash \\ tab \t newline \n cr \r nul \x00 bell \x07 esc \x1b <html> & \u2028 \u2029 é 😀 bad \xff\xfe end"
	var f report.File
	for _, gf := range golden.Files {
		if len(gf.Findings) > 0 {
			f = *gf
			break
		}
	}
	if len(f.Findings) == 0 {
		t.Fatal("no golden file has findings")
	}
	f.Path = odd
	f.Findings = append([]*report.Finding{}, f.Findings...)
	fd := *f.Findings[0]
	fd.Message, fd.Help, fd.Statement, fd.Reason = odd, odd, odd, odd
	fd.Fixes = []report.FixID{{Title: odd, Kind: "quickfix"}, {Title: "second", Kind: "refactor.rewrite"}}
	fd.Uses = []coderefs.Use{{Path: "app/<x>.go", Line: 3, Column: 4, Kind: coderefs.SQL, Detail: odd, Predicate: true}, {Path: "b.rb", Line: 1, Column: 1}}
	fd.Deploy = "after-code"
	f.Deploy = &report.Deploy{Order: "after-code", Before: []int{}, After: []int{3, 7}, NoSafeOrder: []int{}}
	f.Findings = append(f.Findings, &fd)
	f.Suppressed = []*report.Finding{&fd}
	f.Errors = append(f.Errors, &report.Error{Message: odd, Line: 3, Column: 4, Kind: "syntax"})
	// Deploys encoding/json writes with null: none at all, and nil lists.
	nilDeploy, nilLists := f, f
	nilDeploy.Deploy, nilLists.Deploy = nil, &report.Deploy{Order: "any"}
	// A file whose JSON is written out in parts, between its findings (a buffer of a
	// file's size would grow to a megabyte): every kind of finding, hundreds of times,
	// followed by a file in one part.
	big := f
	big.Findings, big.Suppressed = nil, nil
	for range 400 {
		big.Findings = append(big.Findings, f.Findings...)
		big.Suppressed = append(big.Suppressed, f.Suppressed...)
	}
	cases := map[string]*report.Report{
		"spilled":    {Version: report.Version, Files: []*report.File{&big, &f, &big}, Summary: golden.Summary},
		"nil deploy": {Version: report.Version, Files: []*report.File{&nilDeploy, &nilLists}, Summary: golden.Summary},
		"golden":     golden,
		"odd":        {Version: report.Version, Files: []*report.File{&f}, Summary: golden.Summary},
		"empty":      {Version: report.Version, Files: []*report.File{}, Summary: report.Summary{Verdict: string(engine.SafeToShip)}},
		"unchecked":  {Version: report.Version, Files: []*report.File{&f}, Summary: report.Summary{Files: 1, Unchecked: 2, Verdict: string(engine.BlockVerdict)}},
		"unverified": {Version: report.Version, Files: []*report.File{&f}, Summary: report.Summary{Files: 1, Unchecked: 1, Unverified: 1, Verdict: string(engine.BlockVerdict)}},
	}
	for name, r := range cases {
		got, want := write(r), encode(r)
		if got != want {
			t.Errorf("%s: WriteJSON differs from encoding/json:\n got %s\nwant %s", name, got, want)
		}
		if name == "spilled" && writes < len(got)/(64<<10) {
			t.Errorf("spilled: %d bytes of JSON in %d writes: the large files were not written in parts", len(got), writes)
		}
	}
}

// countWrites counts the Write calls to w.
type countWrites struct {
	w interface{ Write([]byte) (int, error) }
	n *int
}

func (c countWrites) Write(p []byte) (int, error) {
	*c.n++
	return c.w.Write(p)
}

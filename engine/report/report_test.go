package report_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/migsafe/migsafe/engine"
	"github.com/migsafe/migsafe/engine/config"
	"github.com/migsafe/migsafe/engine/report"
	"github.com/migsafe/migsafe/internal/schematest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

const goldenDir = "../../testdata/golden"

// goldenConfig gives the golden migrations a PG version and table sizes, so the
// outputs show configured context.
const goldenConfig = `pg_version = 14
[tables]
users = "50M"
`

// goldenReport analyses the migrations under testdata/golden with paths relative to
// that directory, so the outputs do not depend on where the tests run.
func goldenReport(t *testing.T) *report.Report {
	t.Helper()
	cfg, err := config.Parse("migsafe.toml", []byte(goldenConfig), nil)
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, dir := range []string{"migrations", "goose"} {
		m, err := filepath.Glob(filepath.Join(goldenDir, dir, "*.sql"))
		if err != nil {
			t.Fatal(err)
		}
		paths = append(paths, m...)
	}
	if len(paths) < 3 {
		t.Fatalf("golden migrations missing: %v", paths)
	}
	read := func(p string) ([]byte, error) { return os.ReadFile(filepath.Join(goldenDir, p)) }
	var results []*engine.Result
	for _, p := range paths {
		rel, _ := filepath.Rel(goldenDir, p)
		rel = filepath.ToSlash(rel)
		data, err := read(rel)
		if err != nil {
			t.Fatal(err)
		}
		res := engine.Analyze(rel, string(data), cfg, engine.Options{ReadFile: read})
		results = append(results, res)
	}
	r := report.Build(results)
	r.Generated = time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC)
	return r
}

func TestGolden(t *testing.T) {
	r := goldenReport(t)
	formats := []struct {
		file  string
		write func(*bytes.Buffer) error
	}{
		{"check.txt", func(b *bytes.Buffer) error { return report.WriteText(b, r, report.TextOptions{}) }},
		{"check.color.txt", func(b *bytes.Buffer) error { return report.WriteText(b, r, report.TextOptions{Color: true}) }},
		{"check.json", func(b *bytes.Buffer) error { return report.WriteJSON(b, r) }},
		{"check.sarif", func(b *bytes.Buffer) error { return report.WriteSARIF(b, r, report.SARIFOptions{Version: "test"}) }},
		{"check.md", func(b *bytes.Buffer) error { return report.WriteMarkdown(b, r, report.MarkdownOptions{}) }},
		{"check.ci.md", func(b *bytes.Buffer) error {
			return report.WriteMarkdown(b, r, report.MarkdownOptions{Limit: report.CommentLimit, Marker: "<!-- migsafe -->",
				Links: report.LinksFromEnv(fakeEnv(githubEnv))})
		}},
		{"check.github", func(b *bytes.Buffer) error { return report.WriteGitHub(b, r) }},
		{"check.gitlab", func(b *bytes.Buffer) error { return report.WriteGitLab(b, r) }},
	}
	// The report's paths are relative to testdata/golden, and the SARIF and GitLab
	// writers read them from the working directory's repository: a directory outside
	// any stands for that root.
	goldens, err := filepath.Abs(goldenDir)
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(t.TempDir())
	for _, f := range formats {
		t.Run(f.file, func(t *testing.T) {
			var b bytes.Buffer
			if err := f.write(&b); err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join(goldens, f.file)
			if *update {
				if err := os.WriteFile(golden, b.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./engine/report -update)", err)
			}
			if got := b.String(); got != string(want) {
				t.Errorf("%s differs from the golden file (run go test ./engine/report -update and review the diff)\n--- got\n%s", golden, got)
			}
		})
	}
}

// TestJSONContract checks the JSON against the documented version 1 shape: exactly
// these keys, empty lists as [], 1-based code-point columns.
func TestJSONContract(t *testing.T) {
	r := goldenReport(t)
	var b bytes.Buffer
	if err := report.WriteJSON(&b, r); err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	keys := func(m map[string]any) string {
		var ks []string
		for k := range m {
			ks = append(ks, k)
		}
		sort.Strings(ks)
		return strings.Join(ks, ",")
	}
	if got := keys(doc); got != "files,summary,version" {
		t.Errorf("top-level keys = %s", got)
	}
	if doc["version"] != 1.0 {
		t.Errorf("version = %v", doc["version"])
	}
	if got := keys(doc["summary"].(map[string]any)); got != "block,files,flag,verdict" {
		t.Errorf("summary keys = %s", got)
	}
	sawLock, sawUnicode := false, false
	for _, f := range doc["files"].([]any) {
		file := f.(map[string]any)
		if got := keys(file); got != "categories,deploy,errors,findings,path,pgVersion,runner,suppressed,verdict" {
			t.Errorf("file keys = %s", got)
		}
		if n := len(file["categories"].(map[string]any)); n != 9 {
			t.Errorf("%s: %d categories, want 9", file["path"], n)
		}
		for _, list := range []string{"findings", "suppressed", "errors"} {
			if _, ok := file[list].([]any); !ok {
				t.Errorf("%s: %s is %v, want a list", file["path"], list, file[list])
			}
		}
		for _, fd := range file["findings"].([]any) {
			m := fd.(map[string]any)
			if got := keys(m); got != "category,column,deploy,endColumn,endLine,fixes,help,line,lock,message,rule,severity,statement,status" {
				t.Errorf("finding keys = %s", got)
			}
			if l, ok := m["lock"].(map[string]any); ok {
				sawLock = true
				if got := keys(l); got != "mode,relation,rewrite,scan" {
					t.Errorf("lock keys = %s", got)
				}
			}
			// Line 5 of 0043 starts with a comment holding 7 non-ASCII letters: the
			// CREATE INDEX is at code-point column 15 (byte column 22).
			if file["path"] == "migrations/0043_tags.up.sql" && m["line"] == 5.0 {
				sawUnicode = true
				if m["column"] != 15.0 {
					t.Errorf("column after non-ASCII comment = %v, want 15 (code points)", m["column"])
				}
			}
		}
		for _, fd := range file["suppressed"].([]any) {
			if fd.(map[string]any)["reason"] == "" {
				t.Errorf("suppressed finding without reason")
			}
		}
	}
	if !sawLock || !sawUnicode {
		t.Errorf("golden inputs no longer exercise locks (%v) or non-ASCII columns (%v)", sawLock, sawUnicode)
	}
}

// TestSARIFSchema validates the SARIF output against the OASIS SARIF 2.1.0 schema
// (testdata/sarif, as shipped in the @microsoft/jest-sarif npm package).
func TestSARIFSchema(t *testing.T) {
	sch := schematest.Compile(t, "../../testdata/sarif/sarif-2.1.0-rtm.5.json", schematest.SARIFID)
	var b bytes.Buffer
	if err := report.WriteSARIF(&b, goldenReport(t), report.SARIFOptions{Version: "test"}); err != nil {
		t.Fatal(err)
	}
	out := b.Bytes()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(inst); err != nil {
		t.Errorf("SARIF output does not validate against the 2.1.0 schema:\n%v", err)
	}
	// Every result's ruleIndex names its rule; suppressed findings carry a suppression.
	var log struct {
		Runs []struct {
			Tool struct {
				Driver struct{ Rules []struct{ ID string } }
			}
			Results []struct {
				RuleID       string
				RuleIndex    int
				Suppressions []struct{ Kind, Justification string }
			}
		}
	}
	if err := json.Unmarshal(out, &log); err != nil {
		t.Fatal(err)
	}
	suppressed := 0
	for _, res := range log.Runs[0].Results {
		if rs := log.Runs[0].Tool.Driver.Rules; res.RuleIndex >= len(rs) || rs[res.RuleIndex].ID != res.RuleID {
			t.Errorf("result %s has ruleIndex %d, which is not its rule", res.RuleID, res.RuleIndex)
		}
		if len(res.Suppressions) > 0 && res.Suppressions[0].Kind == "inSource" && res.Suppressions[0].Justification != "" {
			suppressed++
		}
	}
	if suppressed != 1 {
		t.Errorf("%d suppressed results with a justification, want 1", suppressed)
	}
	// The schema itself must reject a broken log, or the check above proves nothing.
	bad := map[string]any{"version": "2.1.0", "runs": []any{map[string]any{"results": []any{}}}}
	if err := sch.Validate(bad); err == nil {
		t.Error("schema accepted a run without a tool")
	}
}

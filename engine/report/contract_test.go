package report_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/migsafe/migsafe/engine"
	"github.com/migsafe/migsafe/engine/config"
	"github.com/migsafe/migsafe/engine/report"
	"github.com/migsafe/migsafe/internal/corpus"
	"github.com/migsafe/migsafe/internal/schematest"
)

// githubEnv is a pull request's workflow environment.
var githubEnv = map[string]string{
	"GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "acme/shop",
	"GITHUB_SHA": "merge0000", "MIGSAFE_COMMIT": "0123456789abcdef", "GITHUB_RUN_ID": "42",
}

func fakeEnv(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func validate(t *testing.T, sch *jsonschema.Schema, name string, data []byte) {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if err := sch.Validate(inst); err != nil {
		t.Errorf("%s does not validate against docs/report.schema.json:\n%v", name, err)
	}
}

// TestJSONSchema validates every golden JSON report, and the reports of corpus
// migrations with fixes attached, against the published schema; the schema must
// reject what breaks the contract, or the check proves nothing.
func TestJSONSchema(t *testing.T) {
	sch := schematest.Compile(t, "../../docs/report.schema.json", "https://github.com/migsafe/migsafe/docs/report.schema.json")
	goldens, _ := filepath.Glob(filepath.Join(goldenDir, "*.json"))
	if len(goldens) == 0 {
		t.Fatal("no golden JSON reports")
	}
	for _, g := range goldens {
		data, err := os.ReadFile(g)
		if err != nil {
			t.Fatal(err)
		}
		validate(t, sch, g, data)
	}
	if dir := corpus.Dir(); dir != "" {
		var results []*engine.Result
		for _, sub := range []string{"dhis2-flyway/2.32/*.sql", "hatchet-goose/*.sql", "openmeter-golang-migrate/*.sql",
			"rails-openstreetmap/db/migrate/*.rb", "alembic-polar/server/migrations/versions/*.py", "knex-wikijs/server/db/migrations/*.js"} {
			paths, _ := filepath.Glob(filepath.Join(dir, sub))
			for _, p := range paths {
				data, err := os.ReadFile(p)
				if err != nil {
					t.Fatal(err)
				}
				res := engine.Analyze(p, string(data), config.Default(), engine.Options{})
				results = append(results, res)
			}
		}
		var b bytes.Buffer
		if err := report.WriteJSON(&b, report.Build(results)); err != nil {
			t.Fatal(err)
		}
		validate(t, sch, "the corpus report", b.Bytes())
	}
	// The optional key a run that could not check some files adds (json-report.md).
	validate(t, sch, "a report with unchecked files", []byte(`{"version": 1, "files": [], "summary": {"files": 0, "block": 0, "flag": 0, "unchecked": 1, "verdict": "BLOCK"}}`))
	validate(t, sch, "a report with unverified rollbacks", []byte(`{"version": 1, "files": [], "summary": {"files": 1, "block": 0, "flag": 0, "unverified": 1, "verdict": "BLOCK"}}`))
	for name, bad := range map[string]string{
		"version 2":        `{"version": 2, "files": [], "summary": {"files": 0, "block": 0, "flag": 0, "verdict": "SAFE TO SHIP"}}`,
		"unknown verdict":  `{"version": 1, "files": [], "summary": {"files": 0, "block": 0, "flag": 0, "verdict": "OK"}}`,
		"unchecked 0":      `{"version": 1, "files": [], "summary": {"files": 0, "block": 0, "flag": 0, "unchecked": 0, "verdict": "BLOCK"}}`,
		"unverified 0":     `{"version": 1, "files": [], "summary": {"files": 0, "block": 0, "flag": 0, "unverified": 0, "verdict": "BLOCK"}}`,
		"0-based line":     strings.Replace(string(mustRead(t, filepath.Join(goldenDir, "check.json"))), `"line": 2,`, `"line": 0,`, 1),
		"missing findings": strings.Replace(string(mustRead(t, filepath.Join(goldenDir, "check.json"))), `"findings": [],`, ``, 1),
	} {
		inst, err := jsonschema.UnmarshalJSON(strings.NewReader(bad))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if sch.Validate(inst) == nil {
			t.Errorf("the schema accepts a report with %s", name)
		}
	}
}

func mustRead(t *testing.T, p string) []byte {
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestMarkdownCap: the pull-request comment stays under GitHub's 65,536 characters for
// the noisiest corpus migration (one rule's hundreds of findings fold into a line) and
// for a whole project's corpus (then it says how many findings it leaves out and
// where they are), and what it shows plus what it leaves out is every finding.
func TestMarkdownCap(t *testing.T) {
	dir := corpus.Dir()
	if dir == "" {
		t.Skip("no shared/corpus found above the repository (set MIGSAFE_CORPUS)")
	}
	analyse := func(paths []string) *report.Report {
		var results []*engine.Result
		for _, p := range paths {
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			rel, _ := filepath.Rel(dir, p)
			res := engine.Analyze(rel, string(data), config.Default(), engine.Options{ReadFile: func(q string) ([]byte, error) { return os.ReadFile(filepath.Join(dir, q)) }})
			results = append(results, res)
		}
		return report.Build(results)
	}
	opts := report.MarkdownOptions{Limit: report.CommentLimit, Marker: "<!-- migsafe -->", Links: report.LinksFromEnv(fakeEnv(githubEnv))}

	noisy := analyse([]string{filepath.Join(dir, "dhis2-flyway/2.32/V2_32_10__Use_bigint_for_id_columns.sql")})
	var uncapped, capped bytes.Buffer
	if err := report.WriteMarkdown(&uncapped, noisy, report.MarkdownOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := report.WriteMarkdown(&capped, noisy, opts); err != nil {
		t.Fatal(err)
	}
	n := noisy.Summary.Block + noisy.Summary.Flag
	t.Logf("noisiest migration: %d findings, comment %d bytes (uncapped %d)", n, capped.Len(), uncapped.Len())
	if n < 500 || capped.Len() > report.CommentLimit {
		t.Errorf("noisiest migration: %d findings, comment %d bytes (cap %d)", n, capped.Len(), report.CommentLimit)
	}
	if got := shown(capped.String()); got != n {
		t.Errorf("the comment accounts for %d findings, the report has %d", got, n)
	}
	if !strings.HasPrefix(capped.String(), "<!-- migsafe -->\n") || !strings.Contains(capped.String(), "](https://github.com/acme/shop/blob/0123456789abcdef/dhis2-flyway/2.32/V2_32_10__Use_bigint_for_id_columns.sql#L") {
		t.Error("the comment lacks its marker or links to the reviewed commit")
	}

	paths, _ := filepath.Glob(filepath.Join(dir, "dhis2-flyway", "*", "*.sql"))
	whole := analyse(paths)
	var b bytes.Buffer
	if err := report.WriteMarkdown(&b, whole, opts); err != nil {
		t.Fatal(err)
	}
	n = whole.Summary.Block + whole.Summary.Flag
	t.Logf("dhis2-flyway: %d files, %d findings, comment %d bytes", len(paths), n, b.Len())
	if b.Len() > report.CommentLimit {
		t.Errorf("comment of %d bytes, over the cap", b.Len())
	}
	note := regexp.MustCompile(`\*\*(\d+) more findings?\*\* \(\d+ BLOCK, \d+ FLAG\).*are not shown.*\[the CI run's summary\]\(https://github.com/acme/shop/actions/runs/42\)`)
	m := note.FindStringSubmatch(b.String())
	if m == nil {
		t.Fatalf("no note on the findings left out:\n%s", b.String()[b.Len()-2000:])
	}
	var left int
	json.Unmarshal([]byte(m[1]), &left)
	if got := shown(b.String()) + left; got != n {
		t.Errorf("shown %d + left out %d = %d, the report has %d findings", shown(b.String()), left, got, n)
	}
}

// shown counts the findings a comment accounts for: one per finding line and the
// count of each folded line.
func shown(md string) int {
	n := len(regexp.MustCompile(`(?m)^- (🛑|⚠️|✅) \*\*`).FindAllString(md, -1))
	for _, m := range regexp.MustCompile(`(?m)^  - \*\*(\d+) more\*\* `).FindAllStringSubmatch(md, -1) {
		var k int
		json.Unmarshal([]byte(m[1]), &k)
		n += k
	}
	return n
}

func TestLinksFromEnv(t *testing.T) {
	gh := report.LinksFromEnv(fakeEnv(githubEnv))
	if gh == nil || gh.Blob != "https://github.com/acme/shop/blob/0123456789abcdef" || gh.Full != "https://github.com/acme/shop/actions/runs/42" {
		t.Errorf("GitHub links = %+v", gh)
	}
	gl := report.LinksFromEnv(fakeEnv(map[string]string{"CI_PROJECT_URL": "https://gitlab.example/acme/shop", "CI_COMMIT_SHA": "abc", "CI_PIPELINE_URL": "https://gitlab.example/acme/shop/-/pipelines/7"}))
	if gl == nil || gl.Blob != "https://gitlab.example/acme/shop/-/blob/abc" || gl.Full != "https://gitlab.example/acme/shop/-/pipelines/7" {
		t.Errorf("GitLab links = %+v", gl)
	}
	if l := report.LinksFromEnv(fakeEnv(nil)); l != nil {
		t.Errorf("links outside CI = %+v", l)
	}
}

// TestSchemaProblemKinds keeps the schema's list of error kinds equal to the engine's.
func TestSchemaProblemKinds(t *testing.T) {
	var schema struct {
		Defs struct {
			Error struct {
				Properties struct {
					Kind struct {
						Enum []string `json:"enum"`
					} `json:"kind"`
				} `json:"properties"`
			} `json:"error"`
		} `json:"$defs"`
	}
	if err := json.Unmarshal(mustRead(t, "../../docs/report.schema.json"), &schema); err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, k := range schema.Defs.Error.Properties.Kind.Enum {
		got[k] = true
	}
	for k := range engine.ProblemKinds {
		if !got[k] {
			t.Errorf("docs/report.schema.json: error kind %q (%s) is missing", k, engine.ProblemKinds[k].ID)
		}
		delete(got, k)
	}
	for k := range got {
		t.Errorf("docs/report.schema.json: error kind %q is not a problem kind of the engine", k)
	}
}

// The places code-review services put results: GitHub code scanning reads
// artifactLocation.uri as a URI reference relative to the repository (a path with a
// space was written unencoded, an absolute path without a scheme, and $PWD/db/x.sql,
// as CI passes it, did not resolve against the checkout) and matches results across
// runs by partialFingerprints (there were none: a log uploaded through the API made
// duplicate alerts); GitLab places an issue by its path relative to the repository.
// Fingerprints are the same in both, unique, and survive lines moving above them.
func TestReviewServicePaths(t *testing.T) {
	// A job that runs migsafe in a service's directory of its repository: paths are
	// the repository's.
	repo := t.TempDir()
	if err := os.MkdirAll(filepath.Join(repo, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	wd := filepath.Join(repo, "svc")
	if err := os.MkdirAll(wd, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Chdir(wd)
	const sql = "ALTER TABLE users ADD COLUMN a int NOT NULL;\nALTER TABLE users ADD COLUMN a int NOT NULL;\n"
	type out struct{ uri, path string }
	for _, c := range []struct {
		path string
		want out
	}{
		{"db/my migrations/V1__a.sql", out{"svc/db/my%20migrations/V1__a.sql", "svc/db/my migrations/V1__a.sql"}},
		{"./db/V1__a.sql", out{"svc/db/V1__a.sql", "svc/db/V1__a.sql"}},
		{filepath.Join(wd, "db", "V1__a.sql"), out{"svc/db/V1__a.sql", "svc/db/V1__a.sql"}},
		{filepath.Join(repo, "other", "V1__a.sql"), out{"other/V1__a.sql", "other/V1__a.sql"}},
		{"/elsewhere/db/V1#1.sql", out{"file:///elsewhere/db/V1%231.sql", "/elsewhere/db/V1#1.sql"}},
	} {
		var fps [2][]string
		for i, text := range []string{sql, "-- moved\n\n" + sql} {
			r := report.Build([]*engine.Result{engine.Analyze(c.path, text, config.Default(), engine.Options{NoSiblings: true})})
			var sb, gb, ab bytes.Buffer
			if err := report.WriteSARIF(&sb, r, report.SARIFOptions{}); err != nil {
				t.Fatal(err)
			}
			if err := report.WriteGitHub(&ab, r); err != nil {
				t.Fatal(err)
			}
			if want := "file=" + strings.NewReplacer(":", "%3A", ",", "%2C").Replace(c.want.path) + ","; !strings.Contains(ab.String(), want) {
				t.Errorf("%s: annotations %q, want %s", c.path, ab.String(), want)
			}
			if err := report.WriteGitLab(&gb, r); err != nil {
				t.Fatal(err)
			}
			var sarif struct {
				Runs []struct {
					Results []struct {
						Locations []struct {
							PhysicalLocation struct {
								ArtifactLocation struct{ URI string }
							}
						}
						PartialFingerprints map[string]string
					}
				}
			}
			var gitlab []struct {
				Fingerprint string
				Location    struct{ Path string }
			}
			if err := json.Unmarshal(sb.Bytes(), &sarif); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(gb.Bytes(), &gitlab); err != nil {
				t.Fatal(err)
			}
			results := sarif.Runs[0].Results
			if len(results) < 2 || len(results) != len(gitlab) {
				t.Fatalf("%s: %d SARIF results, %d GitLab issues", c.path, len(results), len(gitlab))
			}
			seen := map[string]bool{}
			for j, res := range results {
				got := out{res.Locations[0].PhysicalLocation.ArtifactLocation.URI, gitlab[j].Location.Path}
				if got != c.want {
					t.Errorf("%s: uri %q, GitLab path %q; want %q, %q", c.path, got.uri, got.path, c.want.uri, c.want.path)
				}
				fp := res.PartialFingerprints["migsafeFinding/v1"]
				if fp == "" || fp != gitlab[j].Fingerprint || seen[fp] {
					t.Errorf("%s: partial fingerprint %q, GitLab's %q, seen before %v", c.path, fp, gitlab[j].Fingerprint, seen[fp])
				}
				seen[fp] = true
				fps[i] = append(fps[i], fp)
			}
		}
		if !slices.Equal(fps[0], fps[1]) {
			t.Errorf("%s: fingerprints changed when lines moved: %v, %v", c.path, fps[0], fps[1])
		}
	}
}

// TestMarkdownSummaryCap: the action's job summary, capped at 1,000,000 bytes, said
// past its cap that "a pull-request comment holds at most 65536 characters; the full
// report is in the CI run's summary", which is where it was read. Past a cap larger
// than a comment's, the note names that cap and points to migsafe check.
func TestMarkdownSummaryCap(t *testing.T) {
	var results []*engine.Result
	for i := 0; i < 40; i++ {
		path := fmt.Sprintf("db/V%d__c.sql", i+2)
		results = append(results, engine.Analyze(path, fmt.Sprintf("ALTER TABLE users ADD COLUMN c%d int NOT NULL;\nCREATE INDEX i%d ON users (c%d);\n", i, i, i), config.Default(), engine.Options{NoSiblings: true}))
	}
	r := report.Build(results)
	links := report.LinksFromEnv(fakeEnv(githubEnv))
	for _, c := range []struct {
		limit int
		want  string
	}{
		{report.CommentLimit / 4, "are not shown: a pull-request comment holds at most 65536 characters; the full report is in [the CI run's summary](https://github.com/acme/shop/actions/runs/42)."},
		{report.CommentLimit + 1000, "are not shown: this report is capped at 66536 bytes; run `migsafe check` on the files for the full report."},
	} {
		var b bytes.Buffer
		if err := report.WriteMarkdown(&b, r, report.MarkdownOptions{Limit: c.limit, Links: links}); err != nil {
			t.Fatal(err)
		}
		if b.Len() > c.limit || !strings.Contains(b.String(), c.want) {
			t.Errorf("limit %d: %d bytes, note %q, want %q", c.limit, b.Len(), b.String()[max(0, strings.LastIndex(b.String(), "---")):], c.want)
		}
	}
}

// TestMarkdownNamesEveryFile: a capped comment named the files it showed and said
// "(and 296 more files)" of the rest, for a pull request of 300 migrations; it lists
// each file it leaves out with its counts now, in what room the cap leaves (the last
// line says how many more when even the list does not fit).
func TestMarkdownNamesEveryFile(t *testing.T) {
	var results []*engine.Result
	for i := 0; i < 120; i++ {
		path := fmt.Sprintf("db/V%d__c.sql", i+2)
		results = append(results, engine.Analyze(path, fmt.Sprintf("ALTER TABLE users ADD COLUMN c%d int NOT NULL;\nCREATE INDEX i%d ON users (c%d);\n", i, i, i), config.Default(), engine.Options{NoSiblings: true}))
	}
	r := report.Build(results)
	for _, limit := range []int{report.CommentLimit, 8000} {
		var b bytes.Buffer
		if err := report.WriteMarkdown(&b, r, report.MarkdownOptions{Limit: limit}); err != nil {
			t.Fatal(err)
		}
		md := b.String()
		if b.Len() > limit {
			t.Errorf("limit %d: %d bytes", limit, b.Len())
		}
		named := 0
		for _, f := range r.Files {
			if strings.Contains(md, "`"+f.Path+"`") {
				named++
			}
		}
		more := regexp.MustCompile(`(?m)^- and (\d+) more$`).FindStringSubmatch(md)
		left := 0
		if more != nil {
			json.Unmarshal([]byte(more[1]), &left)
		}
		if named+left != len(r.Files) || limit == report.CommentLimit && left != 0 {
			t.Errorf("limit %d: %d files named, %d more said, of %d", limit, named, left, len(r.Files))
		}
		if got := shown(md); got != r.Summary.Block+r.Summary.Flag-leftFindings(md) {
			t.Errorf("limit %d: the list of files changed the count of findings shown (%d)", limit, got)
		}
	}
}

// leftFindings is the count of findings a capped comment says it leaves out.
func leftFindings(md string) int {
	m := regexp.MustCompile(`\*\*(\d+) more findings?\*\*`).FindStringSubmatch(md)
	n := 0
	if m != nil {
		json.Unmarshal([]byte(m[1]), &n)
	}
	return n
}

// A release's SARIF log names its semantic version (toolComponent.semanticVersion,
// which code-scanning services compare) beside the version string migsafe version
// prints: driver.version was "v0.9.2 (565fc7682d22)" alone.
func TestSARIFSemanticVersion(t *testing.T) {
	r := report.Build([]*engine.Result{engine.Analyze("db/1_a.up.sql", "SELECT 1;\n", config.Default(), engine.Options{NoSiblings: true})})
	sch := schematest.Compile(t, "../../testdata/sarif/sarif-2.1.0-rtm.5.json", schematest.SARIFID)
	for version, want := range map[string]string{
		"v0.9.2 (565fc7682d22)":          "0.9.2",
		"v1.0.0-rc.1":                    "1.0.0-rc.1",
		"devel (565fc7682d22, modified)": "",
		"v1.2":                           "",
	} {
		var b bytes.Buffer
		if err := report.WriteSARIF(&b, r, report.SARIFOptions{Version: version}); err != nil {
			t.Fatal(err)
		}
		validate(t, sch, version, b.Bytes())
		var log struct {
			Runs []struct {
				Tool struct {
					Driver struct{ Version, SemanticVersion string }
				}
			}
		}
		if err := json.Unmarshal(b.Bytes(), &log); err != nil {
			t.Fatal(err)
		}
		if d := log.Runs[0].Tool.Driver; d.Version != version || d.SemanticVersion != want {
			t.Errorf("%q: driver version %q, semanticVersion %q; want %q", version, d.Version, d.SemanticVersion, want)
		}
	}
}

// GitHub shows 10 error and 10 warning annotations of a step and drops the rest
// silently: a run with more starts with a notice counting them all.
func TestGitHubAnnotationsOverTheLimit(t *testing.T) {
	for _, n := range []int{3, 12} {
		var results []*engine.Result
		for i := 0; i < n; i++ {
			results = append(results, engine.Analyze(fmt.Sprintf("db/V%d__c.sql", i+2), fmt.Sprintf("ALTER TABLE users ADD COLUMN c%d int NOT NULL;\n", i), config.Default(), engine.Options{NoSiblings: true}))
		}
		r := report.Build(results)
		var b bytes.Buffer
		if err := report.WriteGitHub(&b, r); err != nil {
			t.Fatal(err)
		}
		first, _, _ := strings.Cut(b.String(), "\n")
		want := fmt.Sprintf("::notice title=migsafe::%d BLOCK and %d FLAG findings in %d files; GitHub shows the first 10 annotations of each kind, the step's log has every one", r.Summary.Block, r.Summary.Flag, n)
		if (n > 10) != (first == want) || strings.Count(b.String(), "::notice") > 1 {
			t.Errorf("%d files: first line %q", n, first)
		}
	}
}

// A comment written by a job run in a service's directory (working-directory: svc)
// linked svc/db/1_x.up.sql as .../blob/<commit>/db/1_x.up.sql, no file of the
// repository: relative paths are linked from the checkout's root.
func TestMarkdownLinksFromASubdirectory(t *testing.T) {
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "svc"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Chdir(filepath.Join(root, "svc"))
	env := map[string]string{"GITHUB_WORKSPACE": root}
	for k, v := range githubEnv {
		env[k] = v
	}
	r := report.Build([]*engine.Result{engine.Analyze("db/1_x.up.sql", "ALTER TABLE users ADD COLUMN x int NOT NULL;\n", config.Default(), engine.Options{NoSiblings: true})})
	var b bytes.Buffer
	if err := report.WriteMarkdown(&b, r, report.MarkdownOptions{Links: report.LinksFromEnv(fakeEnv(env))}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "](https://github.com/acme/shop/blob/0123456789abcdef/svc/db/1_x.up.sql#L1)") {
		t.Errorf("links:\n%s", b.String())
	}
}

package main

import (
	"encoding/json"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

// readme is the repository's README.md, which these tests hold to what the binary does.
func readme(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// fence returns the body of the first ``` block after the line that starts with
// marker.
func fence(t *testing.T, doc, marker string) string {
	t.Helper()
	i := strings.Index(doc, "\n"+marker)
	if i < 0 {
		t.Fatalf("no %q in the doc", marker)
	}
	rest := doc[i:]
	j := strings.Index(rest, "```")
	rest = rest[j:]
	rest = rest[strings.Index(rest, "\n")+1:]
	return rest[:strings.Index(rest, "```")]
}

var flagLine = regexp.MustCompile(`(?m)^  -([a-z][a-z-]*)`)

// Each command's usage line names every flag it takes, and is the line README's
// Commands section gives: a flag added to the code and not to the docs, or the
// reverse, fails here (trace's line lacked --allow-remote and --pg, lsp's --stdio).
func TestUsageLinesMatchREADME(t *testing.T) {
	commands := fence(t, readme(t), "## Commands")
	var documented []string
	for _, l := range strings.Split(commands, "\n") {
		documented = append(documented, strings.Join(strings.Fields(l), " "))
	}
	for _, cmd := range []string{"check", "fix", "runbook", "lsp", "trace", "stats"} {
		out, _, code := run(t, t.TempDir(), "", cmd, "-h")
		if code != 0 {
			t.Fatalf("%s -h exits %d", cmd, code)
		}
		usage, _, _ := strings.Cut(out, "\n")
		usage = strings.TrimPrefix(usage, "usage: ")
		for _, m := range flagLine.FindAllStringSubmatch(out, -1) {
			name := "--" + m[1]
			if len(m[1]) == 1 {
				name = "-" + m[1]
			}
			if !regexp.MustCompile(`(^|[\[| ])` + regexp.QuoteMeta(name) + `([ \]|]|$)`).MatchString(usage) {
				t.Errorf("%s: the usage line does not name %s: %s", cmd, name, usage)
			}
		}
		found := false
		for _, d := range documented {
			found = found || d == usage
		}
		if !found {
			t.Errorf("README's Commands section does not give %s's usage line:\n%s", cmd, usage)
		}
	}
}

// --help prints flag defaults; a --dsn defaulting to MIGSAFE_DSN printed the
// password in it, which a DSN is never shown with anywhere else.
func TestHelpShowsNoDSNPassword(t *testing.T) {
	for _, cmd := range []string{"trace", "stats"} {
		c := exec.Command(binary, cmd, "-h")
		c.Env = append(os.Environ(), "MIGSAFE_DSN=postgres://u:s3cret@localhost/db")
		out, errOut, _ := execute(t, c)
		if strings.Contains(out+errOut, "s3cret") {
			t.Errorf("%s -h shows MIGSAFE_DSN's password:\n%s", cmd, out+errOut)
		}
	}
}

// README's "What it looks like" is what `check` prints for that file, byte for byte.
func TestREADMECheckExample(t *testing.T) {
	block := fence(t, readme(t), "## What it looks like")
	cmdLine, want, _ := strings.Cut(block, "\n")
	args := strings.Fields(strings.TrimPrefix(cmdLine, "$ go run ./cmd/migsafe "))
	if len(args) < 2 || args[0] != "check" {
		t.Fatalf("unexpected example command %q", cmdLine)
	}
	out, errOut, code := run(t, "../..", "", args...)
	if code != 1 {
		t.Errorf("the example exits %d, want 1 (a BLOCK); stderr: %s", code, errOut)
	}
	if out != want {
		t.Errorf("README's example differs from what %s prints:\n--- README\n%s--- printed\n%s", cmdLine, want, out)
	}
}

// docs/json-report.md's example is what `check --format json` prints for the
// migration it shows, key for key (the example had drifted: a fix title renamed, the
// deploy keys missing, a category that did not follow from its findings).
func TestJSONReportExample(t *testing.T) {
	b, err := os.ReadFile("../../docs/json-report.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	sql := fence(t, doc, "## Example")
	rest := doc[strings.Index(doc, "```sql"):]
	rest = rest[strings.Index(rest, "```json\n")+len("```json\n"):]
	want := rest[:strings.Index(rest, "```")]
	dir := writeTree(t, map[string]string{
		"migsafe.toml":                       "pg_version = 14\n",
		"migrations/0042_add_phone.up.sql":   sql,
		"migrations/0042_add_phone.down.sql": "ALTER TABLE users DROP COLUMN phone;\n",
	})
	out, errOut, code := run(t, dir, "", "check", "--format", "json", "migrations/0042_add_phone.up.sql")
	if code != 1 {
		t.Errorf("the example exits %d, want 1; stderr: %s", code, errOut)
	}
	var got, doced any
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("the report: %v\n%s", err, out)
	}
	if err := json.Unmarshal([]byte(want), &doced); err != nil {
		t.Fatalf("the doc's example does not parse: %v", err)
	}
	if !reflect.DeepEqual(got, doced) {
		t.Errorf("docs/json-report.md's example differs from the report:\n%s", out)
	}
}

// README's migsafe.toml example is a valid configuration: every key it names exists
// and every value is one migsafe takes.
func TestREADMEConfigExample(t *testing.T) {
	toml := fence(t, readme(t), "## Configuration: `migsafe.toml`")
	if !strings.Contains(toml, "pg_version") {
		t.Fatalf("not the config example:\n%s", toml)
	}
	dir := writeTree(t, map[string]string{"migsafe.toml": toml, "1_a.up.sql": "SELECT 1;\n"})
	_, errOut, code := run(t, dir, "", "check", "1_a.up.sql")
	if code == 2 {
		t.Errorf("README's migsafe.toml is refused: %s", errOut)
	}
}

var getenvCall = regexp.MustCompile(`(?:Getenv|LookupEnv|getenv)\("([A-Z][A-Z0-9_]*)"\)`)

// Every environment variable the code reads is on docs/environment.md: NO_COLOR,
// MIGSAFE_MARKDOWN_LIMIT, MIGSAFE_PG_CACHE and the profiling variables were read and
// documented nowhere a user looks.
func TestEnvironmentDocumented(t *testing.T) {
	b, err := os.ReadFile("../../docs/environment.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	seen := map[string]bool{}
	for _, dir := range []string{"cmd", "engine", "lsp", "trace", "internal", "codeactions"} {
		err := filepath.WalkDir(filepath.Join("../..", dir), func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
				return err
			}
			src, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			for _, m := range getenvCall.FindAllStringSubmatch(string(src), -1) {
				if !seen[m[1]] && !strings.Contains(doc, "`"+m[1]+"`") {
					t.Errorf("%s reads %s, which docs/environment.md does not name", p, m[1])
				}
				seen[m[1]] = true
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if !seen["MIGSAFE_DSN"] {
		t.Fatal("found no MIGSAFE_DSN read: the scan reads nothing")
	}
}

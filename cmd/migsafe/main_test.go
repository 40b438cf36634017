package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// binary is migsafe built once for the tests that run it as users do.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "migsafe-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	binary = filepath.Join(dir, "migsafe")
	build := exec.Command("go", "build", "-o", binary, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building migsafe:", err)
		os.Exit(2)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// run runs the binary in dir with stdin and returns stdout, stderr and the exit code.
func run(t *testing.T, dir, stdin string, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Dir = dir
	cmd.Stdin = strings.NewReader(stdin)
	cmd.Env = append(os.Environ(), "NO_COLOR=1")
	return execute(t, cmd)
}

// execute runs cmd and returns stdout, stderr and the exit code.
func execute(t *testing.T, cmd *exec.Cmd) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return out.String(), errb.String(), code
}

// writeTree creates files (path -> content) under a new temp dir.
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for p, text := range files {
		full := filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const (
	blockSQL = "CREATE INDEX users_email_idx ON users (email);\n"
	safeSQL  = "CREATE TABLE pets (id bigint PRIMARY KEY);\nCREATE INDEX pets_id_idx ON pets (id);\n"
)

type jsonFinding struct {
	Rule   string
	Status string
	Line   int
}

type jsonReport struct {
	Files []struct {
		Path     string
		Runner   string
		Verdict  string
		Findings []jsonFinding
		Errors   []struct{ Message, Kind string }
	}
	Summary struct {
		Files, Block, Flag int
		Verdict            string
	}
}

func decode(t *testing.T, out string) jsonReport {
	t.Helper()
	var r jsonReport
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	return r
}

func TestExitCodes(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"block.sql":   blockSQL,
		"safe.sql":    safeSQL,
		"syntax.sql":  "CREATE INDX broken ON users (x);\n",
		"flagged.sql": "-- migsafe:ignore no-such-rule -- because\nSELECT 1;\n",
	})
	tests := []struct {
		args []string
		want int
	}{
		{[]string{"check", "safe.sql"}, 0},
		{[]string{"check", "block.sql"}, 1},
		{[]string{"check", "safe.sql", "block.sql"}, 1},
		{[]string{"check", "--fail-on", "never", "block.sql"}, 0},
		{[]string{"check", "--fail-on", "flag", "flagged.sql"}, 1},
		{[]string{"check", "flagged.sql"}, 0},
		{[]string{"check", "syntax.sql"}, 1}, // a migration that does not parse would fail: BLOCK
		{[]string{"check", "block.sql", "--fail-on", "never"}, 0},
		{[]string{"check", "--fail-on", "sometimes", "safe.sql"}, 2},
		{[]string{"check", "--format", "yaml", "safe.sql"}, 2},
		{[]string{"check"}, 2},
		{[]string{"check", "--no-such-flag", "safe.sql"}, 2},
		{[]string{"explain", "no-such-rule"}, 2},
		{[]string{"explain", "adding-required-column"}, 0},
		{[]string{"rules"}, 0},
		{[]string{"version"}, 0},
		{[]string{"no-such-command"}, 2},
	}
	for _, tt := range tests {
		_, stderr, code := run(t, dir, "", tt.args...)
		if code != tt.want {
			t.Errorf("migsafe %s: exit %d, want %d (stderr: %s)", strings.Join(tt.args, " "), code, tt.want, stderr)
		}
	}
}

// A check that finds nothing to check exits 2 saying so, naming the paths, and never
// prints a verdict: an empty directory, a directory of non-SQL files, one holding only
// down scripts (read with their up migration) or only hidden directories.
func TestNoMigrationFiles(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"empty/.keep":                      "",
		"docs/README.md":                   "# not a migration\n",
		"downs/000001_init.down.sql":       "DROP TABLE users;\n",
		"hidden/.git/0001.sql":             "SELECT 1;\n",
		"vendored/node_modules/x/0001.sql": "SELECT 1;\n",
		"migrations/000001_init.up.sql":    safeSQL,
		"migrations/000001_init.down.sql":  "SELECT 1;\n",
	})
	for _, args := range [][]string{
		{"check", "empty"}, {"check", "docs", "empty"}, {"check", "downs"}, {"check", "hidden"},
		{"check", "vendored"}, {"check", "--format", "json", "empty"}, {"fix", "empty"},
	} {
		out, stderr, code := run(t, dir, "", args...)
		paths := strings.Join(args[len(args)-1:], "")
		if args[1] == "docs" {
			paths = "docs, empty"
		}
		if code != 2 || !strings.Contains(stderr, "no migration files in "+paths+" (looked for *.sql files") || strings.Contains(out, "SAFE TO SHIP") {
			t.Errorf("migsafe %s: exit %d, stdout %q, stderr %q; want 2 naming %s", strings.Join(args, " "), code, out, stderr, paths)
		}
	}
	if out, stderr, code := run(t, dir, "", "check", "empty", "migrations"); code != 0 || !strings.Contains(out, "1 file checked") {
		t.Errorf("an empty directory beside migrations: exit %d, %q %q", code, out, stderr)
	}
}

func TestBadPath(t *testing.T) {
	dir := writeTree(t, map[string]string{"safe.sql": safeSQL})
	_, stderr, code := run(t, dir, "", "check", "safe.sql", "migrations/0042.sql")
	if code != 2 {
		t.Errorf("exit %d, want 2", code)
	}
	if !strings.Contains(stderr, "migrations/0042.sql: stat: no such file or directory") {
		t.Errorf("stderr does not name the file and why: %q", stderr)
	}
}

func TestUnreadableFileStillReportsOthers(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root reads files whatever their mode")
	}
	dir := writeTree(t, map[string]string{"block.sql": blockSQL, "secret.sql": safeSQL})
	if err := os.Chmod(filepath.Join(dir, "secret.sql"), 0); err != nil {
		t.Fatal(err)
	}
	out, stderr, code := run(t, dir, "", "check", "--format", "json", ".")
	if code != 2 || !strings.Contains(stderr, "secret.sql: open: permission denied") {
		t.Errorf("exit %d, stderr %q; want 2 naming secret.sql", code, stderr)
	}
	if r := decode(t, out); len(r.Files) != 1 || r.Files[0].Verdict != "BLOCK" {
		t.Errorf("the readable file was not reported: %+v", r.Files)
	}
}

// TestUncheckedFileIsNotSafe: a run that could not check a file (here its config is
// broken; unreadable files take the same path) exits 2, and its summary must not call
// the change SAFE TO SHIP on the strength of the files it did check.
func TestUncheckedFileIsNotSafe(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"safe.sql":         safeSQL,
		"bad/migsafe.toml": "pg_version = 9\n",
		"bad/0001_a.sql":   safeSQL,
		"bad/0002_b.sql":   safeSQL,
	})
	for format, want := range map[string]string{
		"text":     "1 file checked (1 SAFE TO SHIP), 2 files not checked (unreadable or misconfigured: the run's errors say why); 0 findings: 0 BLOCK, 0 FLAG. Verdict: BLOCK\n",
		"markdown": "# migsafe: 🛑 BLOCK\n\n1 file checked (1 SAFE TO SHIP), 2 files not checked",
		"json":     `"unchecked": 2,`,
	} {
		out, stderr, code := run(t, dir, "", "check", "--format", format, "safe.sql", "bad")
		if code != 2 || strings.Count(stderr, "pg_version: 9 is not a supported major") != 1 {
			t.Errorf("%s: exit %d, stderr %q; want 2 and the config's error once", format, code, stderr)
		}
		if !strings.Contains(out, want) {
			t.Errorf("%s: the summary does not say the run is incomplete (want %q):\n%s", format, want, out)
		}
		if format == "json" {
			if r := decode(t, out); r.Summary.Verdict != "BLOCK" || len(r.Files) != 1 || r.Files[0].Verdict != "SAFE TO SHIP" {
				t.Errorf("json: summary %+v, files %+v; want BLOCK over the one SAFE TO SHIP file checked", r.Summary, r.Files)
			}
		}
	}
	// Every file checked: no key, and the verdict is the files'.
	if out, _, code := run(t, dir, "", "check", "--format", "json", "safe.sql"); code != 0 || strings.Contains(out, "unchecked") || decode(t, out).Summary.Verdict != "SAFE TO SHIP" {
		t.Errorf("a complete run: exit %d\n%s", code, out)
	}
}

// TestUnverifiedRollbackIsNotSafe: check --verify-rollback that cannot run (here no
// PostgreSQL where MIGSAFE_PG_BIN_15 points) exits 2, and the summary must not call
// the change SAFE TO SHIP on its static verdict: the rollback was not verified as asked.
func TestUnverifiedRollbackIsNotSafe(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"migsafe.toml":       "pg_version = 15\n",
		"db/0001_a.up.sql":   "CREATE TABLE t (id bigint);\n",
		"db/0001_a.down.sql": "DROP TABLE t;\n",
	})
	t.Setenv("MIGSAFE_PG_BIN_15", t.TempDir())
	for format, want := range map[string]string{
		"text":     "1 file checked (1 SAFE TO SHIP), 1 rollback not verified (--verify-rollback could not run: the run's errors say why); 0 findings: 0 BLOCK, 0 FLAG. Verdict: BLOCK\n",
		"markdown": "# migsafe: 🛑 BLOCK\n\n1 file checked (1 SAFE TO SHIP), 1 rollback not verified",
		"json":     `"unverified": 1,`,
	} {
		out, stderr, code := run(t, dir, "", "check", "--verify-rollback", "--format", format, "db/0001_a.up.sql")
		if code != 2 || !strings.Contains(stderr, "--verify-rollback: PostgreSQL binaries not installed") {
			t.Errorf("%s: exit %d, stderr %q; want 2 and why the check could not run", format, code, stderr)
		}
		if !strings.Contains(out, want) {
			t.Errorf("%s: the summary does not say the rollback was not verified (want %q):\n%s", format, want, out)
		}
		if format == "json" {
			if r := decode(t, out); r.Summary.Verdict != "BLOCK" || len(r.Files) != 1 || r.Files[0].Verdict != "SAFE TO SHIP" {
				t.Errorf("json: summary %+v, files %+v; want BLOCK over the file's static SAFE TO SHIP", r.Summary, r.Files)
			}
		}
	}
	// Not asked to verify: no key, and the verdict is the file's.
	if out, _, code := run(t, dir, "", "check", "--format", "json", "db/0001_a.up.sql"); code != 0 || strings.Contains(out, "unverified") || decode(t, out).Summary.Verdict != "SAFE TO SHIP" {
		t.Errorf("without --verify-rollback: exit %d\n%s", code, out)
	}
}

func TestBadConfig(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"migsafe.toml":          "pg_version = 15\n[rules]\ndisable = [\"no-such-rule\"]\n",
		"db/0001_a.up.sql":      blockSQL,
		"db/0002_a.up.sql":      blockSQL,
		"other/broken.toml":     "pg_version = 99\n",
		"other/0001_b.up.sql":   safeSQL,
		"other/migsafe.toml":    "runner = \"goose\"\n\npg_version = = 15\n",
		"typed/migsafe.toml":    "pg_version = \"fifteen\"\n",
		"typed/0001_d.up.sql":   safeSQL,
		"good/migsafe.toml":     "pg_version = 15\n",
		"good/0001_c.up.sql":    safeSQL,
		"explicit/migsafe.toml": "pg_version = 99\n",
	})
	_, stderr, code := run(t, dir, "", "check", "db")
	if code != 2 || !strings.HasPrefix(stderr, "migsafe.toml:3:12: rules.disable: unknown rule \"no-such-rule\"") {
		t.Errorf("found config with unknown rule: exit %d, stderr %q", code, stderr)
	}
	if n := strings.Count(stderr, "\n"); n != 1 {
		t.Errorf("the bad config was reported %d times for two files, want once: %q", n, stderr)
	}
	_, stderr, code = run(t, dir, "", "check", "--config", "other/broken.toml", "good")
	if code != 2 || !strings.Contains(stderr, "other/broken.toml:1:14: pg_version: 99 is not a supported major") {
		t.Errorf("--config with bad pg_version: exit %d, stderr %q", code, stderr)
	}
	_, stderr, code = run(t, dir, "", "check", "other/0001_b.up.sql")
	if code != 2 || !strings.HasPrefix(stderr, "other/migsafe.toml:3:") {
		t.Errorf("config with a syntax error: exit %d, stderr %q; want the file and line", code, stderr)
	}
	_, stderr, code = run(t, dir, "", "check", "typed")
	if code != 2 || !strings.HasPrefix(stderr, "typed/migsafe.toml:1:14: pg_version: wrong type") {
		t.Errorf("config with a type error: exit %d, stderr %q; want the file and key", code, stderr)
	}
	// The path once: it was "nosuch.toml: open nosuch.toml: no such file or directory";
	// and the command and flag, as a bad path gets ("nosuch.toml: no such file" alone
	// named neither).
	if _, stderr, code = run(t, dir, "", "check", "--config", "nosuch.toml", "good"); code != 2 || stderr != "migsafe check: --config nosuch.toml: no such file or directory\n" {
		t.Errorf("--config naming no file: exit %d, stderr %q", code, stderr)
	}
	if _, stderr, code = run(t, dir, "", "check", "good"); code != 0 {
		t.Errorf("good config: exit %d, stderr %q", code, stderr)
	}
}

func TestConfigApplies(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"small/migsafe.toml": "[tables]\nusers = 40\n",
		"small/a.sql":        blockSQL,
		"big/migsafe.toml":   "[tables]\nusers = \"50M\"\n",
		"big/a.sql":          blockSQL,
	})
	out, _, code := run(t, dir, "", "check", "--format", "json", "small", "big")
	r := decode(t, out)
	if code != 1 || len(r.Files) != 2 {
		t.Fatalf("exit %d, files %+v", code, r.Files)
	}
	if r.Files[0].Path != "small/a.sql" || hasRule(r.Files[0].Findings, "require-concurrent-index-creation") || r.Files[0].Verdict == "BLOCK" {
		t.Errorf("small table: %+v, want no index finding (its config says 40 rows)", r.Files[0])
	}
	if r.Files[1].Path != "big/a.sql" || r.Files[1].Verdict != "BLOCK" {
		t.Errorf("big table: %+v, want BLOCK", r.Files[1])
	}
	// --config overrides the files found by walking up.
	out, _, code = run(t, dir, "", "check", "--format", "json", "--config", "small/migsafe.toml", "big")
	if r := decode(t, out); code != 0 || hasRule(r.Files[0].Findings, "require-concurrent-index-creation") {
		t.Errorf("--config small: exit %d, %+v", code, r.Files)
	}
}

// hasRule reports a finding of rule id; rules other than the one a test is about
// (require-lock-timeout fires on most files) are not its business.
func hasRule(fs []jsonFinding, id string) bool {
	for _, f := range fs {
		if f.Rule == id {
			return true
		}
	}
	return false
}

func TestStdin(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"db/migsafe.toml": "[tables]\nusers = 40\n",
	})
	// The config is found from the stdin filename: users is small there.
	out, stderr, code := run(t, dir, blockSQL, "check", "--format", "json", "--stdin-filename", "db/0001_x.up.sql")
	r := decode(t, out)
	if code != 0 || len(r.Files) != 1 || r.Files[0].Path != "db/0001_x.up.sql" || r.Files[0].Runner != "golang-migrate" || hasRule(r.Files[0].Findings, "require-concurrent-index-creation") {
		t.Errorf("stdin with filename: exit %d %+v %s", code, r, stderr)
	}
	out, _, code = run(t, dir, blockSQL, "check", "--format", "json", "-")
	r = decode(t, out)
	if code != 1 || r.Files[0].Path != "<stdin>" || r.Files[0].Findings[0].Rule != "require-concurrent-index-creation" {
		t.Errorf("stdin as -: exit %d %+v", code, r)
	}
	if _, _, code = run(t, dir, "", "check", "-", "-"); code != 2 {
		t.Errorf("- twice: exit %d, want 2", code)
	}
	// A stdin name with paths but no -: the piped text was silently left unread.
	if err := os.WriteFile(filepath.Join(dir, "db", "0001_a.up.sql"), []byte(safeSQL), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, stderr, code := run(t, dir, blockSQL, "check", "--stdin-filename", "db/0002_x.up.sql", "db/0001_a.up.sql"); code != 2 || out != "" ||
		stderr != "migsafe check: --stdin-filename db/0002_x.up.sql: give - among the paths to read standard input as it, or no path at all\n" {
		t.Errorf("--stdin-filename with a path and no -: exit %d, stdout %q, stderr %q", code, out, stderr)
	}
	out, _, code = run(t, dir, blockSQL, "check", "--format", "json", "--stdin-filename", "db/0002_x.up.sql", "db/0001_a.up.sql", "-")
	if r = decode(t, out); code != 0 || len(r.Files) != 2 || r.Files[1].Path != "db/0002_x.up.sql" {
		t.Errorf("--stdin-filename with a path and -: exit %d %+v", code, r)
	}
}

func TestDirectoryWalk(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"migrations/0001_a.up.sql":          safeSQL,
		"migrations/0001_a.down.sql":        "DROP TABLE pets;\n",
		"migrations/nested/0002_b.sql":      blockSQL,
		"migrations/README.md":              "not sql",
		"migrations/.hidden/x.sql":          blockSQL,
		"migrations/node_modules/pkg/x.sql": blockSQL,
		"migrations/vendor/x.sql":           blockSQL,
	})
	out, _, code := run(t, dir, "", "check", "--format", "json", "migrations")
	r := decode(t, out)
	var paths []string
	for _, f := range r.Files {
		paths = append(paths, f.Path)
	}
	// The down script is read with its up migration, not listed on its own.
	want := "migrations/0001_a.up.sql migrations/nested/0002_b.sql"
	if got := strings.Join(paths, " "); got != want || code != 1 {
		t.Errorf("walked %q (exit %d), want %q (exit 1)", got, code, want)
	}
	if r.Summary.Files != 2 || r.Summary.Block != 1 || r.Summary.Verdict != "BLOCK" {
		t.Errorf("summary %+v", r.Summary)
	}
}

func TestFormats(t *testing.T) {
	dir := writeTree(t, map[string]string{"migrations/0001_a.up.sql": "ALTER TABLE users ADD COLUMN phone text NOT NULL;\n"})
	checks := map[string]string{
		"text":     "migrations/0001_a.up.sql:1:41: BLOCK adding-required-column:",
		"json":     `"rule": "adding-required-column"`,
		"sarif":    `"ruleId": "adding-required-column"`,
		"markdown": "## 🛑 BLOCK — [`migrations/0001_a.up.sql`]",
		"github":   "::error file=migrations/0001_a.up.sql,line=1,col=41,endLine=1,endColumn=49,title=adding-required-column::",
	}
	for format, want := range checks {
		out, stderr, code := run(t, dir, "", "check", "--format", format, "migrations")
		if code != 1 || !strings.Contains(out, want) {
			t.Errorf("--format %s: exit %d, output lacks %q:\n%s%s", format, code, want, out, stderr)
		}
		if strings.Contains(out, "\x1b[") {
			t.Errorf("--format %s: colour escapes with NO_COLOR and no terminal", format)
		}
	}
}

func TestExplainAndRules(t *testing.T) {
	out, _, _ := run(t, ".", "", "explain", "adding-required-column")
	if !strings.HasPrefix(out, "# adding-required-column\n") || !strings.Contains(out, "Category: constraint-validation. Status: BLOCK.") {
		t.Errorf("explain output:\n%s", out)
	}
	// An ID in other case names the same rule or problem.
	for _, id := range []string{"Adding-Required-Column", "ADDING-REQUIRED-COLUMN"} {
		if o, e, code := run(t, ".", "", "explain", id); code != 0 || !strings.HasPrefix(o, "# adding-required-column\n") {
			t.Errorf("explain %s: exit %d, %q %q", id, code, o, e)
		}
	}
	if o, _, code := run(t, ".", "", "explain", "Syntax-Error"); code != 0 || !strings.HasPrefix(o, "# syntax-error\n") {
		t.Errorf("explain Syntax-Error: exit %d, %q", code, o)
	}
	_, stderr, _ := run(t, ".", "", "explain", "adding-requried-column")
	if !strings.Contains(stderr, "migsafe rules") || !strings.Contains(stderr, "adding-required-column") {
		t.Errorf("unknown rule hint: %q", stderr)
	}
	out, _, _ = run(t, ".", "", "rules")
	if !strings.Contains(out, "adding-required-column") || !strings.Contains(out, "constraint-validation") {
		t.Errorf("rules output:\n%s", out)
	}
	out, _, _ = run(t, ".", "", "version")
	if !strings.Contains(out, "go1.") || !strings.Contains(out, "pg_query_go v5") || !strings.Contains(out, "PostgreSQL 16") {
		t.Errorf("version output:\n%s", out)
	}
}

// TestExplainSyntaxError: syntax-error is reported for every refusal that makes the
// migration fail, not only PostgreSQL's parser's; its explanation names each source the
// messages come from (engine/migration's runner checks, engine/orm's languages).
func TestExplainSyntaxError(t *testing.T) {
	out, _, code := run(t, ".", "", "explain", "syntax-error")
	for _, want := range []string{"PostgreSQL's parser", "goose refuses this migration", "dbmate refuses this migration", "Ruby syntax error", "Python", "JavaScript", "TypeScript"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("explain syntax-error (exit %d) does not mention %q:\n%s", code, want, out)
		}
	}
}

// TestCheckInProcess runs check in the test process over the rule fixtures, so
// `go test -race` sees the parallel analysis; the output must not depend on the
// order the workers finish in.
func TestCheckInProcess(t *testing.T) {
	var first string
	for i := 0; i < 3; i++ {
		var out, errb bytes.Buffer
		code := check([]string{"--format", "json", "../../testdata/rules"}, strings.NewReader(""), &out, &errb)
		if code != 1 || errb.Len() > 0 {
			t.Fatalf("exit %d, stderr %s", code, errb.String())
		}
		if i == 0 {
			first = out.String()
			if r := decode(t, first); r.Summary.Files < 5 || r.Summary.Verdict != "BLOCK" {
				t.Fatalf("summary %+v", r.Summary)
			}
		} else if out.String() != first {
			t.Fatal("two runs over the same files gave different output")
		}
	}
}

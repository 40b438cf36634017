package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestHelp: -h and --help on every subcommand print its usage on stdout and exit 0;
// `migsafe help CMD` is the same; an unknown command is a usage error.
func TestHelp(t *testing.T) {
	for name := range commands {
		for _, args := range [][]string{{name, "--help"}, {name, "-h"}, {"help", name}} {
			out, stderr, code := run(t, ".", "", args...)
			if code != 0 || !strings.Contains(out, "usage: migsafe "+name) {
				t.Errorf("migsafe %s: exit %d, stdout %q, stderr %q", strings.Join(args, " "), code, out, stderr)
			}
		}
	}
	if out, _, code := run(t, ".", "", "help"); code != 0 || !strings.Contains(out, "commands:") {
		t.Errorf("migsafe help: exit %d, %q", code, out)
	}
	// help is a command too: `help help` said `unknown command "help"` and exited 2.
	for _, arg := range []string{"help", "-h", "--help"} {
		if out, stderr, code := run(t, ".", "", "help", arg); code != 0 || !strings.HasPrefix(out, "usage: migsafe help [COMMAND]") {
			t.Errorf("migsafe help %s: exit %d, stdout %q, stderr %q", arg, code, out, stderr)
		}
	}
	if _, stderr, code := run(t, ".", "", "help", "chekc"); code != 2 || !strings.Contains(stderr, `unknown command "chekc"`) {
		t.Errorf("migsafe help chekc: exit %d, %q", code, stderr)
	}
	if _, stderr, code := run(t, ".", "", "check", "--frmat", "json", "x.sql"); code != 2 || !strings.Contains(stderr, "usage: migsafe check") {
		t.Errorf("a bad flag: exit %d, %q", code, stderr)
	}
}

// TestFileProblemsDocumented: the problems reported for a file are explained and listed
// like rules.
func TestFileProblemsDocumented(t *testing.T) {
	list, _, _ := run(t, ".", "", "rules")
	for _, id := range []string{"syntax-error", "invalid-ignore", "rollback-roundtrip"} {
		out, stderr, code := run(t, ".", "", "explain", id)
		if code != 0 || !strings.HasPrefix(out, "# "+id+"\n") || !strings.Contains(out, "Status: ") {
			t.Errorf("explain %s: exit %d, %q %q", id, code, out, stderr)
		}
		if !regexp.MustCompile(`(?m)^` + id + `\s+\(file problem\)\s+(BLOCK|FLAG)\s`).MatchString(list) {
			t.Errorf("rules does not list %s:\n%s", id, list)
		}
	}
}

// TestCheckManners: --fail-on and --format ignore case; the summary line names what it
// counts; gitlab output is GitLab's code quality JSON.
func TestCheckManners(t *testing.T) {
	dir := writeTree(t, map[string]string{"0001_idx.sql": blockSQL, "0002_safe.sql": safeSQL})
	out, stderr, code := run(t, dir, "", "check", "--fail-on", "NEVER", "--format", "Text", ".")
	if code != 0 {
		t.Fatalf("--fail-on NEVER: exit %d: %s", code, stderr)
	}
	if !regexp.MustCompile(`(?m)^2 files checked \(1 BLOCK, 1 SAFE TO SHIP\); 2 findings: 1 BLOCK, 1 FLAG\. Verdict: BLOCK$`).MatchString(out) {
		t.Errorf("summary line:\n%s", out)
	}
	out, _, code = run(t, dir, "", "check", "--format", "gitlab", ".")
	var issues []struct {
		CheckName   string `json:"check_name"`
		Severity    string
		Fingerprint string
		Location    struct {
			Path  string
			Lines struct{ Begin int }
		}
	}
	if err := json.Unmarshal([]byte(out), &issues); err != nil || code != 1 {
		t.Fatalf("--format gitlab: exit %d, %v:\n%s", code, err, out)
	}
	seen := map[string]bool{}
	for _, is := range issues {
		if is.Location.Path != "0001_idx.sql" || is.Location.Lines.Begin != 1 || len(is.Fingerprint) != 32 || seen[is.Fingerprint] {
			t.Errorf("gitlab issue %+v", is)
		}
		seen[is.Fingerprint] = true
		if is.CheckName == "require-concurrent-index-creation" && is.Severity != "blocker" {
			t.Errorf("a BLOCK is %q in GitLab, want blocker", is.Severity)
		}
	}
	if len(issues) != 2 {
		t.Errorf("%d gitlab issues, want 2", len(issues))
	}
}

// TestVersionFromLdflags: a release build names its version and commit in `version`
// and in SARIF's driver.version.
func TestVersionFromLdflags(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "migsafe")
	const rev = "0123456789abcdef0123456789abcdef01234567"
	build := exec.Command("go", "build", "-ldflags", "-X main.buildVersion=v9.8.7 -X main.buildRevision="+rev+" -X main.buildTime=2026-01-02T03:04:05Z", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "version").Output()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(out), "migsafe v9.8.7 (0123456789ab)\nrevision "+rev+" (2026-01-02T03:04:05Z)\n") {
		t.Errorf("version output:\n%s", out)
	}
	dir := writeTree(t, map[string]string{"0001_idx.sql": blockSQL})
	cmd := exec.Command(bin, "check", "--format", "sarif", "0001_idx.sql")
	cmd.Dir = dir
	sarif, _ := cmd.Output()
	var log struct {
		Runs []struct {
			Tool struct{ Driver struct{ Version string } }
		}
	}
	if err := json.Unmarshal(sarif, &log); err != nil || len(log.Runs) != 1 || log.Runs[0].Tool.Driver.Version != "v9.8.7 (0123456789ab)" {
		t.Errorf("SARIF driver.version: %v %+v", err, log)
	}
}

// TestLSPFramingErrorExits: the real binary, given a frame it cannot read, exits 1 at
// once instead of waiting on a client that waits on it.
func TestLSPFramingErrorExits(t *testing.T) {
	cmd := exec.Command(binary, "lsp")
	cmd.Stdin = strings.NewReader("Content-Length: 12x\r\n\r\n{}")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		ee, ok := err.(*exec.ExitError)
		if !ok || ee.ExitCode() != 1 {
			t.Errorf("migsafe lsp exited with %v, want code 1", err)
		}
		if !strings.Contains(stderr.String(), `invalid Content-Length \"12x\"`) {
			t.Errorf("log does not name the bad header:\n%s", stderr.String())
		}
	case <-time.After(20 * time.Second):
		cmd.Process.Kill()
		t.Fatal("migsafe lsp did not exit on a broken frame")
	}
}

// Output that cannot be written is an error (exit 2, saying so), never a success with
// nothing written: `fix > plan.diff` on a full disk exited 0 with the patch cut short,
// and `explain`, `version` and help the same.
func TestOutputThatCannotBeWrittenFails(t *testing.T) {
	full, err := os.OpenFile("/dev/full", os.O_WRONLY, 0)
	if err != nil {
		t.Skip("no /dev/full:", err)
	}
	defer full.Close()
	dir := writeTree(t, map[string]string{"a.sql": blockSQL})
	for _, args := range [][]string{{"check", "a.sql"}, {"fix", "a.sql"}, {"explain", "dropping-table"}, {"explain", "syntax-error"}, {"rules"}, {"runbook", "a.sql"},
		// version and the help in each of its forms: a flag set's, a command's own, main's.
		{"version"}, {"--version"}, {"help"}, {"help", "help"}, {"help", "check"}, {"--help"}, {"-h"}, {"check", "-h"}, {"version", "-h"}, {"explain", "--help"}, {"rules", "-h"}} {
		cmd := exec.Command(binary, args...)
		cmd.Dir = dir
		var errb strings.Builder
		cmd.Stdout, cmd.Stderr = full, &errb
		err := cmd.Run()
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != 2 || !strings.Contains(errb.String(), "no space left on device") {
			t.Errorf("migsafe %s > /dev/full: %v, stderr %q; want exit 2 naming the write error", strings.Join(args, " "), err, errb.String())
		}
	}
}

// The server starts the way VS Code starts it: vscode-languageclient runs a stdio
// server as `COMMAND ARGS... --stdio`, and --stdio was an unknown flag (exit 2 before
// the first message). Usage errors a launch config makes are refused, not taken.
func TestLSPStartsAsClientsLaunchIt(t *testing.T) {
	init := `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"processId":null,"rootUri":null,"capabilities":{}}}`
	exit := `{"jsonrpc":"2.0","method":"exit"}`
	in := fmt.Sprintf("Content-Length: %d\r\n\r\n%sContent-Length: %d\r\n\r\n%s", len(init), init, len(exit), exit)
	out, stderr, _ := run(t, ".", in, "lsp", "--stdio")
	if !strings.Contains(out, `"id":1`) || !strings.Contains(out, `"capabilities"`) {
		t.Errorf("migsafe lsp --stdio did not answer initialize: stdout %q, stderr %q", out, stderr)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"lsp", "--debounce", "-5ms"}, "migsafe lsp: --debounce -5ms: must not be negative\n"},
		{[]string{"lsp", "extra"}, "migsafe lsp: unexpected argument \"extra\" (the server speaks on stdin and stdout; see migsafe lsp -h)\n"},
	} {
		if _, stderr, code := run(t, ".", "", c.args...); code != 2 || stderr != c.want {
			t.Errorf("migsafe %v: exit %d, stderr %q; want 2 and %q", c.args, code, stderr, c.want)
		}
	}
}

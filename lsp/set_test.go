package lsp

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.lsp.dev/protocol"
)

// TestDuplicateVersionDiagnostic: two migrations of one version are refused by the
// runner, and check reports it as a syntax-error BLOCK on the one ordered later; the
// editor shows the same on that document's line 1, and nothing on the other.
func TestDuplicateVersionDiagnostic(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "1_a.up.sql"), filepath.Join(dir, "001_b.up.sql")
	for p, text := range map[string]string{a: "CREATE TABLE a (id int);\n", b: "CREATE TABLE b (id int);\n"} {
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	c := newClient(t, Options{})
	c.initialize("", "")
	ua, ub := fileURI(a), fileURI(b)
	c.open(ua, "CREATE TABLE a (id int);\n")
	p := c.waitDiags(ua, 1)
	d := find(p.Diagnostics, "syntax-error")
	if d == nil || d.Severity != protocol.DiagnosticSeverityError || d.Range.Start.Line != 0 ||
		!strings.Contains(d.Message, "golang-migrate refuses this set: "+b+" has this migration's version (1)") {
		t.Fatalf("1_a.up.sql diagnostics = %+v, want the duplicate version as a syntax-error on line 1", p.Diagnostics)
	}
	c.open(ub, "CREATE TABLE b (id int);\n")
	if p := c.waitDiags(ub, 1); find(p.Diagnostics, "syntax-error") != nil {
		t.Errorf("001_b.up.sql, ordered first, has %+v", p.Diagnostics)
	}
}

// TestMigrationCreatedWhileOpen: a migration written to disk while a later one is
// open (a git checkout, a file made outside the editor) is in that one's history once
// the client reports it with didChangeWatchedFiles.
func TestMigrationCreatedWhileOpen(t *testing.T) {
	dir := t.TempDir()
	first := filepath.Join(dir, "0001_users.up.sql")
	second := filepath.Join(dir, "0002_widen.up.sql")
	const widen = "SET lock_timeout = '5s';\nALTER TABLE users ALTER COLUMN name TYPE varchar(200);\n"
	if err := os.WriteFile(second, []byte(widen), 0o644); err != nil {
		t.Fatal(err)
	}
	c := newClient(t, Options{})
	c.initialize("", "")
	u2 := fileURI(second)
	c.open(u2, widen)
	if p := c.waitDiags(u2, 1); find(p.Diagnostics, "changing-column-type") == nil {
		t.Fatalf("users unknown: the type change is reported; got %v", codes(p.Diagnostics))
	}
	if err := os.WriteFile(first, []byte("CREATE TABLE users (id bigint PRIMARY KEY, name varchar(100));\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	watched := func(typ protocol.FileChangeType, reported bool, why string) {
		t.Helper()
		c.notify(protocol.MethodWorkspaceDidChangeWatchedFiles, protocol.DidChangeWatchedFilesParams{Changes: []*protocol.FileEvent{
			{URI: protocol.DocumentURI(fileURI(first)), Type: typ}}})
		deadline := time.After(10 * time.Second)
		for {
			select {
			case p := <-c.diags:
				if string(p.URI) == u2 && (find(p.Diagnostics, "changing-column-type") != nil) == reported {
					return
				}
			case <-deadline:
				t.Fatal(why)
			}
		}
	}
	watched(protocol.FileChangeTypeCreated, false, "0001 created on disk: 0002 was not analysed again against it (varchar(100) -> varchar(200) widens)")
	// Changed in place (the directory's listing is the same): varchar(250) makes the ALTER narrow it.
	if err := os.WriteFile(first, []byte("CREATE TABLE users (id bigint PRIMARY KEY, name varchar(250));\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	watched(protocol.FileChangeTypeChanged, true, "0001 changed on disk to varchar(250): 0002's narrowing is not reported")
}

// TestRunnerRefusalDiagnostics: what goose and dbmate refuse (an unclosed
// StatementBegin, a second Down, a dbmate file without its down block) is shown where
// check reports it, as an Error over the annotation's comment.
func TestRunnerRefusalDiagnostics(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		name, text string
		lines      []uint32
		say        string
	}{
		{"goose/20240101000000_d.sql", "-- +goose Up\nCREATE TABLE d (id int);\n-- +goose StatementBegin\nSELECT 1;\n-- +goose Down\n-- +goose Down\nDROP TABLE d;\n",
			[]uint32{2, 5}, "goose refuses this migration"},
		{"dbmate/20240101000000_c.sql", "-- migrate:up\nCREATE TABLE c (id int);\n", []uint32{0}, "dbmate refuses this migration"},
	}
	c := newClient(t, Options{})
	c.initialize("", "")
	for _, tc := range cases {
		path := filepath.Join(dir, tc.name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(tc.text), 0o644); err != nil {
			t.Fatal(err)
		}
		u := fileURI(path)
		c.open(u, tc.text)
		var got []uint32
		for _, d := range c.waitDiags(u, 1).Diagnostics {
			if d.Code != "syntax-error" {
				continue
			}
			got = append(got, d.Range.Start.Line)
			line := strings.Split(tc.text, "\n")[d.Range.Start.Line]
			if d.Severity != protocol.DiagnosticSeverityError || d.Range.Start.Character != 0 || d.Range.End != (protocol.Position{Line: d.Range.Start.Line, Character: uint32(len(line))}) ||
				!strings.Contains(d.Message, tc.say) {
				t.Errorf("%s: %+v, want an Error over %q saying %q", tc.name, d, line, tc.say)
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(tc.lines) {
			t.Errorf("%s: syntax-error on lines %v, want %v", tc.name, got, tc.lines)
		}
	}
}

// TestPullClientRefreshedWhenHistoryChanges: a client that pulls (VS Code) asks for
// the diagnostics of the document it edits; a later migration open beside it, which
// the edit re-judges, is pulled again only when the server asks for it
// (workspace/diagnostic/refresh). Its diagnostics stayed those of the old history.
func TestPullClientRefreshedWhenHistoryChanges(t *testing.T) {
	dir := t.TempDir()
	first := filepath.Join(dir, "0001_users.up.sql")
	second := filepath.Join(dir, "0002_widen.up.sql")
	const users = "CREATE TABLE users (id bigint PRIMARY KEY, name varchar(100));\n"
	const widen = "SET lock_timeout = '5s';\nALTER TABLE users ALTER COLUMN name TYPE varchar(200);\n"
	for p, text := range map[string]string{first: users, second: widen} {
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	c := newClient(t, Options{})
	c.initialize(`{"textDocument": {"diagnostic": {}}, "workspace": {"diagnostics": {"refreshSupport": true}}}`, "")
	u1, u2 := fileURI(first), fileURI(second)
	pull := func(uri string) []protocol.Diagnostic {
		t.Helper()
		var r fullReport
		if err := c.call(methodDiagnostic, map[string]any{"textDocument": map[string]string{"uri": uri}}, &r); err != nil {
			t.Fatal(err)
		}
		return r.Items
	}
	c.open(u2, widen)
	if d := pull(u2); find(d, "changing-column-type") != nil {
		t.Fatalf("widening reported: %v", codes(d))
	}
	c.open(u1, users)
	pull(u1)
	// The user makes the column wider in 0001: 0002's ALTER now narrows it.
	c.change(u1, 2, rng(0, 56, 0, 59), "300")
	pull(u1)
	select {
	case <-c.refresh:
	case <-time.After(5 * time.Second):
		t.Fatal("no workspace/diagnostic/refresh after 0001's edit changed 0002's history")
	}
	if d := pull(u2); find(d, "changing-column-type") == nil {
		t.Errorf("0002 pulled after the refresh: %v, want the narrowing reported", codes(d))
	}
}

// TestEditOfABufferSavedUnderANewName: Emacs' write-file (eglot 1.x) and Neovim 0.7's
// :saveas keep the document open under its old name and send its edits under the new
// one. The server opens the new file as just written and applies them: the edits were
// ignored ("not open") and the diagnostics stayed those of the text before.
func TestEditOfABufferSavedUnderANewName(t *testing.T) {
	dir := t.TempDir()
	old, renamed := filepath.Join(dir, "0001_a.sql"), filepath.Join(dir, "0002_b.sql")
	text := createIdx + "\n"
	for _, p := range []string{old, renamed} {
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	c := newClient(t, Options{})
	c.initialize("", "")
	c.open(fileURI(old), text)
	c.waitDiags(fileURI(old), 1)
	u := fileURI(renamed)
	c.change(u, 5, rng(0, 0, 0, 0), "-- migsafe:ignore "+indexRule+" -- small table\n")
	deadline := time.After(10 * time.Second)
	for {
		select {
		case p := <-c.diags:
			if string(p.URI) == u && p.Version != nil && *p.Version == 5 {
				if find(p.Diagnostics, indexRule) != nil {
					t.Errorf("the edit under the new name was not applied: %v", codes(p.Diagnostics))
				}
				if got := c.text(u); got != "-- migsafe:ignore "+indexRule+" -- small table\n"+text {
					t.Errorf("server text %q", got)
				}
				return
			}
		case <-deadline:
			t.Fatal("no diagnostics for the edit under the new name")
		}
	}
}

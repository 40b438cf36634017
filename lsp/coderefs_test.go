package lsp

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.lsp.dev/protocol"

	"github.com/migsafe/migsafe/engine/coderefs"
	"github.com/migsafe/migsafe/engine/coderefs/coderefstest"
)

// TestCodeReferencesFollowFileChanges: in a workspace, drop findings name the code
// that still uses the column (as related information), and follow the code as it
// changes on disk; the runbook code lens runs migsafe.runbook.
func TestCodeReferencesFollowFileChanges(t *testing.T) {
	repo := coderefstest.Repo(t, "../testdata/coderefs/shop", "../testdata/coderefs/shop-base")
	c := newClient(t, Options{})
	var res map[string]any
	params := json.RawMessage(`{"processId": 1, "rootUri": "` + pathURI(repo) + `", "capabilities": {}}`)
	if err := c.call(protocol.MethodInitialize, params, &res); err != nil {
		t.Fatal(err)
	}
	c.notify(protocol.MethodInitialized, struct{}{})
	path := filepath.Join(repo, "migrations", "000002_contract.up.sql")
	text, _ := os.ReadFile(path)
	uri := pathURI(path)
	c.open(uri, string(text))

	diag := func(p publishParams, code string, line uint32) *protocol.Diagnostic {
		for i, d := range p.Diagnostics {
			if d.Code == code && d.Range.Start.Line == line {
				return &p.Diagnostics[i]
			}
		}
		t.Fatalf("no %s diagnostic on line %d in %+v", code, line+1, p.Diagnostics)
		return nil
	}
	p := c.waitDiags(uri, 1)
	d := diag(p, "removing-used-object", 0)
	if d.Severity != protocol.DiagnosticSeverityError {
		t.Errorf("users.nickname: severity %v, want Error (BLOCK)", d.Severity)
	}
	var related []string
	for _, r := range d.RelatedInformation {
		related = append(related, strings.TrimPrefix(string(r.Location.URI), pathURI(repo)+"/")+":"+strconv.Itoa(int(r.Location.Range.Start.Line)+1))
	}
	if got := strings.Join(related, " "); !strings.Contains(got, "app/models/user.rb:5") || !strings.Contains(got, "internal/store/users.go:") {
		t.Errorf("related information %q", got)
	}
	if diag(p, "removing-used-object", 2).Severity != protocol.DiagnosticSeverityError {
		t.Error("accounts.legacy_code: want Error while the Django model maps it")
	}

	// The Django model stops mapping legacy_code: the finding drops to FLAG.
	models := filepath.Join(repo, "profiles", "models.py")
	if err := os.WriteFile(models, []byte("from django.db import models\n\n\nclass Account(models.Model):\n    name = models.CharField(max_length=100)\n\n    class Meta:\n        db_table = \"accounts\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c.notify(protocol.MethodWorkspaceDidChangeWatchedFiles, protocol.DidChangeWatchedFilesParams{Changes: []*protocol.FileEvent{{URI: protocol.DocumentURI(pathURI(models)), Type: protocol.FileChangeTypeChanged}}})
	p = c.waitDiags(uri, 1)
	if d := diag(p, "removing-used-object", 2); d.Severity != protocol.DiagnosticSeverityWarning || len(d.RelatedInformation) != 0 {
		t.Errorf("after the model change: severity %v, related %v; want Warning and none", d.Severity, d.RelatedInformation)
	}

	var lenses []protocol.CodeLens
	if err := c.call(protocol.MethodTextDocumentCodeLens, protocol.CodeLensParams{TextDocument: protocol.TextDocumentIdentifier{URI: protocol.DocumentURI(uri)}}, &lenses); err != nil {
		t.Fatal(err)
	}
	var cmd *protocol.Command
	for _, l := range lenses {
		if l.Command != nil && l.Command.Command == commandRunbook {
			cmd = l.Command
		}
	}
	if cmd == nil {
		t.Fatalf("no runbook lens in %+v", lenses)
	}
	var md string
	if err := c.call(protocol.MethodWorkspaceExecuteCommand, protocol.ExecuteCommandParams{Command: cmd.Command, Arguments: cmd.Arguments}, &md); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"# Runbook: ", "## Verification", "## Rollback", "`app/models/user.rb:1`"} {
		if !strings.Contains(md, want) {
			t.Errorf("runbook has no %q:\n%s", want, md)
		}
	}
	if err := c.call(protocol.MethodWorkspaceExecuteCommand, protocol.ExecuteCommandParams{Command: "migsafe.nope"}, &md); err == nil || !strings.Contains(err.Error(), "unknown command") {
		t.Errorf("unknown command: %v", err)
	}
}

// TestDiagnosticsWhileTheCodeIndexBuilds: a workspace whose code takes long to index
// (a monorepo, a root of /tmp) gets its diagnostics at once, judged without code
// uses, and again with them once the index is ready; a pull answered before is
// refreshed. The analysis waited for the whole index: nothing was shown meanwhile.
func TestDiagnosticsWhileTheCodeIndexBuilds(t *testing.T) {
	repo := coderefstest.Repo(t, "../testdata/coderefs/shop", "../testdata/coderefs/shop-base")
	c := newClient(t, Options{})
	release := make(chan struct{})
	c.srv.warm = func(ws *coderefs.Workspace) error {
		<-release
		return ws.Warm()
	}
	var res map[string]any
	params := json.RawMessage(`{"processId": 1, "rootUri": "` + pathURI(repo) + `", "capabilities": {}}`)
	if err := c.call(protocol.MethodInitialize, params, &res); err != nil {
		t.Fatal(err)
	}
	c.notify(protocol.MethodInitialized, struct{}{})
	path := filepath.Join(repo, "migrations", "000002_contract.up.sql")
	text, _ := os.ReadFile(path)
	uri := pathURI(path)
	c.open(uri, string(text))
	related := func(p publishParams) int {
		n := 0
		for _, d := range p.Diagnostics {
			if d.Code == "removing-used-object" {
				n += len(d.RelatedInformation)
			}
		}
		return n
	}
	select {
	case p := <-c.diags:
		if related(p) != 0 {
			t.Errorf("code uses before the index was built: %+v", p.Diagnostics)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no diagnostics while the code index builds")
	}
	close(release)
	deadline := time.After(10 * time.Second)
	for {
		select {
		case p := <-c.diags:
			if related(p) > 0 {
				return
			}
		case <-deadline:
			t.Fatal("not analysed again with the code uses once the index was built")
		}
	}
}

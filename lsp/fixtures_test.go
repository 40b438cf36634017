package lsp

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"go.lsp.dev/protocol"

	"github.com/migsafe/migsafe/engine/migration"
)

// editingClient can apply any workspace edit migsafe sends: documentChanges with
// CreateFile and DeleteFile.
const editingClient = `{"workspace": {"workspaceEdit": {"documentChanges": true, "resourceOperations": ["create", "delete"]}}}`

var (
	fixDirectiveRe    = regexp.MustCompile(`--\s*fix:\s*(\S+)`)
	configDirectiveRe = regexp.MustCompile(`(?m)--\s*config:\s?(.*)$`)
)

// The language server offers, for each risky statement of the fix fixtures, the fixes
// `migsafe fix` would apply, in the same order; applying an action's workspace edit to
// the fixture's directory gives exactly the files the CLI writes for that fix
// (testdata/fixes/<case>/expected-N).
func TestCodeActionsOfFixFixtures(t *testing.T) {
	root := filepath.Join("..", "testdata", "fixes")
	entries, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	c := newClient(t, Options{})
	c.initialize(editingClient, "")
	version := int32(0)
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		fixture := filepath.Join(root, e.Name())
		t.Run(e.Name(), func(t *testing.T) {
			dir := copyTree(t, filepath.Join(fixture, "input"))
			path, rule, line := fixTarget(t, dir)
			text, _ := os.ReadFile(path)
			// The fixture's `-- config:` lines are what migsafe.toml says to the server.
			var conf []string
			for _, m := range configDirectiveRe.FindAllStringSubmatch(string(text), -1) {
				conf = append(conf, m[1])
			}
			if len(conf) > 0 {
				if err := os.WriteFile(filepath.Join(dir, "migsafe.toml"), []byte(strings.Join(conf, "\n")+"\n"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			uri := pathURI(path)
			version++
			c.notify(protocol.MethodTextDocumentDidOpen, protocol.DidOpenTextDocumentParams{TextDocument: protocol.TextDocumentItem{
				URI: protocol.DocumentURI(uri), LanguageID: "sql", Version: version, Text: string(text)}})
			c.waitDiags(uri, version)
			var actions []fullAction
			if err := c.call(protocol.MethodTextDocumentCodeAction, protocol.CodeActionParams{
				TextDocument: protocol.TextDocumentIdentifier{URI: protocol.DocumentURI(uri)},
				Range:        *rng(line, 0, line, 0),
			}, &actions); err != nil {
				t.Fatal(err)
			}
			c.notify(protocol.MethodTextDocumentDidClose, protocol.DidCloseTextDocumentParams{TextDocument: protocol.TextDocumentIdentifier{URI: protocol.DocumentURI(uri)}})
			var got []string
			n := 0
			for _, a := range actions {
				if len(a.Diagnostics) == 0 || a.Diagnostics[0].Code != rule || strings.HasPrefix(a.Title, "Ignore ") {
					continue
				}
				n++
				got = append(got, fmt.Sprintf("%d %s preferred=%v: %s", n, a.Kind, a.IsPreferred, a.Title))
				out := copyTree(t, filepath.Join(fixture, "input"))
				changed := applyWorkspaceEdit(t, a.Edit, dir, out)
				name := "expected"
				if n > 1 {
					name = fmt.Sprintf("expected-%d", n)
				}
				compareFixed(t, filepath.Join(fixture, name), out, changed)
				if a.IsPreferred {
					version = checkAppliedPhases(t, c, out, changed, rule, version)
				}
			}
			want, err := os.ReadFile(filepath.Join(fixture, "fixes.golden"))
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(got, "\n")+"\n" != string(want) {
				t.Errorf("code actions for %s:\n%s\nwant (fixes.golden):\n%s", rule, strings.Join(got, "\n"), want)
			}
		})
	}
}

// checkAppliedPhases opens the migrations the preferred action created, in the
// directory it was applied to, as an editor does next: the server judges each in its
// set, where it must carry no ignore that suppresses nothing and not draw the rule the
// action fixed. It returns the last document version used.
func checkAppliedPhases(t *testing.T, c *testClient, out string, changed map[string]bool, rule string, version int32) int32 {
	t.Helper()
	for rel := range changed {
		p := filepath.Join(out, rel)
		data, err := os.ReadFile(p)
		if err != nil || !strings.HasSuffix(rel, ".sql") || migration.DownOnly(rel) || strings.Contains(string(data), "migsafe:pending") {
			continue
		}
		uri := pathURI(p)
		version++
		c.notify(protocol.MethodTextDocumentDidOpen, protocol.DidOpenTextDocumentParams{TextDocument: protocol.TextDocumentItem{
			URI: protocol.DocumentURI(uri), LanguageID: "sql", Version: version, Text: string(data)}})
		for _, d := range c.waitDiags(uri, version).Diagnostics {
			if code := fmt.Sprint(d.Code); code == "invalid-ignore" || code == rule {
				t.Errorf("%s after the action: %s: %s", rel, code, d.Message)
			}
		}
		c.notify(protocol.MethodTextDocumentDidClose, protocol.DidCloseTextDocumentParams{TextDocument: protocol.TextDocumentIdentifier{URI: protocol.DocumentURI(uri)}})
	}
	return version
}

type fullAction struct {
	Title       string                `json:"title"`
	Kind        string                `json:"kind"`
	IsPreferred bool                  `json:"isPreferred"`
	Diagnostics []protocol.Diagnostic `json:"diagnostics"`
	Edit        json.RawMessage       `json:"edit"`
}

// fixTarget finds the `-- fix: RULE` directive: its file, rule and 0-based line.
func fixTarget(t *testing.T, dir string) (string, string, uint32) {
	var path, rule string
	var line uint32
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, _ := os.ReadFile(p)
		for i, l := range strings.Split(string(data), "\n") {
			if m := fixDirectiveRe.FindStringSubmatch(l); m != nil {
				path, rule, line = p, m[1], uint32(i)
				if strings.HasPrefix(strings.TrimSpace(l), "--") {
					line++ // the directive is on the line before the statement
				}
			}
		}
		return nil
	})
	if path == "" {
		t.Fatalf("%s: no -- fix: directive", dir)
	}
	return path, rule, line
}

func copyTree(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	if out, err := exec.Command("cp", "-a", src+"/.", dst).CombinedOutput(); err != nil {
		t.Fatalf("cp: %v %s", err, out)
	}
	return dst
}

// applyWorkspaceEdit applies an edit made for files in dir to the same files in out,
// as an editor would, and returns the paths (relative) it changed or created.
func applyWorkspaceEdit(t *testing.T, raw json.RawMessage, dir, out string) map[string]bool {
	t.Helper()
	var we struct {
		Changes         map[string][]protocol.TextEdit `json:"changes"`
		DocumentChanges []json.RawMessage              `json:"documentChanges"`
	}
	if err := json.Unmarshal(raw, &we); err != nil {
		t.Fatal(err)
	}
	changed := map[string]bool{}
	local := func(uri string) (string, string) {
		u, err := url.Parse(uri)
		if err != nil {
			t.Fatal(err)
		}
		rel, err := filepath.Rel(dir, u.Path)
		if err != nil || strings.HasPrefix(rel, "..") {
			t.Fatalf("edit of %s outside the fixture", uri)
		}
		return filepath.Join(out, rel), rel
	}
	edit := func(uri string, edits []protocol.TextEdit) {
		p, rel := local(uri)
		old, _ := os.ReadFile(p)
		if err := os.WriteFile(p, []byte(applyEdits(string(old), edits, migration.UTF16)), 0o644); err != nil {
			t.Fatal(err)
		}
		changed[rel] = true
	}
	for uri, edits := range we.Changes {
		edit(uri, edits)
	}
	for _, dc := range we.DocumentChanges {
		var op struct {
			Kind         string `json:"kind"`
			URI          string `json:"uri"`
			TextDocument struct {
				URI string `json:"uri"`
			} `json:"textDocument"`
			Edits []protocol.TextEdit `json:"edits"`
		}
		if err := json.Unmarshal(dc, &op); err != nil {
			t.Fatal(err)
		}
		switch op.Kind {
		case "create":
			p, rel := local(op.URI)
			if _, err := os.Stat(p); err == nil {
				t.Errorf("CreateFile of %s, which exists", rel)
			}
			os.MkdirAll(filepath.Dir(p), 0o755)
			if err := os.WriteFile(p, nil, 0o644); err != nil {
				t.Fatal(err)
			}
			changed[rel] = true
		case "delete":
			p, _ := local(op.URI)
			os.Remove(p)
		case "":
			edit(op.TextDocument.URI, op.Edits)
		default:
			t.Errorf("unknown resource operation %q", op.Kind)
		}
	}
	return changed
}

var planStamp = regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ`)

// compareFixed compares the changed files of out with the fixture's expected tree
// (sqitch plan timestamps aside: the server stamps the time it ran).
func compareFixed(t *testing.T, expected, out string, changed map[string]bool) {
	t.Helper()
	want := map[string]string{}
	filepath.WalkDir(expected, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, _ := os.ReadFile(p)
		rel, _ := filepath.Rel(expected, p)
		want[rel] = string(data)
		return nil
	})
	for rel := range changed {
		data, _ := os.ReadFile(filepath.Join(out, rel))
		w, ok := want[rel]
		if !ok {
			t.Errorf("%s: the action changed %s, which the CLI's fix does not", expected, rel)
			continue
		}
		if planStamp.ReplaceAllString(w, "T") != planStamp.ReplaceAllString(string(data), "T") {
			t.Errorf("%s: %s differs from the CLI's fix\n--- cli\n%s\n--- lsp\n%s", expected, rel, w, data)
		}
	}
	for rel := range want {
		if !changed[rel] {
			t.Errorf("%s: the action does not write %s", expected, rel)
		}
	}
}

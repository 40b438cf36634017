package lsp

import (
	"encoding/json"
	"strings"
	"testing"

	"go.lsp.dev/protocol"

	"github.com/migsafe/migsafe/codeactions"
	"github.com/migsafe/migsafe/engine/migration"
)

// A plan that creates files is offered only to clients that can create them: half of
// it would delete the statement and create nothing. To those that can, it is one
// documentChanges edit: the migration at its version, a CreateFile and the new file's
// text, a DeleteFile for a removal.
func TestPlanEdit(t *testing.T) {
	text := "CREATE INDEX i ON users (email);\n"
	sn := &snapshot{version: 3, src: migration.NewSource(text), enc: migration.UTF16}
	plan := &codeactions.Plan{Changes: []codeactions.Change{
		{Path: "/tmp/m/0002_index.sql", Create: true, New: "CREATE INDEX CONCURRENTLY i ON users (email);\n"},
		{Path: "/tmp/m/0001.sql", Old: text, New: ""},
	}, Removes: []string{"/tmp/m/.migsafe/pending/x.sql"}}
	s := NewServer(Options{Logger: testLogger(t)})
	if _, ok := s.planEdit(editBuilder{uri: "file:///tmp/m/0001.sql", caps: clientCaps{documentChanges: true}, sn: sn}, plan); ok {
		t.Error("plan with new files offered to a client without resourceOperations create")
	}
	if _, ok := s.planEdit(editBuilder{uri: "file:///tmp/m/0001.sql", caps: clientCaps{documentChanges: true, createFiles: true}, sn: sn}, plan); ok {
		t.Error("plan that removes a file offered to a client without resourceOperations delete")
	}
	we, ok := s.planEdit(editBuilder{uri: "file:///tmp/m/0001.sql", version: 3, caps: clientCaps{documentChanges: true, createFiles: true, deleteFiles: true}, sn: sn}, plan)
	if !ok {
		t.Fatal("plan not offered to a client that creates and deletes files")
	}
	got, _ := json.Marshal(we)
	for _, want := range []string{
		`{"kind":"create","uri":"file:///tmp/m/0002_index.sql","options":{"ignoreIfExists":false}}`,
		`{"textDocument":{"uri":"file:///tmp/m/0002_index.sql","version":null},"edits":[{"range":{"start":{"line":0,"character":0},"end":{"line":0,"character":0}},"newText":"CREATE INDEX CONCURRENTLY i ON users (email);\n"}]}`,
		`{"textDocument":{"uri":"file:///tmp/m/0001.sql","version":3},"edits":[{"range":{"start":{"line":0,"character":0},"end":{"line":1,"character":0}},"newText":""}]}`,
		`{"kind":"delete","uri":"file:///tmp/m/.migsafe/pending/x.sql"}`,
	} {
		if !strings.Contains(string(got), want) {
			t.Errorf("workspace edit lacks %s\n got %s", want, got)
		}
	}
}

func TestMinimalEdit(t *testing.T) {
	old := "ALTER TABLE t ADD COLUMN é text NOT NULL;\n"
	new := "ALTER TABLE t ADD COLUMN é text;\n"
	e := minimalEdit(old, new, migration.UTF16)
	if got := applyEdits(old, []protocol.TextEdit{e}, migration.UTF16); got != new {
		t.Errorf("applied %q, want %q (edit %+v)", got, new, e)
	}
}

// TestCodeActionsInCRLFDocument: in a document whose lines end in \r\n (saved on
// Windows), the ignore comments and the fixes keep its line ends: the ignore actions
// inserted a line ending in \n, and the backfill fix left "text;\r\r\n".
func TestCodeActionsInCRLFDocument(t *testing.T) {
	c := newClient(t, Options{})
	c.initialize("", "")
	const uri = "file:///tmp/migsafe-actions-crlf/0001_x.sql"
	text := "CREATE INDEX i ON users (email);\r\nALTER TABLE users ADD COLUMN phone text NOT NULL;\r\n"
	c.open(uri, text)
	c.waitDiags(uri, 1)
	for line, titles := range map[uint32][]string{
		0: {"Ignore " + indexRule + " for this statement", "Ignore " + indexRule + " for this file"},
		1: {"Add the column nullable with a DEFAULT"},
	} {
		actions := c.codeActions(uri, line)
		for _, title := range titles {
			a, ok := actions[title]
			for t, b := range actions {
				if !ok && strings.HasPrefix(t, title) {
					a, ok = b, true
				}
			}
			if !ok {
				var have []string
				for t := range actions {
					have = append(have, t)
				}
				t.Fatalf("no action %q on line %d; have %q", title, line, have)
			}
			got := applyEdits(text, a.Edit.Changes[uri], c.enc)
			if strings.Count(got, "\n") != strings.Count(got, "\r\n") || strings.Contains(got, "\r\r") {
				t.Errorf("%s: line ends other than \\r\\n in\n%q", title, got)
			}
		}
	}
}

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

package lsp

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/migsafe/migsafe/engine"
	"github.com/migsafe/migsafe/engine/migration"
)

// A fix that moves SQL into a new file is offered only to clients that can create
// files: half of it would delete the statement and create nothing.
func TestFixWithNewFiles(t *testing.T) {
	text := "CREATE INDEX i ON users (email);\n"
	sn := &snapshot{version: 3, src: migration.NewSource(text), enc: migration.UTF16}
	fix := engine.Fix{Title: "Move to a migration of its own", Edits: []engine.Edit{{Start: 0, End: len(text)}},
		NewFiles: []engine.NewFile{{Path: "/tmp/m/0002_index.sql", Text: "CREATE INDEX CONCURRENTLY i ON users (email);\n"}}}

	if _, ok := (editBuilder{uri: "file:///tmp/m/0001.sql", caps: clientCaps{documentChanges: true}, sn: sn}).fix(fix); ok {
		t.Error("fix with new files offered to a client without resourceOperations create")
	}
	we, ok := editBuilder{uri: "file:///tmp/m/0001.sql", version: 3, caps: clientCaps{documentChanges: true, createFiles: true}, sn: sn}.fix(fix)
	if !ok {
		t.Fatal("fix not offered to a client that creates files")
	}
	got, _ := json.Marshal(we)
	for _, want := range []string{
		`{"textDocument":{"uri":"file:///tmp/m/0001.sql","version":3},"edits":[{"range":{"start":{"line":0,"character":0},"end":{"line":1,"character":0}},"newText":""}]}`,
		`{"kind":"create","uri":"file:///tmp/m/0002_index.sql","options":{"ignoreIfExists":false}}`,
		`{"textDocument":{"uri":"file:///tmp/m/0002_index.sql","version":null},"edits":[{"range":{"start":{"line":0,"character":0},"end":{"line":0,"character":0}},"newText":"CREATE INDEX CONCURRENTLY i ON users (email);\n"}]}`,
	} {
		if !strings.Contains(string(got), want) {
			t.Errorf("workspace edit lacks %s\n got %s", want, got)
		}
	}
}

package lsp

import (
	"testing"
)

// TestCodeActionConcurrently checks the fix package codeactions provides for
// require-concurrent-index-creation, end to end: the preferred action inserts exactly
// "CONCURRENTLY " after "INDEX ". It fails until codeactions implements that rewrite.
func TestCodeActionConcurrently(t *testing.T) {
	c := newClient(t, Options{})
	c.initialize("", "")
	const uri = "file:///tmp/migsafe-concurrently/0001_idx.sql"
	text := createIdx + "\n"
	c.open(uri, text)
	c.waitDiags(uri, 1)
	actions := c.codeActions(uri, 0)
	for title, a := range actions {
		edits := a.Edit.Changes[uri]
		if len(edits) != 1 || edits[0].NewText != "CONCURRENTLY " || edits[0].Range != *rng(0, 13, 0, 13) {
			continue
		}
		if !a.IsPreferred {
			t.Errorf("%q is not marked preferred", title)
		}
		if got, want := applyEdits(text, edits, c.enc), "CREATE INDEX CONCURRENTLY users_email_idx ON users (email);\n"; got != want {
			t.Errorf("applied: %q, want %q", got, want)
		}
		return
	}
	t.Errorf("no action inserts \"CONCURRENTLY \" at 0:13; actions: %v", titles(actions))
}

func titles(actions map[string]codeActionResult) []string {
	var out []string
	for t := range actions {
		out = append(out, t)
	}
	return out
}

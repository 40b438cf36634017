package lsp

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/migsafe/migsafe/engine/migration"
	"go.lsp.dev/protocol"
)

// The DSL fix a code action offers on an ORM migration, applied and re-analysed, leaves
// the finding it fixes gone: Rails algorithm: :concurrently with
// disable_ddl_transaction!, Django AddIndexConcurrently with atomic = False, Alembic
// autocommit_block, Knex config = { transaction: false }.
func TestORMFixActionsClearTheirFinding(t *testing.T) {
	root := t.TempDir()
	if err := os.CopyFS(root, os.DirFS(filepath.Join("..", "testdata", "orm"))); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		file, lang string
		line       uint32
		code, fix  string
	}{
		{"rails/db/migrate/20240101000002_add_index.rb", "ruby", 3, "require-concurrent-index-creation", "Use algorithm: :concurrently with disable_ddl_transaction!"},
		{"django/shop/migrations/0005_constraints.py", "python", 7, "require-concurrent-index-creation", "Use AddIndexConcurrently in a migration with atomic = False"},
		{"alembic/versions/0002_index.py", "python", 12, "require-concurrent-index-creation", "Use postgresql_concurrently=True inside op.get_context().autocommit_block()"},
		{"knex/migrations/20240101000004_concurrent_in_transaction.js", "javascript", 1, "concurrently-in-transaction", "Run the migration outside a transaction: config = { transaction: false }"},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			path := filepath.Join(root, tc.file)
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			uri := "file://" + filepath.ToSlash(path)
			c := newClient(t, Options{})
			c.initialize("", "")
			c.notify(protocol.MethodTextDocumentDidOpen, protocol.DidOpenTextDocumentParams{TextDocument: protocol.TextDocumentItem{
				URI: protocol.DocumentURI(uri), LanguageID: protocol.LanguageIdentifier(tc.lang), Version: 1, Text: string(data)}})
			if p := c.waitDiags(uri, 1); find(p.Diagnostics, tc.code) == nil {
				t.Fatalf("no %s before the fix; got %v", tc.code, codes(p.Diagnostics))
			}
			a, ok := c.codeActions(uri, tc.line)[tc.fix]
			if !ok || len(a.Edit.Changes[uri]) == 0 {
				t.Fatalf("no %q action on line %d", tc.fix, tc.line)
			}
			fixed := applyEdits(string(data), a.Edit.Changes[uri], migration.UTF16)
			c.change(uri, 2, nil, fixed)
			if p := c.waitDiags(uri, 2); find(p.Diagnostics, tc.code) != nil || find(p.Diagnostics, "syntax-error") != nil {
				t.Errorf("after %q: %v\n%s", tc.fix, codes(p.Diagnostics), fixed)
			}
		})
	}
}

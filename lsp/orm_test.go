package lsp

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.lsp.dev/protocol"
)

// The language server on ORM migrations: diagnostics at the DSL call, a hover with the
// lock and the SQL the ORM sends, for a Rails, a Django and an Alembic fixture (with
// testdata/orm's earlier migrations on disk: their catalog and Django's model state
// apply), and nothing
// for Ruby outside a migration directory.
func TestORMDocuments(t *testing.T) {
	// A copy outside git: the fixtures' earlier migrations count as deployed (in the
	// repository, on a branch that adds them, they are pending and their tables new).
	root := t.TempDir()
	if err := os.CopyFS(root, os.DirFS(filepath.Join("..", "testdata", "orm"))); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		file, lang string
		// line and column (0-based) of the DSL call (or its argument at fault) the
		// finding is on.
		line, col uint32
		code      string
		hover     []string
	}{
		{"rails/db/migrate/20240101000002_add_index.rb", "ruby", 3, 4, "require-concurrent-index-creation",
			[]string{"`SHARE` on table `users`", `CREATE INDEX "index_users_on_email" ON "users" ("email")`, "inside the transaction rails wraps each migration in"}},
		{"django/shop/migrations/0003_alter_fields.py", "python", 10, 18, "changing-column-type", // at field=
			[]string{"`ACCESS EXCLUSIVE` on table `shop_customer`", `ALTER COLUMN "age" TYPE bigint USING "age"::bigint`, "rewrite: yes"}},
		{"alembic/versions/0002_index.py", "python", 12, 4, "require-concurrent-index-creation",
			[]string{"`SHARE` on table `users`", `CREATE INDEX "ix_users_email" ON "users" ("email")`}},
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
			c.initialize(`{"textDocument": {"hover": {"contentFormat": ["markdown"]}}}`, "")
			c.notify(protocol.MethodTextDocumentDidOpen, protocol.DidOpenTextDocumentParams{TextDocument: protocol.TextDocumentItem{
				URI: protocol.DocumentURI(uri), LanguageID: protocol.LanguageIdentifier(tc.lang), Version: 1, Text: string(data)}})
			p := c.waitDiags(uri, 1)
			d := find(p.Diagnostics, tc.code)
			if d == nil {
				t.Fatalf("no %s diagnostic; got %v", tc.code, codes(p.Diagnostics))
			}
			if d.Range.Start.Line != tc.line || d.Range.Start.Character != tc.col {
				t.Errorf("%s at %v, want the DSL call at %d:%d", tc.code, d.Range.Start, tc.line, tc.col)
			}
			var h protocol.Hover
			if err := c.call(protocol.MethodTextDocumentHover, protocol.HoverParams{TextDocumentPositionParams: protocol.TextDocumentPositionParams{
				TextDocument: protocol.TextDocumentIdentifier{URI: protocol.DocumentURI(uri)}, Position: protocol.Position{Line: tc.line, Character: tc.col + 2}}}, &h); err != nil {
				t.Fatal(err)
			}
			for _, want := range tc.hover {
				if !strings.Contains(h.Contents.Value, want) {
					t.Errorf("hover lacks %q:\n%s", want, h.Contents.Value)
				}
			}
			// The ignore action writes the host language's comment before the call.
			ignore := c.codeActions(uri, tc.line)["Ignore "+tc.code+" for this statement"]
			edits := ignore.Edit.Changes[uri]
			if len(edits) != 1 || !strings.HasPrefix(strings.TrimSpace(edits[0].NewText), "# migsafe:ignore "+tc.code+" -- <reason>") || edits[0].Range.Start.Line > tc.line {
				t.Errorf("ignore action edits = %+v", edits)
			}
		})
	}
	t.Run("outside a migration directory", func(t *testing.T) {
		const uri = "file:///tmp/migsafe-orm/app/models/user.rb"
		c := newClient(t, Options{})
		c.initialize("", "")
		c.notify(protocol.MethodTextDocumentDidOpen, protocol.DidOpenTextDocumentParams{TextDocument: protocol.TextDocumentItem{
			URI: uri, LanguageID: "ruby", Version: 1,
			Text: "class AddX < ActiveRecord::Migration[6.1]\n  def change\n    add_index :users, :email\n  end\nend\n"}})
		if p := c.waitDiags(uri, 1); len(p.Diagnostics) != 0 {
			t.Errorf("diagnostics outside a migration directory: %v", codes(p.Diagnostics))
		}
	})
}

package coderefs

import (
	"strings"
	"testing"
)

// fuzzExts are the file kinds extract reads (and one it does not).
var fuzzExts = []string{".sql", ".go", ".prisma", ".py", ".rb", ".js", ".ts", ".tsx", ".txt"}

// FuzzExtract reads arbitrary file contents as each language the code-reference search
// knows (binary, invalid UTF-8, unbalanced nesting, huge lines among the seeds): no
// panic or crash in the Go parser, tree-sitter or pg_query; references and quiet spans
// inside the file; and uses of a table and a column located on a line and column of it.
func FuzzExtract(f *testing.F) {
	for _, s := range []struct {
		ext  uint8
		text string
	}{
		{0, "SELECT id, email FROM users WHERE email = $1;\nUPDATE users SET name = 'x';"},
		{1, "package p\n\ntype User struct {\n\tEmail string `db:\"email\"`\n}\n\nconst q = \"SELECT email FROM users WHERE id = $1\" + \" AND name = $2\"\n"},
		{2, "model User {\n  id    Int    @id\n  email String @map(\"email_address\")\n  @@map(\"users\")\n}\n"},
		{3, "class User(models.Model):\n    email = models.CharField()\n    class Meta:\n        db_table = 'users'\n\ncursor.execute(\"SELECT email FROM users\")\n"},
		{4, "class User < ApplicationRecord\n  self.ignored_columns += [\"email\"]\n  belongs_to :account\nend\nUser.where(\"email = ?\", x)\n<<~SQL\n  SELECT email FROM users\nSQL\n"},
		{5, "const q = `SELECT email FROM users WHERE id = ${id}`;\nknex('users').select('email');\n"},
		{6, "@Entity('users')\nexport class User {\n  @Column({ name: 'email' }) email: string;\n}\n"},
		{7, "const A = () => <div>{sql`SELECT email FROM users`}</div>;\n"},
		{8, "users email"},
		{3, "x = " + strings.Repeat("(", 100000) + strings.Repeat(")", 100000)},
		{4, "x = " + strings.Repeat("[", 100000)},
		{1, "package p\nvar x = " + strings.Repeat("(", 50000) + "1" + strings.Repeat(")", 50000)},
		{5, "\xff\xfe\x00\x01 'SELECT email FROM users' \xc3"},
		{0, "SELECT '" + strings.Repeat("x", 70000) + "' FROM users;"},
	} {
		f.Add(s.ext, s.text, "users", "email")
	}
	f.Fuzz(func(t *testing.T, which uint8, text, table, column string) {
		p := "app/file" + fuzzExts[int(which)%len(fuzzExts)]
		fr := extract(p, []byte(text))
		n := len(text)
		for _, r := range fr.refs {
			if r.off < 0 || r.off > n {
				t.Fatalf("reference %+v at %d outside the %d-byte file", r, r.off, n)
			}
		}
		for _, s := range fr.quiet {
			if s.start < 0 || s.end < s.start || s.end > n {
				t.Fatalf("quiet span [%d,%d) outside the %d-byte file", s.start, s.end, n)
			}
		}
		lines := strings.Count(text, "\n") + 1
		for _, obj := range []Object{{Table: table}, {Table: table, Column: column}} {
			if strings.TrimSpace(obj.Table) == "" {
				continue
			}
			for _, u := range fr.match(newQuery(obj)) {
				if u.Path != p || u.Line < 1 || u.Line > lines || u.Column < 1 {
					t.Fatalf("use %+v of %v outside the file (%d lines)", u, obj, lines)
				}
			}
		}
	})
}

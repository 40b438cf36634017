package orm_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/migsafe/migsafe/codeactions"
	"github.com/migsafe/migsafe/engine"
	"github.com/migsafe/migsafe/engine/migration"
)

// dslCase is a finding on a fixture, the intent its fix asks the front end for, and
// what the rewritten migration must say.
type dslCase struct {
	file, rule string
	line       int // 1-based line of the DSL call
	intent     migration.Intent
	want       []string // substrings of the rewritten file
}

var dslCases = []dslCase{
	{"rails/db/migrate/20240101000002_add_index.rb", "require-concurrent-index-creation", 4, migration.Concurrently,
		[]string{"add_index :users, :email, algorithm: :concurrently", "disable_ddl_transaction!"}},
	{"rails/db/migrate/20240101000002_add_index.rb", "concurrently-in-transaction", 5, migration.OutsideTransaction,
		[]string{"< ActiveRecord::Migration[6.1]\n  disable_ddl_transaction!\n"}},
	{"rails/db/migrate/20240101000004_remove_index.rb", "require-concurrent-index-deletion", 5, migration.Concurrently,
		[]string{"remove_index :posts, :title, algorithm: :concurrently"}},
	{"rails/db/migrate/20240101000008_foreign_key_validated.rb", "adding-foreign-key-constraint", 5, migration.NotValid,
		[]string{"add_foreign_key :posts, :users, validate: false", "\n    validate_foreign_key :posts, :users"}},
	// The call ends its line: validate: false and the validate call after it are
	// written at one offset, as one edit.
	{"rails/db/migrate/20240101000026_foreign_key_line_end.rb", "adding-foreign-key-constraint", 7, migration.NotValid,
		[]string{"add_foreign_key :posts, :users, :name => \"posts_user_id_fkey\", :validate => false\n    validate_foreign_key :posts, :users, :name => \"posts_user_id_fkey\"\n"}},
	{"rails/db/migrate/20240101000015_check_constraints.rb", "constraint-missing-not-valid", 5, migration.NotValid,
		[]string{`name: "age_nonnegative", validate: false`, `validate_check_constraint :users, name: 'age_nonnegative'`}},
	{"rails/db/migrate/20240101000017_execute.rb", "setting-not-null", 10, migration.OutsideTransaction, nil},
	{"django/shop/migrations/0005_constraints.py", "require-concurrent-index-creation", 8, migration.Concurrently,
		[]string{"        AddIndexConcurrently(", "from django.contrib.postgres.operations import AddIndexConcurrently\nfrom django.db import", "(migrations.Migration):\n    atomic = False\n"}},
	{"django/shop/migrations/0009_rename_model.py", "require-concurrent-index-deletion", 8, migration.Concurrently,
		[]string{"        RemoveIndexConcurrently(", "import RemoveIndexConcurrently", "atomic = False"}},
	{"django/failing/migrations/0002_index_in_transaction.py", "concurrently-in-transaction", 10, migration.OutsideTransaction,
		[]string{"(migrations.Migration):\n    atomic = False\n"}},
	{"alembic/versions/0002_index.py", "require-concurrent-index-creation", 13, migration.Concurrently,
		[]string{"    with op.get_context().autocommit_block():\n        op.create_index(\"ix_users_email\", \"users\", [\"email\"], postgresql_concurrently=True)"}},
	{"alembic/versions/0002_index.py", "concurrently-in-transaction", 14, migration.OutsideTransaction,
		[]string{"    with op.get_context().autocommit_block():\n        op.create_index(\"ix_users_name\""}},
	{"knex/migrations/20240101000004_concurrent_in_transaction.js", "concurrently-in-transaction", 2, migration.OutsideTransaction,
		[]string{"exports.config = { transaction: false }\n\nexports.up"}},
	{"typeorm/migrations/1700000000001-AddColumns.ts", "require-concurrent-index-creation", 9, migration.Concurrently,
		[]string{`CREATE INDEX CONCURRENTLY "IDX_users_email"`, "implements MigrationInterface {\n    transaction = false\n"}},
	{"typeorm/migrations/1700000000003-ConcurrentInTransaction.ts", "concurrently-in-transaction", 5, migration.OutsideTransaction,
		[]string{"transaction = false"}},
	{"sequelize/migrations/20240101000001-add-columns.js", "require-concurrent-index-creation", 9, migration.Concurrently,
		[]string{"addIndex('users', ['email'], { concurrently: true })"}},
}

// TestDSLRewrites applies each intent's edits to its fixture and analyses the result
// again: the finding is gone, nothing new is BLOCK, and the rewrite reads as the
// ORM's own DSL. (The fix planner applies the same edits; the oracle test runs the
// rewritten migrations through the ORMs.)
func TestDSLRewrites(t *testing.T) {
	for _, tc := range dslCases {
		t.Run(tc.file+"/"+string(tc.intent), func(t *testing.T) {
			path := filepath.Join("..", "..", "testdata", "orm", tc.file)
			fixed, ok := rewriteFixture(t, path, tc.rule, tc.line, tc.intent)
			if tc.want == nil {
				if ok {
					t.Fatalf("a rewrite where none applies:\n%s", fixed)
				}
				return
			}
			if !ok {
				t.Fatal("no rewrite")
			}
			for _, w := range tc.want {
				if !strings.Contains(fixed, w) {
					t.Errorf("rewrite lacks %q:\n%s", w, fixed)
				}
			}
			res := engine.Analyze(path, fixed, nil, engine.Options{})
			for _, fd := range res.Findings {
				if line := res.File.Source.Position(fd.Start, migration.UTF8).Line + 1; fd.Rule.ID == tc.rule && line >= tc.line && line <= tc.line+1 {
					t.Errorf("%s still reported after the rewrite:\n%s", tc.rule, fixed)
				}
			}
			for _, p := range res.Problems {
				if p.Kind == "syntax" {
					t.Errorf("the rewrite does not parse: %s\n%s", p.Message, fixed)
				}
			}
		})
	}
}

// rewriteFixture finds the finding of rule on the call at line and applies its
// statement's rewrite for intent.
func rewriteFixture(t *testing.T, path, rule string, line int, intent migration.Intent) (string, bool) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	res := engine.Analyze(path, text, nil, engine.Options{})
	for _, fd := range res.Findings {
		if fd.Rule.ID != rule || fd.Stmt == nil || res.File.Source.Position(fd.Stmt.Start, migration.UTF8).Line+1 != line {
			continue
		}
		if fd.Stmt.Origin == nil || fd.Stmt.Origin.Rewrite == nil {
			return "", false
		}
		rw, ok := fd.Stmt.Origin.Rewrite(intent)
		if !ok {
			return "", false
		}
		return applyTextEdits(t, text, rw.Edits), true
	}
	t.Fatalf("%s: no %s finding on line %d", path, rule, line)
	return "", false
}

// applyTextEdits applies edits as migsafe fix does (codeactions.ApplyEdits), which
// refuses overlapping edits and two insertions at one offset.
func applyTextEdits(t *testing.T, text string, edits []migration.TextEdit) string {
	t.Helper()
	es := make([]codeactions.Edit, len(edits))
	for i, e := range edits {
		es[i] = codeactions.Edit{Start: e.Start, End: e.End, NewText: e.NewText}
	}
	out, err := codeactions.ApplyEdits(text, es)
	if err != nil {
		t.Fatalf("the rewrite cannot be applied: %v", err)
	}
	return out
}

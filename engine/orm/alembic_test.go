package orm

import (
	"strings"
	"testing"

	"github.com/migsafe/migsafe/engine/migration"
)

// `with op.batch_alter_table("t") as batch_op:` was read as a plain `with` (tree-sitter
// gives its context as as_pattern(call, alias)), so every batch_op call in it was
// "not translated" and a NOT NULL column without a default passed. On PostgreSQL the
// batch runs the op.* statements with the table filled in: first for the column
// operations, after the index or constraint name for the others.
func TestAlembicBatchAlterTable(t *testing.T) {
	const text = `from alembic import op
import sqlalchemy as sa

revision = "abc123"
down_revision = None


def upgrade():
    with op.batch_alter_table("orders") as batch_op:
        batch_op.add_column(sa.Column("total", sa.Integer(), nullable=False))
        batch_op.create_index("ix_orders_user", ["user_id"])
        batch_op.create_unique_constraint("uq_orders_ref", ["ref"])
        batch_op.drop_constraint(constraint_name="ck_old")
        batch_op.alter_column("note", new_column_name="notes")


def downgrade():
    with op.batch_alter_table("orders") as batch_op:
        batch_op.drop_index("ix_orders_user")
`
	f := Parse("versions/abc123_x.py", text, migration.Alembic, Options{})
	var got []string
	for _, s := range f.Statements {
		got = append(got, s.Section.String()+": "+s.Text)
	}
	want := []string{
		`up: ALTER TABLE "orders" ADD COLUMN "total" INTEGER NOT NULL`,
		`up: CREATE INDEX "ix_orders_user" ON "orders" ("user_id")`,
		`up: ALTER TABLE "orders" ADD CONSTRAINT "uq_orders_ref" UNIQUE ("ref")`,
		`up: ALTER TABLE "orders" DROP CONSTRAINT "ck_old"`,
		`up: ALTER TABLE "orders" RENAME "note" TO "notes"`,
		`down: DROP INDEX "ix_orders_user"`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("statements:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(f.NotAnalysed) > 0 {
		t.Errorf("not analysed: %+v", f.NotAnalysed)
	}
	// The finding of the column sits on its call, in the batch block.
	if len(f.Statements) > 0 {
		if at := f.Statements[0].Start; !strings.HasPrefix(text[at:], "batch_op.add_column") {
			t.Errorf("first statement starts at %q", text[at:at+20])
		}
	}
}

// A module-level name bound once to a string is that string (INDEX_NAME =
// "ix_...", as Alembic revisions often name indexes); one bound again is a variable,
// known only at run time.
func TestAlembicModuleConstants(t *testing.T) {
	const text = `from alembic import op

revision = "0002"
down_revision = "0001"
INDEX_NAME = "ix_users_email"
OTHER = "ix_a"
OTHER = "ix_b"


def upgrade() -> None:
    op.create_index(INDEX_NAME, "users", ["email"])
    op.drop_index(OTHER, table_name="users")
`
	f := Parse("versions/0002_x.py", text, migration.Alembic, Options{})
	if len(f.Statements) != 1 || !strings.Contains(f.Statements[0].Text, `CREATE INDEX "ix_users_email"`) {
		var got []string
		for _, s := range f.Statements {
			got = append(got, s.Text)
		}
		t.Errorf("statements %q, want the CREATE INDEX of ix_users_email alone", got)
	}
	if len(f.NotAnalysed) != 1 || !strings.Contains(f.NotAnalysed[0].Message, "op.drop_index") {
		t.Errorf("not analysed: %+v, want the drop_index of a name bound twice", f.NotAnalysed)
	}
}

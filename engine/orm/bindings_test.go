package orm

import (
	"strings"
	"testing"

	"github.com/migsafe/migsafe/engine/migration"
)

// Knex's raw with an object of named bindings and Sequelize's query with
// replacements left :name (and Sequelize's ?) in the SQL, a syntax-error BLOCK on a
// plain whole-table UPDATE. The placeholders are now $n, where the values go; a ::
// cast is not a name, and Knex's ?? (an identifier) is a placeholder name.
func TestBoundValuesArePlaceholders(t *testing.T) {
	for _, c := range []struct {
		name, path, text string
		orm              migration.Runner
		want             []string
	}{
		{"knex", "migrations/20240101_x.js", `exports.up = async function (knex) {
  await knex.raw('UPDATE users SET name = :name, n = :n::int WHERE a = :name', { name: 'x', n: 1 });
  await knex.raw('UPDATE ?? SET flag = ?', ['users', true]);
};
exports.down = async function () {};
`, migration.Knex, []string{"UPDATE users SET name = $1, n = $2::int WHERE a = $1", "UPDATE dyn_binding SET flag = $1"}},
		{"sequelize", "migrations/20240101-x.js", `module.exports = {
  async up(queryInterface) {
    await queryInterface.sequelize.query('UPDATE "Users" SET "flag" = ?', { replacements: [true] });
    await queryInterface.sequelize.query('UPDATE "Users" SET "name" = :name', { replacements: { name: 'x' } });
  },
  async down() {},
};
`, migration.Sequelize, []string{`UPDATE "Users" SET "flag" = $1`, `UPDATE "Users" SET "name" = $1`}},
	} {
		f := Parse(c.path, c.text, c.orm, Options{})
		var got []string
		for _, s := range f.Statements {
			if s.Err != nil {
				t.Errorf("%s: %q: %s", c.name, s.Text, s.Err.Message)
			}
			got = append(got, s.Text)
		}
		if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
			t.Errorf("%s: statements:\n%s\nwant:\n%s", c.name, strings.Join(got, "\n"), strings.Join(c.want, "\n"))
		}
	}
}

package orm

import (
	"testing"

	"github.com/migsafe/migsafe/engine/migration"
)

// A migration its language cannot parse is a file error at the first place the
// grammar fails, which the engine reports as a BLOCK syntax-error: the ORM cannot load
// it. A Rails migration missing its class's `end` was SAFE TO SHIP ("defines no
// ActiveRecord::Migration class", a PASS note), since the error hid the class.
func TestSyntaxErrorsOfTheHostLanguage(t *testing.T) {
	for _, c := range []struct {
		path string
		orm  migration.Runner
		text string
		want string // "" for a file that parses
		line int
	}{
		{"db/migrate/20240101000000_x.rb", migration.Rails,
			"class AddX < ActiveRecord::Migration[7.0]\n  def change\n    add_column :users, :x, :string\n  end\nend\n", "", 0},
		{"db/migrate/20240101000000_x.rb", migration.Rails,
			"class AddX < ActiveRecord::Migration[7.0]\n  def change\n    add_column :users, :x, \n  end\n",
			"Ruby syntax error: the code from here to line 4 does not parse: the migration fails to load, and migsafe reads only what the parser recovers", 1},
		{"app/migrations/0002_x.py", migration.Django,
			"from django.db import migrations, models\n\nclass Migration(migrations.Migration):\n    operations = [\n        migrations.AddField(model_name='user', name='x', field=models.TextField(),\n    ]\n",
			`Python syntax error: ")" is missing here: the migration fails to load, and migsafe reads only what the parser recovers`, 5},
		{"migrations/20240101_x.js", migration.Knex,
			"exports.up = function(knex) {\n  return knex.schema.table('users', t => { t.string('x') \n};\n",
			`JavaScript syntax error: ")" is missing here: the migration fails to load, and migsafe reads only what the parser recovers`, 3},
		{"src/migrations/1700000000000-X.ts", migration.TypeORM,
			"export class X1700000000000 implements MigrationInterface {\n  public async up(q: QueryRunner): Promise<void> {\n    await q.query(`ALTER TABLE users ADD x int`);\n  }\n}\n", "", 0},
	} {
		f := Parse(c.path, c.text, c.orm, Options{})
		switch {
		case c.want == "" && len(f.Errors) > 0:
			t.Errorf("%s: %q on a file that parses", c.path, f.Errors[0].Message)
		case c.want == "":
		case len(f.Errors) != 1 || f.Errors[0].Message != c.want:
			t.Errorf("%s: errors %+v, want %q", c.path, f.Errors, c.want)
		default:
			if line := f.Source.Position(f.Errors[0].Offset, migration.CodePoints).Line + 1; line != c.line {
				t.Errorf("%s: the error on line %d, want %d", c.path, line, c.line)
			}
		}
	}
}

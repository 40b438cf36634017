package orm

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/migsafe/migsafe/engine/migration"
)

func TestOrder(t *testing.T) {
	django := []SetFile{
		{Path: "shop/migrations/0002_b.py", Text: "from django.db import migrations\nclass Migration(migrations.Migration):\n    dependencies = [('shop', '0001_a'), ('auth', '0003_z')]\n"},
		{Path: "auth/migrations/0003_z.py", Text: "from django.db import migrations\nclass Migration(migrations.Migration):\n    dependencies = [('shop', '0001_a')]\n"},
		{Path: "shop/migrations/0001_a.py", Text: "from django.db import migrations\nclass Migration(migrations.Migration):\n    dependencies = []\n"},
	}
	alembic := []SetFile{
		{Path: "versions/a.py", Text: "revision = 'c3'\ndown_revision = ('b1', 'b2')\n"},
		{Path: "versions/b.py", Text: "revision = 'b1'\ndown_revision = 'a0'\n"},
		{Path: "versions/c.py", Text: "revision: str = 'a0'\ndown_revision = None\n"},
		{Path: "versions/d.py", Text: "revision = 'b2'\ndown_revision = 'a0'\n"},
	}
	rails := []SetFile{{Path: "db/migrate/20240102_x.rb"}, {Path: "db/migrate/9_y.rb"}, {Path: "db/migrate/010_z.rb"}}
	for _, tc := range []struct {
		orm   migration.Runner
		files []SetFile
		want  string
	}{
		{migration.Django, django, "0001_a.py 0003_z.py 0002_b.py"},
		{migration.Alembic, alembic, "c.py b.py d.py a.py"},
		{migration.Rails, rails, "9_y.rb 010_z.rb 20240102_x.rb"},
		{migration.Knex, []SetFile{{Path: "m/2.1.85.js"}, {Path: "m/2.0.0.js"}}, "2.0.0.js 2.1.85.js"},
	} {
		got, err := Order(tc.orm, tc.files)
		if err != nil {
			t.Fatalf("%s: %v", tc.orm, err)
		}
		var names []string
		for _, f := range got {
			names = append(names, filepath.Base(f.Path))
		}
		if strings.Join(names, " ") != tc.want {
			t.Errorf("%s order = %s, want %s", tc.orm, strings.Join(names, " "), tc.want)
		}
	}
	cycle := []SetFile{
		{Path: "a/migrations/0001_x.py", Text: "class Migration(migrations.Migration):\n    dependencies = [('a', '0002_y')]\n"},
		{Path: "a/migrations/0002_y.py", Text: "class Migration(migrations.Migration):\n    dependencies = [('a', '0001_x')]\n"},
	}
	if _, err := Order(migration.Django, cycle); err == nil || !strings.Contains(err.Error(), "cycle") {
		t.Errorf("cycle: err = %v", err)
	}
	if _, err := Order(migration.Alembic, []SetFile{{Path: "v/x.py", Text: "down_revision = None\n"}}); err == nil || !strings.Contains(err.Error(), "v/x.py") {
		t.Errorf("no revision: err = %v", err)
	}
}

package orm

import (
	"strings"
	"testing"

	"github.com/migsafe/migsafe/engine/migration"
)

// Django unapplies a migration by reversing its operations, so an operation migsafe
// does not translate (or a RunPython whose reverse_code is Python) leaves a down that
// runs more than its statements show: never reported as an empty down.
func TestDjangoUntranslatedReverse(t *testing.T) {
	const head = "from django.db import migrations, models\n\nclass Migration(migrations.Migration):\n    dependencies = []\n    operations = [\n"
	for _, c := range []struct {
		name, ops string
		opaque    bool
	}{
		{"expression index", "        migrations.AddIndex(model_name='thing', index=models.Index(models.F('id'), name='thing_idx')),\n", true},
		{"index removed of a model migsafe has no state of", "        migrations.RemoveIndex(model_name='thing', name='thing_idx'),\n", true},
		{"RunPython with reverse code", "        migrations.RunPython(forwards, backwards),\n", true},
		{"RunPython with a noop reverse", "        migrations.RunPython(forwards, migrations.RunPython.noop),\n", false},
		{"RunSQL with a noop reverse", "        migrations.RunSQL('SELECT 1', reverse_sql=migrations.RunSQL.noop),\n", false},
	} {
		f := Parse("app/migrations/0002_x.py", head+c.ops+"    ]\n", migration.Django, Options{})
		if len(f.NotAnalysed) == 0 && c.opaque {
			t.Errorf("%s: no not-analysed note", c.name)
		}
		if !f.Down.Found || f.Down.Opaque != c.opaque || len(f.Down.Irreversible) > 0 {
			t.Errorf("%s: down found %v, opaque %v, irreversible %v; want found, opaque %v, reversible", c.name, f.Down.Found, f.Down.Opaque, f.Down.Irreversible, c.opaque)
		}
	}
}

// A field class of the project's own has a column type migsafe cannot know: altering
// to it is not analysed, never a type change to a made-up type.
func TestDjangoUnknownFieldClass(t *testing.T) {
	const text = `from django.db import migrations, models
import app.fields

class Migration(migrations.Migration):
    dependencies = []
    operations = [
        migrations.CreateModel(name='Thing', fields=[('id', models.BigAutoField(primary_key=True)), ('data', models.JSONField(null=True))]),
        migrations.AlterField(model_name='thing', name='data', field=app.fields.ChoiceSetField(null=True)),
    ]
`
	f := Parse("app/migrations/0001_x.py", text, migration.Django, Options{})
	for _, s := range f.Statements {
		if strings.Contains(s.Text, "TYPE") {
			t.Errorf("a type change to an unknown class: %s", s.Text)
		}
	}
	if len(f.NotAnalysed) != 1 || !strings.Contains(f.NotAnalysed[0].Message, "ChoiceSetField") {
		t.Errorf("not analysed: %+v, want one note naming ChoiceSetField", f.NotAnalysed)
	}
}

// RunSQL takes a list of (sql, params) pairs, which Django runs with
// cursor.execute(sql, params): its %s placeholders were left in the SQL, a syntax
// error BLOCK on a plain UPDATE. They are now PostgreSQL's $n, where the value goes
// (%% is a percent sign), mapped to the placeholder in the file.
func TestDjangoRunSQLWithParams(t *testing.T) {
	const text = `from django.db import migrations

class Migration(migrations.Migration):
    dependencies = []
    operations = [
        migrations.RunSQL(
            [("UPDATE app_user SET flag = %s, note = %(n)s WHERE name LIKE 'a%%' AND n = %(n)s", [True])],
            reverse_sql=[("UPDATE app_user SET flag = %s", [False]), ("SELECT '%s'", None)],
        ),
    ]
`
	f := Parse("app/migrations/0002_x.py", text, migration.Django, Options{})
	var got []string
	for _, s := range f.Statements {
		if s.Err != nil {
			t.Errorf("%q: %v", s.Text, s.Err.Message)
		}
		got = append(got, s.Section.String()+": "+s.Text)
	}
	want := []string{
		"up: UPDATE app_user SET flag = $1, note = $2 WHERE name LIKE 'a%' AND n = $2",
		"down: UPDATE app_user SET flag = $1",
		"down: SELECT '%s'", // no params: the driver leaves the SQL alone
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("statements:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(f.Statements) > 0 {
		st := f.Statements[0]
		if at := strings.Index(st.Text, "$1"); at < 0 || !strings.HasPrefix(text[st.Pos(int32(at)):], "%s, note") {
			t.Errorf("$1 does not map to its %%s in the file")
		}
	}
}

// A field class of the project's own that takes max_length is a CharField subclass:
// added non-null and blank, Django gives existing rows the empty string (its effective
// default), so the column is added with a DEFAULT, not as NOT NULL without one.
func TestDjangoUnknownCharFieldSubclassDefault(t *testing.T) {
	const text = `from django.db import migrations, models
import utilities.fields

class Migration(migrations.Migration):
    dependencies = []
    operations = [
        migrations.CreateModel(name='Thing', fields=[('id', models.BigAutoField(primary_key=True))]),
        migrations.AddField(model_name='thing', name='color', field=utilities.fields.ColorField(blank=True, max_length=6)),
        migrations.AddField(model_name='thing', name='weight', field=utilities.fields.CounterField(blank=True)),
    ]
`
	f := Parse("app/migrations/0001_x.py", text, migration.Django, Options{})
	var color, weight string
	for _, s := range f.Statements {
		if strings.Contains(s.Text, "ADD COLUMN") && strings.Contains(s.Text, `"color"`) {
			color = s.Text
		}
		if strings.Contains(s.Text, "ADD COLUMN") && strings.Contains(s.Text, `"weight"`) {
			weight = s.Text
		}
	}
	if !strings.Contains(color, "DEFAULT ''") {
		t.Errorf("color: %q, want DEFAULT ''", color)
	}
	// Without max_length the class may be any field (an integer one allows no ''):
	// no default is made up.
	if weight == "" || strings.Contains(weight, "DEFAULT") {
		t.Errorf("weight: %q, want an ADD COLUMN without DEFAULT", weight)
	}
}

// Renaming a ManyToManyField renames the through table Django made for it (netbox's
// extras 0111 renames content_types to object_types on five models): it was not
// analysed, and the rename the running release breaks on went unreported.
func TestDjangoRenameManyToMany(t *testing.T) {
	const text = `from django.db import migrations, models

class Migration(migrations.Migration):
    dependencies = []
    operations = [
        migrations.CreateModel(name='Tag', fields=[('id', models.BigAutoField(primary_key=True))]),
        migrations.CreateModel(name='Post', fields=[
            ('id', models.BigAutoField(primary_key=True)),
            ('tags', models.ManyToManyField(to='app.tag')),
            ('topics', models.ManyToManyField(to='app.tag', through='app.PostTopic', related_name='+')),
        ]),
        migrations.RenameField(model_name='post', old_name='tags', new_name='labels'),
        migrations.RenameField(model_name='post', old_name='topics', new_name='subjects'),
    ]
`
	f := Parse("app/migrations/0001_x.py", text, migration.Django, Options{})
	var up, down []string
	for _, s := range f.Statements {
		if strings.Contains(s.Text, "RENAME") {
			if s.Section == migration.Down {
				down = append(down, s.Text)
			} else {
				up = append(up, s.Text)
			}
		}
	}
	if strings.Join(up, "\n") != `ALTER TABLE "app_post_tags" RENAME TO "app_post_labels"` || strings.Join(down, "\n") != `ALTER TABLE "app_post_labels" RENAME TO "app_post_tags"` {
		t.Errorf("up %q, down %q: want the through table renamed, and back", up, down)
	}
	// A through model of the project's own is renamed by nothing.
	if len(f.NotAnalysed) != 1 || !strings.Contains(f.NotAnalysed[0].Message, "RenameField") {
		t.Errorf("not analysed: %+v, want the rename of the field with a through model", f.NotAnalysed)
	}
}

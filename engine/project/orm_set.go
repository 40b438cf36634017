package project

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/migsafe/migsafe/engine/migration"
	"github.com/migsafe/migsafe/engine/orm"
)

// railsName is a Rails migration file as ActiveRecord's migrator lists db/migrate:
// {version}_{name}.rb, or {version}_{name}.{scope}.rb for an engine's migrations.
var railsName = regexp.MustCompile(`^([0-9]+)_([_a-z0-9]*)\.?([_a-z0-9]*)?\.rb$`)

// ormSet lists an ORM's migrations and orders them the way the ORM applies them
// (engine/orm reads the order from the files where it is in their content):
//
//	Rails      db/migrate/{version}_{name}.rb, by version
//	Django     every app's migrations/ beside the file's app (dependencies cross apps),
//	           by the dependency graph
//	Alembic    the versions directory, by the down_revision chain
//	Knex, Sequelize   the directory's scripts, by file name
//	TypeORM    the directory's scripts, by the timestamp in the name
//
// A file whose content is not a migration of the ORM (a helper module beside the
// migrations) is left out; the file at path is always in (an unsaved buffer).
func (s *Set) ormSet(fsys FS, path string) error {
	dirs := []string{s.Dir}
	if s.Runner == migration.Django {
		// <root>/<app>/migrations/NNNN_name.py: the set is every app under root.
		s.Dir = filepath.Dir(filepath.Dir(s.Dir))
		apps, err := fsys.ReadDir(s.Dir)
		if err != nil {
			return err
		}
		dirs = dirs[:0]
		for _, a := range apps {
			if a.Dir {
				dirs = append(dirs, filepath.Join(s.Dir, a.Name, "migrations"))
			}
		}
	}
	var files []orm.SetFile
	seen := false
	for _, dir := range dirs {
		entries, err := fsys.ReadDir(dir)
		if err != nil {
			if s.Runner == migration.Django && dir != filepath.Dir(path) {
				continue // an app without migrations
			}
			return err
		}
		for _, e := range entries {
			p := filepath.Join(dir, e.Name)
			if e.Dir || !s.ormName(e.Name) {
				continue
			}
			f, ok := s.ormFile(fsys, p)
			if !ok {
				continue
			}
			seen = seen || p == path
			files = append(files, f)
		}
	}
	if !seen {
		if f, ok := s.ormFile(fsys, path); ok {
			files = append(files, f)
		}
	}
	ordered, err := orm.Order(s.Runner, files)
	if err != nil {
		return err
	}
	for _, f := range ordered {
		s.Migrations = append(s.Migrations, Migration{Up: f.Path, Version: f.Version})
	}
	return nil
}

// ormName reports a file name the ORM's migrator would load as a migration.
func (s *Set) ormName(name string) bool {
	switch s.Runner {
	case migration.Rails:
		return railsName.MatchString(name)
	case migration.Django, migration.Alembic:
		return strings.HasSuffix(name, ".py") && !strings.HasPrefix(name, "_") && !strings.HasPrefix(name, "~")
	}
	// Knex, TypeORM and Sequelize load every script of the directory (type
	// declarations and tests are not migrations).
	return orm.Candidate(filepath.Join("migrations", name))
}

// ormFile reads a listed file where its content decides: the order (Django
// dependencies, Alembic revisions) or whether the ORM loads it as a migration (a
// TypeORM index.ts listing the migrations is not one). Rails and Knex load every
// file their names select.
func (s *Set) ormFile(fsys FS, path string) (orm.SetFile, bool) {
	if s.Runner == migration.Rails || s.Runner == migration.Knex {
		return orm.SetFile{Path: path}, true
	}
	data, err := fsys.ReadFile(path)
	if err != nil {
		return orm.SetFile{}, false
	}
	text := string(data)
	if orm.Detect(path, text, "") != s.Runner {
		return orm.SetFile{}, false
	}
	return orm.SetFile{Path: path, Text: text}, true
}

// djangoLabel is a Django migration's name as Django writes it in dependencies and
// as deployed_through may give it: app.0042_name.
func djangoLabel(path string) string {
	app := filepath.Base(filepath.Dir(filepath.Dir(path)))
	return fmt.Sprintf("%s.%s", app, strings.TrimSuffix(filepath.Base(path), ".py"))
}

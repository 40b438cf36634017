package main

import (
	"io"
	"os"

	"github.com/migsafe/migsafe/engine/migration"
	"github.com/migsafe/migsafe/engine/orm"
)

// ormMigration reports a file a directory walk found that is an ORM migration: in a
// migration directory by its path (db/migrate, <app>/migrations, versions, ...) and
// recognised by its content, or by the `orm` setting of its configuration. Only the
// head of the file is read: the markers sit at the top of a migration.
func (c *configs) ormMigration(path string) bool {
	if !orm.Candidate(path) {
		return false
	}
	setting := migration.Runner("")
	if cfg, err := c.forFile(path); err == nil {
		setting = cfg.ORM
	}
	f, err := os.Open(path)
	if err != nil {
		return true // analysed, so the read error is reported for the file
	}
	defer f.Close()
	head := make([]byte, 16<<10)
	n, _ := io.ReadFull(f, head)
	return orm.Detect(path, string(head[:n]), setting) != ""
}

// selected says whether a *.sql file found in a walk is one its config's
// migration_globs select (config.Selects); a file whose config does not load is kept,
// so that the error is reported for it.
func (c *configs) selected(path string) bool {
	cfg, err := c.forFile(path)
	return err != nil || cfg.Selects(path)
}

package engine

import (
	"os"
	"path/filepath"

	"github.com/migsafe/migsafe/engine/config"
	"github.com/migsafe/migsafe/engine/migration"
	"github.com/migsafe/migsafe/engine/orm"
)

// ParseFile reads a migration: SQL files through package migration, Ruby, Python,
// JavaScript and TypeScript migrations through the ORM front end detected (or set
// with `orm`), whose untranslated calls are the file's NotAnalysed notes. The
// analysis and the replay of a migration set parse with it, so one parse serves both.
func ParseFile(path, text string, cfg *config.Config, read func(string) ([]byte, error), cache *migration.ParseCache) *migration.File {
	return parseWith(path, text, cfg, ParseOptions(cfg, read, cache))
}

// parseWith is ParseFile with the options of a SQL parse given: a batch adds the
// down files it parsed already (migration.Options.Parsed).
func parseWith(path, text string, cfg *config.Config, opts migration.Options) *migration.File {
	if !isORMPath(path, cfg) {
		return migration.Parse(path, text, opts)
	}
	o := orm.Options{ReadFile: opts.ReadFile}
	if opts.ReadFile != nil {
		o.ReadDir = listDir
	}
	return orm.Parse(path, text, orm.Detect(path, text, cfg.ORM), o)
}

// isORMPath reports a file ParseFile reads through an ORM front end (when its
// content is a migration of one).
func isORMPath(path string, cfg *config.Config) bool {
	return orm.Language(path) != "" && cfg.ORM != migration.NoORM
}

// runnerOf is the runner of a migration file: its ORM, or for SQL the configured or
// detected runner. It is the Runner of the file ParseFile gives.
func runnerOf(path, text string, cfg *config.Config) migration.Runner {
	if isORMPath(path, cfg) {
		return orm.Detect(path, text, cfg.ORM)
	}
	if cfg.Runner != "" {
		return cfg.Runner
	}
	return migration.DetectText(path, text)
}

// notAnalysed are the problems of what the file's ORM front end did not translate.
func notAnalysed(f *migration.File) []Problem {
	var problems []Problem
	for _, n := range f.NotAnalysed {
		problems = append(problems, Problem{Offset: n.Start, Message: n.Message, Kind: "not-analysed"})
	}
	return problems
}

// listDir lists a directory's file names, sorted.
func listDir(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		if !e.IsDir() {
			names = append(names, filepath.Join(dir, e.Name()))
		}
	}
	return names, nil
}

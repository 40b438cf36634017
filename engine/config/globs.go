package config

import (
	"path"
	"path/filepath"
	"strings"
)

// Selects reports whether the .sql file at p is one migration_globs selects: every
// file when there are none; otherwise one matching a glob, read relative to the config
// file's directory (the working directory for defaults). `check DIR` walks only the
// files it selects, as the language server analyses only those (a file named on the
// command line is always checked).
func (c *Config) Selects(p string) bool {
	if len(c.MigrationGlobs) == 0 {
		return true
	}
	root := "."
	if c.Path != "" {
		root = filepath.Dir(c.Path)
	}
	rel := p
	if abs, err := filepath.Abs(p); err == nil {
		if r, err := filepath.Abs(root); err == nil {
			if q, err := filepath.Rel(r, abs); err == nil && q != ".." && !strings.HasPrefix(q, ".."+string(filepath.Separator)) {
				rel = q
			}
		}
	}
	return MatchGlobs(c.MigrationGlobs, filepath.ToSlash(rel))
}

// MatchGlobs matches a slash-separated relative path against globs as
// migration_globs are written: a glob without "/" matches the file name anywhere
// ("*.up.sql"), one with "/" matches the whole path, segment by segment, "**" standing
// for any number of segments ("db/**/migrations/*.sql").
func MatchGlobs(globs []string, rel string) bool {
	for _, g := range globs {
		if !strings.Contains(g, "/") {
			if ok, _ := path.Match(g, path.Base(rel)); ok {
				return true
			}
			continue
		}
		if globMatch(strings.Split(strings.TrimPrefix(g, "./"), "/"), strings.Split(rel, "/")) {
			return true
		}
	}
	return false
}

// globMatch matches path segments against pattern segments where "**" matches any
// number of segments.
func globMatch(pat, segs []string) bool {
	for len(pat) > 0 {
		if pat[0] == "**" {
			for i := 0; i <= len(segs); i++ {
				if globMatch(pat[1:], segs[i:]) {
					return true
				}
			}
			return false
		}
		if len(segs) == 0 {
			return false
		}
		if ok, _ := path.Match(pat[0], segs[0]); !ok {
			return false
		}
		pat, segs = pat[1:], segs[1:]
	}
	return len(segs) == 0
}

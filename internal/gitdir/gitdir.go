// Package gitdir finds the git work tree around a directory without running git:
// check asks for every migration directory, and a git process costs more than the
// whole lookup.
package gitdir

import (
	"os"
	"path/filepath"
)

// Top is the nearest directory at or above dir that holds .git (a directory, or the
// file of a linked work tree or submodule), made absolute; ok is false when none does.
func Top(dir string) (top string, ok bool) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", false
	}
	for d := abs; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, ".git")); err == nil {
			return d, true
		}
		if filepath.Dir(d) == d {
			return "", false
		}
	}
}

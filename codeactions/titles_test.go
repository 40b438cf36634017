package codeactions_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/migsafe/migsafe/codeactions"
	"github.com/migsafe/migsafe/engine"
	"github.com/migsafe/migsafe/engine/config"
)

// TestAttachTitlesMatchesAttach: the fixes `check` lists (titles only) are the fixes
// `migsafe fix` and the language server build, in the same order, for every finding
// of every rule and fix fixture.
func TestAttachTitlesMatchesAttach(t *testing.T) {
	var paths []string
	for _, dir := range []string{"../testdata/rules", "../testdata/fixes"} {
		filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.HasSuffix(p, ".sql") {
				paths = append(paths, p)
			}
			return err
		})
	}
	checked := 0
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		full := engine.Analyze(p, string(data), config.Default(), engine.Options{})
		titles := engine.Analyze(p, string(data), config.Default(), engine.Options{})
		codeactions.Attach(full)
		codeactions.AttachTitles(titles)
		for i, fd := range full.Findings {
			got := titles.Findings[i].Fixes
			if len(got) != len(fd.Fixes) {
				t.Fatalf("%s: %s: %d fixes with titles only, %d in full", p, fd.Rule.ID, len(got), len(fd.Fixes))
			}
			for j, fx := range fd.Fixes {
				if got[j].Title != fx.Title || got[j].Kind != fx.Kind || got[j].Preferred != fx.Preferred {
					t.Errorf("%s: %s fix %d: %q %s, want %q %s", p, fd.Rule.ID, j, got[j].Title, got[j].Kind, fx.Title, fx.Kind)
				}
				if got[j].Edits != nil || got[j].NewFiles != nil {
					t.Errorf("%s: %s fix %d keeps its edits", p, fd.Rule.ID, j)
				}
				checked++
			}
		}
	}
	if checked < 20 {
		t.Fatalf("only %d fixes compared", checked)
	}
}

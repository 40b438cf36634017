package engine_test

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/migsafe/migsafe/codeactions"
	"github.com/migsafe/migsafe/engine"
	"github.com/migsafe/migsafe/engine/config"
)

// A titles-only build (what check's reports list) gives every finding the fixes a full
// build gives, as far as a report shows them: the same titles, kinds and preference,
// in the same order. Checked on the corpus and on the rule and fix fixtures, for the
// default PostgreSQL and for 11.
func TestFixTitlesAreTheFixes(t *testing.T) {
	files := corpusFiles(t)
	for _, dir := range []string{"rules", "fixes"} {
		filepath.WalkDir(filepath.Join("..", "testdata", dir), func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.HasSuffix(p, ".sql") {
				if data, err := os.ReadFile(p); err == nil {
					files = append(files, corpusFile{path: p, text: string(data)})
				}
			}
			return nil
		})
	}
	shown := func(fixes []codeactions.Fix) []codeactions.Fix {
		out := make([]codeactions.Fix, len(fixes))
		for i, f := range fixes {
			out[i] = codeactions.Fix{Title: f.Title, Kind: f.Kind, Preferred: f.Preferred}
		}
		return out
	}
	compared, lighter := 0, 0
	// PostgreSQL 11 too: some fixes (SET NOT NULL's) differ before 12.
	pg11 := config.Default()
	pg11.PGVersion = 11
	for _, f := range files {
		for _, cfg := range []*config.Config{nil, pg11} {
			titled := engine.Analyze(f.path, f.text, cfg, engine.Options{})
			full := engine.Analyze(f.path, f.text, cfg, engine.Options{})
			if len(titled.Findings) != len(full.Findings) {
				t.Fatalf("%s: %d findings, then %d", f.path, len(titled.Findings), len(full.Findings))
			}
			for i, fd := range titled.Findings {
				got, want := fd.FixTitles(), full.Findings[i].Fixes()
				if g, w := shown(got), shown(want); !reflect.DeepEqual(g, w) {
					t.Errorf("%s: %s: titles only %+v, built %+v", f.path, fd.Rule.ID, g, w)
				}
				for j := range got {
					compared++
					if len(got[j].Edits) == 0 && len(want[j].Edits) > 0 {
						lighter++
					}
				}
				// Asked after the titles, the fixes are built in full.
				if after := fd.Fixes(); !reflect.DeepEqual(after, want) {
					t.Errorf("%s: %s: the fixes built after their titles differ from a full build", f.path, fd.Rule.ID)
				}
			}
		}
	}
	if compared < 1000 || lighter < compared/2 {
		t.Fatalf("%d fixes compared, %d of them built without edits", compared, lighter)
	}
	t.Logf("%d fixes compared, %d built without edits for their titles", compared, lighter)
}

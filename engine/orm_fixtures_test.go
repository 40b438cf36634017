package engine_test

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/migsafe/migsafe/engine/orm"
)

// ORM fixtures live in testdata/orm/<orm>/, laid out as each ORM lays out its
// migrations, with the directives of the SQL rule fixtures in the host language's
// comments (# want: RULE-ID, // want: none). The oracle test in engine/orm checks the
// SQL the front ends infer for the same files against the ORMs themselves.
func TestORMFixtures(t *testing.T) {
	root := filepath.Join("..", "testdata", "orm")
	var files []string
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && orm.Candidate(p) && !strings.Contains(p, "node_modules") {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	if len(files) == 0 {
		t.Fatal("no ORM fixtures found")
	}
	for _, path := range files {
		path := path
		t.Run(strings.TrimPrefix(path, root+"/"), func(t *testing.T) {
			checkFixture(t, path)
		})
	}
}

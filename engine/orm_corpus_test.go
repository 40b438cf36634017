package engine_test

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/migsafe/migsafe/engine"
	"github.com/migsafe/migsafe/engine/config"
	"github.com/migsafe/migsafe/engine/migration"
	"github.com/migsafe/migsafe/engine/orm"
	"github.com/migsafe/migsafe/engine/project"
)

// TestORMCorpus analyses every ORM migration of shared/corpus (Rails, Django, Alembic,
// Knex, TypeORM) through its front end: no panic, no front-end failure, every file
// detected as its ORM, statements translated, and no syntax error in SQL migsafe
// generated itself (raw SQL the authors wrote may still fail to parse), each file in
// its ORM's migration set and judged against its history's catalog. With -v it
// prints, per ORM, the operations translated vs not analysed and the findings per rule.
func TestORMCorpus(t *testing.T) {
	root := corpusDir()
	if root == "" {
		t.Skip("no shared/corpus found above the repository (set MIGSAFE_CORPUS)")
	}
	folders := map[string]migration.Runner{
		"rails-openstreetmap": migration.Rails, "django-netbox": migration.Django, "alembic-polar": migration.Alembic,
		"knex-wikijs": migration.Knex, "typeorm-flowise": migration.TypeORM,
	}
	names := make([]string, 0, len(folders))
	for n := range folders {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, folder := range names {
		want := folders[folder]
		t.Run(folder, func(t *testing.T) {
			dir := filepath.Join(root, folder)
			if _, err := os.Stat(dir); err != nil {
				t.Skipf("%s not in the corpus", folder)
			}
			var files []string
			filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
				if err == nil && !d.IsDir() && orm.Candidate(p) {
					files = append(files, p)
				}
				return nil
			})
			var nFiles, up, down, notes, raw, withHistory int
			rules := map[string]int{}
			var jobs []engine.Job
			for _, p := range files {
				data, err := os.ReadFile(p)
				if err != nil {
					t.Fatal(err)
				}
				text := string(data)
				if got := orm.Detect(p, text, ""); got != want {
					// Helper modules beside the migrations (an index.ts) are not migrations.
					if got == "" && !strings.Contains(text, "up") {
						continue
					}
					t.Errorf("%s: detected as %q, want %s", p, got, want)
					continue
				}
				jobs = append(jobs, engine.Job{Path: p, Text: text, Config: config.Default()})
			}
			// As check does: each file in its ORM's migration set, ordered the ORM's
			// way, judged against the catalog the earlier ones leave.
			var set *project.Set
			for i, o := range engine.AnalyzeBatch(jobs, engine.BatchOptions{}) {
				if o.Err != nil {
					t.Fatalf("%s: %v", jobs[i].Path, o.Err)
				}
				res := o.Result
				nFiles++
				if h := res.History; h != nil {
					set = h.Set
					if h.Before != nil && len(h.Before.Relations()) > 0 {
						withHistory++
					}
				}
				for _, s := range res.File.Statements {
					if s.Section == migration.Down {
						down++
					} else {
						up++
					}
					if s.Err != nil && !rawSQL(s) {
						t.Errorf("%s: migsafe's own SQL does not parse: %s\n%s", jobs[i].Path, s.Err.Message, s.Text)
					}
					if rawSQL(s) {
						raw++
					}
				}
				for _, pr := range res.Problems {
					if pr.Kind == "not-analysed" {
						notes++
						if strings.Contains(pr.Message, "front end failed") {
							t.Errorf("%s: %s", jobs[i].Path, pr.Message)
						}
					}
				}
				for _, fd := range res.Findings {
					rules[fd.Rule.ID+" "+fd.Status.String()]++
				}
			}
			// One set per project (a Django set spans its apps), holding every
			// migration, in an order the ORM would apply.
			if set == nil || set.Runner != want || len(set.Migrations) != len(jobs) {
				t.Errorf("%s: the migration set is %v, want one %s set of %d", folder, set, want, len(jobs))
			}
			// Most files come after migrations that created tables; a replay that
			// silently produced empty catalogs would pass the rest.
			if withHistory < nFiles*3/4 {
				t.Errorf("%s: only %d of %d files were judged against a non-empty catalog", folder, withHistory, nFiles)
			}
			if nFiles == 0 || up == 0 {
				t.Fatalf("%s: %d files, %d statements translated", folder, nFiles, up)
			}
			t.Logf("%s: %d files (%d against their history's catalog); %d up and %d down statements (%d from raw SQL); %d calls not analysed", folder, nFiles, withHistory, up, down, raw, notes)
			keys := make([]string, 0, len(rules))
			for k := range rules {
				keys = append(keys, k)
			}
			sort.Slice(keys, func(i, j int) bool {
				return rules[keys[i]] > rules[keys[j]] || rules[keys[i]] == rules[keys[j]] && keys[i] < keys[j]
			})
			var b strings.Builder
			for _, k := range keys {
				fmt.Fprintf(&b, "  %-50s %d\n", k, rules[k])
			}
			t.Logf("findings per rule:\n%s", b.String())
		})
	}
}

// rawSQL reports a statement from SQL the migration's author wrote (exact pieces).
func rawSQL(s *migration.Statement) bool {
	if s.Origin == nil {
		return false
	}
	for _, p := range s.Origin.Pieces {
		if p.Exact {
			return true
		}
	}
	return false
}

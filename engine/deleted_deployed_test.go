package engine_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/migsafe/migsafe/engine"
	"github.com/migsafe/migsafe/engine/config"
)

// A migration the base holds that the work tree no longer has was not reported by
// check (only the GitHub Action's comment named it), though deleting it undoes nothing
// where it ran. It is now a FLAG problem naming the deleted path, once, on the first
// file of the set check reads; a deleted down file alone, and a migration renamed
// (reported as edited-deployed-migration), are not deletions.
func TestDeletedDeployedMigration(t *testing.T) {
	dir := t.TempDir()
	mig := filepath.Join(dir, "db")
	if err := os.MkdirAll(mig, 0o755); err != nil {
		t.Fatal(err)
	}
	deployed := map[string]string{
		"1_users.up.sql":    "CREATE TABLE users (id bigint PRIMARY KEY);\n",
		"2_orders.up.sql":   "CREATE TABLE orders (id bigint PRIMARY KEY);\n",
		"2_orders.down.sql": "DROP TABLE orders;\n",
		"3_items.up.sql":    "CREATE TABLE items (id bigint PRIMARY KEY);\n",
		"3_items.down.sql":  "DROP TABLE items;\n",
		"4_tags.up.sql":     "CREATE TABLE tags (id bigint PRIMARY KEY);\n",
	}
	var names []string
	for name, text := range deployed {
		if err := os.WriteFile(filepath.Join(mig, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		names = append(names, filepath.Join("db", name))
	}
	gitRepo(t, dir, names, nil)
	// 2_orders deleted, 3_items' down deleted, 4_tags renamed to version 5.
	for _, name := range []string{"2_orders.up.sql", "2_orders.down.sql", "3_items.down.sql"} {
		if err := os.Remove(filepath.Join(mig, name)); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Rename(filepath.Join(mig, "4_tags.up.sql"), filepath.Join(mig, "5_tags.up.sql")); err != nil {
		t.Fatal(err)
	}
	var jobs []engine.Job
	for _, name := range []string{"3_items.up.sql", "1_users.up.sql", "5_tags.up.sql"} {
		jobs = append(jobs, engine.Job{Path: filepath.Join(mig, name), Config: config.Default(), OnDisk: true})
	}
	for _, base := range []string{"main", ""} { // --base, then the default merge-base
		for i, o := range engine.AnalyzeBatch(jobs, engine.BatchOptions{Base: base}) {
			if o.Err != nil {
				t.Fatalf("%s: %v", jobs[i].Path, o.Err)
			}
			var got []string
			for _, p := range o.Result.Problems {
				if p.Kind == engine.DeletedDeployed {
					got = append(got, p.Message)
					if p.Status().String() != "FLAG" {
						t.Errorf("%q is %s, want FLAG", p.Message, p.Status())
					}
				}
			}
			want := 0
			if i == 0 {
				want = 1 // the first job of the set carries it
			}
			if len(got) != want || want == 1 && !strings.Contains(got[0], filepath.Join(mig, "2_orders.up.sql")+" is in ") {
				t.Errorf("base %q, %s: deleted-deployed problems %q, want %d naming 2_orders.up.sql", base, filepath.Base(jobs[i].Path), got, want)
			}
		}
	}
	// Without a base revision to compare with (outside git), nothing is deleted.
	if err := os.RemoveAll(filepath.Join(dir, ".git")); err != nil {
		t.Fatal(err)
	}
	for _, o := range engine.AnalyzeBatch(jobs, engine.BatchOptions{}) {
		for _, p := range o.Result.Problems {
			if p.Kind == engine.DeletedDeployed {
				t.Errorf("outside git: %q", p.Message)
			}
		}
	}
}

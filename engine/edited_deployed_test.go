package engine_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/migsafe/migsafe/engine"
	"github.com/migsafe/migsafe/engine/config"
)

// A migration the base holds with other text has run there unedited: check said
// nothing of the edit (the file was judged as if it would run again). It is now a
// FLAG problem; the same text as the base's, a CRLF checkout of it, and a migration
// the base does not hold are not.
func TestEditedDeployedMigration(t *testing.T) {
	dir := t.TempDir()
	mig := filepath.Join(dir, "db")
	if err := os.MkdirAll(mig, 0o755); err != nil {
		t.Fatal(err)
	}
	deployed := map[string]string{
		"1_users.up.sql":  "CREATE TABLE users (id bigint PRIMARY KEY);\n",
		"2_orders.up.sql": "CREATE TABLE orders (id bigint PRIMARY KEY);\n",
	}
	var names []string
	for name, text := range deployed {
		if err := os.WriteFile(filepath.Join(mig, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		names = append(names, filepath.Join("db", name))
	}
	gitRepo(t, dir, names, nil)
	head := map[string]string{
		"1_users.up.sql":  "CREATE TABLE users (id bigint PRIMARY KEY, email text);\n", // edited
		"2_orders.up.sql": "CREATE TABLE orders (id bigint PRIMARY KEY);\r\n",          // line endings only
		"3_items.up.sql":  "CREATE TABLE items (id bigint PRIMARY KEY);\n",             // new
	}
	var jobs []engine.Job
	for _, name := range []string{"1_users.up.sql", "2_orders.up.sql", "3_items.up.sql"} {
		p := filepath.Join(mig, name)
		if err := os.WriteFile(p, []byte(head[name]), 0o644); err != nil {
			t.Fatal(err)
		}
		jobs = append(jobs, engine.Job{Path: p, Text: head[name], Config: config.Default()})
	}
	want := []bool{true, false, false}
	for _, base := range []string{"main", ""} { // --base, then the default merge-base
		for i, o := range engine.AnalyzeBatch(jobs, engine.BatchOptions{Base: base}) {
			if o.Err != nil {
				t.Fatalf("%s: %v", jobs[i].Path, o.Err)
			}
			got := false
			for _, p := range o.Result.Problems {
				if p.Kind == engine.EditedDeployed {
					got = true
					if base == "main" && !strings.Contains(p.Message, "already in main, where it has run") {
						t.Errorf("message %q does not name the base", p.Message)
					}
				}
			}
			if got != want[i] {
				t.Errorf("base %q: %s: edited-deployed problem %v, want %v (%+v)", base, filepath.Base(jobs[i].Path), got, want[i], o.Result.Problems)
			}
		}
	}
}

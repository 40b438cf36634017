package trace

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/migsafe/migsafe/codeactions"
	"github.com/migsafe/migsafe/engine/config"
)

// A batch job commits per batch, which the trace transaction cannot hold: it runs
// outside it, on the throwaway cluster, with its locks sampled from a second session.
// Each batch takes ROW EXCLUSIVE on the table and nothing that blocks reads or writes.
func TestTraceBatchJob(t *testing.T) {
	needServer(t)
	dir := t.TempDir()
	job := codeactions.BatchJob(config.Default(), codeactions.Job{Name: "trace test", Table: "orders",
		Set: "note = 'filled'", Needs: "note IS NULL", Converges: true})
	files := map[string]string{
		"0001_create_orders.up.sql": "CREATE TABLE orders (id bigint PRIMARY KEY, note text);\nINSERT INTO orders SELECT g FROM generate_series(1, 25000) g;\n",
		"0002_fill.up.sql":          job + "\n",
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	rep, err := Run(context.Background(), filepath.Join(dir, "0002_fill.up.sql"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Statements) != 1 {
		t.Fatalf("traced %d statements, want 1", len(rep.Statements))
	}
	s := rep.Statements[0]
	if s.Error != "" || s.Skipped != "" || !s.Outside {
		t.Fatalf("batch job: error %q, skipped %q, outside the trace transaction %v", s.Error, s.Skipped, s.Outside)
	}
	wantLock(t, s, "orders", "ROW EXCLUSIVE")
	for _, l := range s.Locks {
		if l.Relation == "orders" && l.Mode != "ROW EXCLUSIVE" && l.Mode != "ACCESS SHARE" {
			t.Errorf("the batch job took %s on orders", l.Mode)
		}
	}
	if len(s.Disagreements) != 0 {
		t.Errorf("disagreements on a DO block: %v", s.Disagreements)
	}
}

package runbook_test

import (
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/migsafe/migsafe/engine"
	"github.com/migsafe/migsafe/engine/config"
	"github.com/migsafe/migsafe/engine/project"
	"github.com/migsafe/migsafe/engine/runbook"
)

var update = flag.Bool("update", false, "rewrite the golden runbooks in testdata/runbook")

// Cases are the runbook battery: each directory of testdata/runbook holds a migration
// set whose last migration the runbook is for, and runbook.md, its golden runbook.
func Cases(t testing.TB) []string {
	dirs, err := filepath.Glob("../../testdata/runbook/*")
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no runbook cases: %v", err)
	}
	return dirs
}

// Analyze analyses the last up migration of a case directory in its migration set
// (the catalog the earlier migrations leave; the case's migsafe.toml says which are
// deployed), with its fixes.
func Analyze(t testing.TB, dir string) *engine.Result {
	ups, _ := filepath.Glob(filepath.Join(dir, "*.up.sql"))
	last := ups[len(ups)-1]
	cfg, err := config.Load(filepath.Join(dir, config.FileName), nil)
	if err != nil {
		t.Fatal(err)
	}
	text, err := os.ReadFile(last)
	if err != nil {
		t.Fatal(err)
	}
	// Paths relative to the case directory keep the golden files free of where the
	// test runs.
	out := engine.AnalyzeBatch([]engine.Job{{Path: filepath.Base(last), Text: string(text), Config: cfg}},
		engine.BatchOptions{FS: caseFS(dir)})
	if out[0].Err != nil {
		t.Fatal(out[0].Err)
	}
	if out[0].Result.History == nil {
		t.Fatalf("%s was judged without its migration set", last)
	}
	return out[0].Result
}

// caseFS reads relative paths inside a case directory.
type caseFS string

func (d caseFS) ReadFile(p string) ([]byte, error) {
	return project.OS.ReadFile(filepath.Join(string(d), p))
}

func (d caseFS) ReadDir(p string) ([]project.DirEntry, error) {
	return project.OS.ReadDir(filepath.Join(string(d), p))
}

var day = time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC)

func TestGoldenRunbooks(t *testing.T) {
	for _, dir := range Cases(t) {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			rb := runbook.Build(Analyze(t, dir), runbook.Options{Now: day, FS: caseFS(dir)})
			got := rb.Markdown(1)
			golden := filepath.Join(dir, "runbook.md")
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./engine/runbook -update)", err)
			}
			if got != string(want) {
				t.Errorf("runbook differs from %s (run go test ./engine/runbook -update and review the diff):\n%s", golden, got)
			}
			for _, section := range []string{"## Impact", "## Pre-flight checklist", "## Execute", "## Verification", "## Monitoring", "## Rollback"} {
				if !strings.Contains(got, section) {
					t.Errorf("no %q section", section)
				}
			}
		})
	}
}

// The after-down checks say what the up found, from the catalog before each of its
// statements. The walk kept only every 64th statement's catalog as a snapshot, so the
// later statements read a scratch catalog the statements after them had changed: an
// index dropped and recreated UNIQUE (Atlas writes a set of them) was expected back
// unique after the down, which recreates it as it was.
func TestAfterDownIsTheCatalogBeforeEachStatement(t *testing.T) {
	set := t.TempDir()
	for name, text := range map[string]string{
		"000001_t.up.sql": "CREATE TABLE t (id bigint);\nCREATE INDEX a_id ON t (id);\nCREATE INDEX b_id ON t (id);\nCREATE INDEX c_id ON t (id);\n",
		"000002_unique.up.sql": "DROP INDEX a_id;\nCREATE UNIQUE INDEX a_id ON t (id);\nDROP INDEX b_id;\nCREATE UNIQUE INDEX b_id ON t (id);\n" +
			"DROP INDEX c_id;\nCREATE UNIQUE INDEX c_id ON t (id);\n",
		"000002_unique.down.sql": "DROP INDEX c_id;\nCREATE INDEX c_id ON t (id);\nDROP INDEX b_id;\nCREATE INDEX b_id ON t (id);\n" +
			"DROP INDEX a_id;\nCREATE INDEX a_id ON t (id);\n",
		"migsafe.toml": "deployed_through = \"000001\"\n",
	} {
		if err := os.WriteFile(filepath.Join(set, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	rb := runbook.Build(Analyze(t, set), runbook.Options{Now: day})
	var got []string
	for _, q := range rb.Verification.AfterDown {
		if strings.HasPrefix(q.Name, "index ") {
			got = append(got, q.Name)
		}
	}
	want := []string{
		"index a_id exists and is valid: on t (id), not unique, on every row",
		"index b_id exists and is valid: on t (id), not unique, on every row",
		"index c_id exists and is valid: on t (id), not unique, on every row",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("after-down index checks:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// DROP INDEX names only the index; the lock on its table was listed with no name
// ("Lock ACCESS EXCLUSIVE on : blocks all reads and writes", hatchet v0_7_0). The
// table comes from the catalog the migration runs against.
func TestDropIndexLockNamesTheTable(t *testing.T) {
	set := t.TempDir()
	for name, text := range map[string]string{
		"000001_t.up.sql":    "CREATE TABLE \"Action\" (id bigint, \"tenantId\" bigint);\nCREATE UNIQUE INDEX \"Action_tenantId_id_key\" ON \"Action\" (\"tenantId\", id);\n",
		"000002_drop.up.sql": "DROP INDEX \"Action_tenantId_id_key\";\nDROP INDEX IF EXISTS nowhere_idx;\n",
		"migsafe.toml":       "deployed_through = \"000001\"\n",
	} {
		if err := os.WriteFile(filepath.Join(set, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	rb := runbook.Build(Analyze(t, set), runbook.Options{Now: day})
	if len(rb.Steps) != 2 {
		t.Fatalf("%d steps, want 2", len(rb.Steps))
	}
	for i, want := range []string{"Action", "the table of index nowhere_idx"} {
		var rels []string
		for _, l := range rb.Steps[i].Locks {
			rels = append(rels, l.Relation)
		}
		if !slices.Contains(rels, want) || slices.Contains(rels, "") {
			t.Errorf("step %d locks %q, want %q and no empty name", i+1, rels, want)
		}
	}
}

// A backfill whose WHERE narrows the NULL rows further (openmeter's
// UPDATE billing_invoices SET issued_at = updated_at WHERE issued_at IS NULL AND
// status = 'issued') leaves the other NULLs by design: "no NULL left" failed on a
// migration that did its job. Only a backfill of every row, or of every NULL, has
// that check.
func TestPartialBackfillHasNoNoNullCheck(t *testing.T) {
	cfg := config.Default()
	for up, want := range map[string]bool{
		"UPDATE invoices SET issued_at = updated_at WHERE issued_at IS NULL AND status = 'issued';\n": false,
		"UPDATE invoices SET issued_at = now() WHERE issued_at IS NULL AND paid_at IS NULL;\n":        false,
		"UPDATE invoices SET issued_at = updated_at WHERE issued_at IS NULL;\n":                       true,
		"UPDATE invoices SET issued_at = updated_at;\n":                                               true,
	} {
		rb := runbook.Build(engine.Analyze("000002_backfill.up.sql", up, cfg, engine.Options{}), runbook.Options{Now: day})
		got := false
		for _, q := range rb.Verification.AfterUp {
			got = got || strings.HasPrefix(q.Name, "no NULL left in invoices.issued_at")
		}
		if got != want {
			t.Errorf("%s: no-NULL check %v, want %v", strings.TrimSpace(up), got, want)
		}
	}
}

// openmeter's resource_meter drops meters.window_size; its down re-adds it NOT NULL
// with no DEFAULT, which fails on any row, so the rollback ("run the down, then
// restore from the backup") stopped at its first step. The runbook says so, and how
// to go about it.
func TestRollbackDownThatFailsOnRows(t *testing.T) {
	set := t.TempDir()
	for name, text := range map[string]string{
		"000001_meters.up.sql": "CREATE TABLE meters (id bigint PRIMARY KEY, window_size varchar NOT NULL);\n",
		"000002_drop.up.sql":   "ALTER TABLE meters DROP COLUMN window_size;\nCREATE TABLE fresh (id bigint);\n",
		"000002_drop.down.sql": "DROP TABLE fresh;\nALTER TABLE meters ADD COLUMN window_size varchar NOT NULL;\nALTER TABLE meters ADD COLUMN fine varchar NOT NULL DEFAULT '';\nALTER TABLE meters ADD COLUMN n bigserial NOT NULL;\n",
		"migsafe.toml":         "deployed_through = \"000001\"\n",
	} {
		if err := os.WriteFile(filepath.Join(set, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	rb := runbook.Build(Analyze(t, set), runbook.Options{Now: day})
	if len(rb.Rollback.Fails) != 1 || !strings.Contains(rb.Rollback.Fails[0], "meters.window_size") {
		t.Errorf("rollback fails %q, want one naming meters.window_size", rb.Rollback.Fails)
	}
	if md := rb.Markdown(1); !strings.Contains(md, "The down fails: ") {
		t.Errorf("markdown does not say the down fails:\n%s", md)
	}
}

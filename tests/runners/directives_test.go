package runners

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/migsafe/migsafe/engine/migration"
)

// The real runners are the oracle for the directive mistakes migsafe reports as their
// refusals (engine/migration/directives.go): for each file, goose v3.30's `validate`
// refuses it exactly when migsafe reports a goose refusal, and dbmate v2.28's `up`
// (against SQLite: the refusals come before any SQL runs) fails exactly when migsafe
// reports one; a `-- migrate:` line that is no directive, which dbmate takes as a
// comment, is no refusal but a FLAG (dbmate runs the SQL after it on the way up).
func TestDirectiveMistakesAreTheRunners(t *testing.T) {
	for _, name := range []string{"goose", "dbmate"} {
		if _, err := os.Stat(tool(name)); err != nil {
			if os.Getenv(RequireEnv) != "" {
				t.Fatalf("%s missing (run scripts/install-runners.sh)", name)
			}
			t.Skipf("%s missing (run scripts/install-runners.sh)", name)
		}
	}
	const up = "-- +goose Up\n"
	for _, text := range []string{
		up + "CREATE TABLE t (id int);\n-- +goose Down\nDROP TABLE t;\n",
		up + "-- +goose NO TRANSACTION\nSELECT 1;\n",
		"--+goose Up\n-- +goose StatementBegin\nSELECT 1;\n-- +goose StatementEnd\nSELECT 2; -- +goose whatever\n",
		"-- note\n\n" + up + "SELECT 1;\n",
		up + "SELECT 1;\n-- +goose Dwon\nDROP TABLE t;\n",
		up + "-- +goose Up extra\n",
		up + "-- +goose NoTransaction\n",
		up + "-- +goose\n",
		up + "  -- +goose Down\n",
		up + "-- +goose up\n",
		up + "-- +goose StatementBegin\nSELECT 1;\n",
		up + "-- +goose StatementBegin\nSELECT 1;\n-- +goose StatementBegin\nSELECT 2;\n-- +goose StatementEnd\n",
		up + "SELECT 1;\n-- +goose StatementEnd\n",
		"SELECT 0;\n" + up + "SELECT 1;\n",
		"-- note\n/* c */\n" + up + "SELECT 1;\n",
		"-- +goose Down\nSELECT 1;\n" + up + "SELECT 2;\n",
		up + "-- see the +goose docs\nSELECT 1;\n",
		up + "--+goose Down -- x\nSELECT 1;\n",
		up + "-- +goose Down +goose\n",
		up + "-- +gooseDown\nSELECT 1;\n",
		up + "SELECT 1; -- +goose Down\nSELECT 2;\n",
	} {
		dir := t.TempDir()
		path := filepath.Join(dir, "20240101000000_a.sql")
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(tool("goose"), "-dir", dir, "validate").CombinedOutput()
		refused := hasRefusal(migration.Parse(path, text, migration.Options{}), "goose refuses")
		if refused != (err != nil) {
			t.Errorf("%q: migsafe reports a refusal: %v; goose validate: %v %s", text, refused, err, out)
		}
	}
	for _, text := range []string{
		"-- migrate:up\nCREATE TABLE t (id int);\n-- migrate:down\nDROP TABLE t;\n",
		"-- migrate:up transaction:false\nSELECT 1;\n-- migrate:down\n-- migrate:whatever\n",
		"-- a comment\n\n  -- another\n-- migrate:up\nSELECT 1;\n-- migrate:down\nSELECT 2;\n",
		"-- migrate:up\nSELECT 1;\n-- migrate:down\n",
		"-- migrate:up\nSELECT 1;\n-- migrate:down\ttransaction:false\nSELECT 2;\n",
		"-- migrate:down\nSELECT 1;\n-- migrate:up\nSELECT 2;\n",
		"  -- migrate:up\nSELECT 1;\n-- migrate:down\nSELECT 2;\n",
		"-- note\nSELECT 0;\n-- migrate:up\nSELECT 1;\n-- migrate:down\nSELECT 2;\n",
		"/* block */\n-- migrate:up\nSELECT 1;\n-- migrate:down\nSELECT 2;\n",
		"-- note\n-- migrate:up\nCREATE TABLE t (id int);\n",
		"-- migrate:up\nCREATE TABLE t (id int);\n-- migrate:dwon\nDROP TABLE t;\n",
		"-- migrate:up\nCREATE TABLE t (id int);\n-- migrate:dwon\nCREATE TABLE u (id int);\n-- migrate:down\nDROP TABLE t;\n",
	} {
		dir := t.TempDir()
		path := filepath.Join(dir, "db", "migrations", "20240101000000_a.sql")
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(tool("dbmate"), "--url", "sqlite:"+filepath.Join(dir, "x.db"), "--no-dump-schema", "up")
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		f := migration.Parse(path, text, migration.Options{})
		refused := hasRefusal(f, "dbmate refuses")
		if refused != (err != nil) {
			t.Errorf("%q: migsafe reports a refusal: %v; dbmate up: %v %s", text, refused, err, out)
		}
	}
}

// hasRefusal says whether one of f's errors contains s.
func hasRefusal(f *migration.File, s string) bool {
	for _, e := range f.Errors {
		if strings.Contains(e.Message, s) {
			return true
		}
	}
	return false
}

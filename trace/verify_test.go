package trace

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/migsafe/migsafe/engine/runbook"
)

// TestVerifyRunbookBattery runs each golden runbook's verification queries on a real
// PostgreSQL: after up and after down, every one passes.
func TestVerifyRunbookBattery(t *testing.T) {
	needServer(t)
	dirs, _ := filepath.Glob("../testdata/runbook/*")
	if len(dirs) < 7 {
		t.Fatalf("%d runbook cases, want the battery of 7", len(dirs))
	}
	for _, dir := range dirs {
		ups, _ := filepath.Glob(filepath.Join(dir, "*.up.sql"))
		path := ups[len(ups)-1]
		t.Run(filepath.Base(dir), func(t *testing.T) {
			t.Parallel()
			rep, err := Roundtrip(context.Background(), path, Options{Verify: true})
			if err != nil {
				t.Fatal(err)
			}
			var text bytes.Buffer
			rep.WriteText(&text)
			t.Log("\n" + text.String())
			if !rep.OK() {
				t.Errorf("round trip with verification failed: %s %v %v", rep.Failed, rep.Differences, FailedChecks(rep.Checks))
			}
			phases := map[runbook.When]int{}
			for _, c := range rep.Checks {
				phases[c.Phase]++
			}
			if phases[runbook.AfterUp] == 0 || phases[runbook.AfterDown] == 0 {
				t.Errorf("checks per phase %v: want some after up and after down", phases)
			}
		})
	}
}

// TestVerifyCatchesBrokenDown: a down that leaves the index behind fails the
// after-down check that the index is gone; a down that re-adds a dropped column with
// another type, nullability and default than the catalog knew fails the check of the
// column; the round trip reports each, and only it.
func TestVerifyCatchesBrokenDown(t *testing.T) {
	needServer(t)
	cases := []struct{ path, fails, text string }{
		{"../testdata/trace/verify-broken-down/000002_index_email.up.sql",
			"after-down: index users_email_idx does not exist: users_email_idx still exists",
			"FAIL after-down index users_email_idx does not exist"},
		{"../testdata/trace/verify-wrong-type/000002_drop_nickname.up.sql",
			"after-down: column users.nickname exists: character varying(30), NOT NULL, with a default: text",
			"FAIL after-down column users.nickname exists"},
	}
	for _, c := range cases {
		t.Run(filepath.Base(filepath.Dir(c.path)), func(t *testing.T) {
			t.Parallel()
			rep, err := Roundtrip(context.Background(), c.path, Options{Verify: true})
			if err != nil {
				t.Fatal(err)
			}
			if rep.OK() {
				t.Fatal("the broken down passed")
			}
			failed := FailedChecks(rep.Checks)
			if len(failed) != 1 || !strings.Contains(failed[0], c.fails) {
				t.Errorf("failed checks %q, want only %q", failed, c.fails)
			}
			var text bytes.Buffer
			rep.WriteText(&text)
			if !strings.Contains(text.String(), c.text) {
				t.Errorf("text does not show the failing check:\n%s", text.String())
			}
		})
	}
}

// TestVerifyInTrace: without a round trip, the checks run after up inside the trace
// transaction; a failing query does not stop the others.
func TestVerifyInTrace(t *testing.T) {
	needServer(t)
	rep, err := Run(context.Background(), "../testdata/runbook/drop-column/000002_drop_nickname.up.sql", Options{Verify: true})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range rep.Checks {
		if !c.OK {
			t.Errorf("%s: %s %s", c.Name, c.Detail, c.Error)
		}
		names = append(names, string(c.Phase)+" "+c.Name)
	}
	want := "before rows of users before the migration|before backup users_nickname_backup_"
	if got := strings.Join(names, "|"); !strings.HasPrefix(got, want) || !strings.Contains(got, "after-up column users.nickname does not exist") {
		t.Errorf("checks %s", got)
	}
}

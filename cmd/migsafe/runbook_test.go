package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/migsafe/migsafe/engine/coderefs/coderefstest"
)

// TestRunbookCommand runs `migsafe runbook` as a user does, in a repository whose code
// uses what the migration drops, with the previous release as --base.
func TestRunbookCommand(t *testing.T) {
	repo := coderefstest.Repo(t, "../../testdata/coderefs/shop", "../../testdata/coderefs/shop-base")
	mig := filepath.Join("migrations", "000002_contract.up.sql")

	out, errOut, code := run(t, repo, "", "runbook", "--base", coderefstest.BaseTag, mig)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"# Runbook: `migrations/000002_contract.up.sql`", "## Pre-flight checklist", "## Backups",
		`\copy (SELECT id, nickname FROM users) TO 'users_nickname_backup_`, "## Verification", "column users.nickname does not exist", "## Rollback", "## Monitoring",
		"not safe while the previous release (previous-release) is still running"} {
		if !strings.Contains(out, want) {
			t.Errorf("runbook has no %q", want)
		}
	}

	out, errOut, code = run(t, repo, "", "runbook", "--format", "json", mig)
	if code != 0 {
		t.Fatalf("json: exit %d: %s", code, errOut)
	}
	var doc struct {
		Version  int `json:"version"`
		Runbooks []struct {
			Path         string `json:"path"`
			Verification struct {
				AfterUp   []struct{ SQL string } `json:"afterUp"`
				AfterDown []struct{ SQL string } `json:"afterDown"`
			} `json:"verification"`
			Impact []struct {
				Name string `json:"name"`
				Uses []struct {
					Path string `json:"path"`
					Line int    `json:"line"`
				} `json:"uses"`
			} `json:"impact"`
		} `json:"runbooks"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if doc.Version != 1 || len(doc.Runbooks) != 1 || len(doc.Runbooks[0].Verification.AfterUp) == 0 || len(doc.Runbooks[0].Verification.AfterDown) == 0 {
		t.Errorf("json runbook: %+v", doc)
	}
	if len(doc.Runbooks) == 1 && (len(doc.Runbooks[0].Impact) == 0 || len(doc.Runbooks[0].Impact[0].Uses) == 0) {
		t.Errorf("impact names no code: %+v", doc.Runbooks[0].Impact)
	}
	// --format ignores case, as check's does.
	if upper, errOut, code := run(t, repo, "", "runbook", "--format", "JSON", mig); code != 0 || upper != out {
		t.Errorf("--format JSON: exit %d: %s", code, errOut)
	}

	if _, errOut, code = run(t, repo, "", "check", "--base", "no-such-release", mig); code != 2 || !strings.Contains(errOut, "--base no-such-release: not a commit") {
		t.Errorf("check --base with a bad revision: exit %d, %q", code, errOut)
	}
	if _, errOut, code = run(t, repo, "", "runbook", "--format", "html", mig); code != 2 || !strings.Contains(errOut, `--format "html"`) {
		t.Errorf("runbook --format html: exit %d, %q", code, errOut)
	}
	out, _, code = run(t, repo, "", "check", "--format", "json", "--base", coderefstest.BaseTag, mig)
	if code != 1 || !strings.Contains(out, `"path": "internal/store/orders.go"`) || !strings.Contains(out, `"deploy": "after-code"`) {
		t.Errorf("check --base json: exit %d\n%s", code, out)
	}
}

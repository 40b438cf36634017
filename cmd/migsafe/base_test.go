package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/migsafe/migsafe/engine/coderefs/coderefstest"
)

// TestBaseFromOutsideTheRepository: --base is looked for in the repository of the
// migrations, not the current directory's. From the repository's parent, `check
// --base REF repo/migrations/...` said "is not inside a git repository"; a file outside
// any repository failed in the middle of the run with git's ls-tree error; a shallow
// clone without the base commit did not say how to fetch it.
func TestBaseFromOutsideTheRepository(t *testing.T) {
	repo := coderefstest.Repo(t, "../../testdata/coderefs/shop", "../../testdata/coderefs/shop-base")
	mig := filepath.Join(filepath.Base(repo), "migrations", "000002_contract.up.sql")
	if _, errOut, code := run(t, filepath.Dir(repo), "", "check", "--base", coderefstest.BaseTag, mig); code != 1 {
		t.Errorf("from the repository's parent: exit %d, want 1 (findings): %s", code, errOut)
	}
	if _, errOut, code := run(t, filepath.Dir(repo), "", "check", "--base", "no-such-release", mig); code != 2 || !strings.Contains(errOut, "--base no-such-release: not a commit of the repository at "+repo) {
		t.Errorf("a bad revision from the repository's parent: exit %d, %q", code, errOut)
	}

	outside := t.TempDir()
	if err := os.WriteFile(filepath.Join(outside, "1_a.up.sql"), []byte("CREATE TABLE a (id int);\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, errOut, code := run(t, repo, "", "check", "--base", coderefstest.BaseTag, filepath.Join(outside, "1_a.up.sql"))
	if code != 2 || !strings.Contains(errOut, "--base "+coderefstest.BaseTag+": "+outside+" is not inside a git repository") || strings.Contains(errOut, "ls-tree") {
		t.Errorf("a file outside any repository: exit %d, %q", code, errOut)
	}

	shallow := filepath.Join(t.TempDir(), "shallow")
	if out, err := exec.Command("git", "clone", "-q", "--depth", "1", "file://"+repo, shallow).CombinedOutput(); err != nil {
		t.Fatalf("git clone: %v\n%s", err, out)
	}
	_, errOut, code = run(t, shallow, "", "check", "--base", coderefstest.BaseTag, filepath.Join("migrations", "000002_contract.up.sql"))
	if code != 2 || !strings.Contains(errOut, "a shallow clone: fetch the history") {
		t.Errorf("a shallow clone without the base: exit %d, %q", code, errOut)
	}
}

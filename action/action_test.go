// Package action_test tests the GitHub Action's report step (action/report.sh) and
// its local dry run on a pull request made of fixture commits, the pre-commit hooks
// with the real pre-commit, and action.yml's wiring. The API step (comment.mjs) has
// node tests of its own (action/test).
package action_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/migsafe/migsafe/engine/orm"
	"github.com/migsafe/migsafe/internal/corpus"
	"github.com/migsafe/migsafe/internal/schematest"
)

var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "migsafe-action")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "migsafe")
	build := exec.Command("go", "build", "-o", binary, "../cmd/migsafe")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		panic(err)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func sh(t *testing.T, dir string, env []string, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s: %v\n%s%s", name, strings.Join(args, " "), err, out.String(), errb.String())
	}
	return out.String() + errb.String()
}

func copyTree(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		dst := filepath.Join(to, rel)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		return os.WriteFile(dst, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// pullRequest makes a git repository: the base tree committed on main, the head tree
// (and extra files) committed on a branch; it returns the directory and both commits.
func pullRequest(t *testing.T, extra map[string]string) (dir, base, head string) {
	t.Helper()
	dir = t.TempDir()
	git := func(args ...string) string {
		return strings.TrimSpace(sh(t, dir, []string{"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com"}, "git", args...))
	}
	git("init", "-q", "-b", "main")
	copyTree(t, "../testdata/action/base", dir)
	git("add", "-A")
	git("commit", "-qm", "base")
	base = git("rev-parse", "HEAD")
	git("checkout", "-q", "-b", "feature")
	copyTree(t, "../testdata/action/head", dir)
	for name, text := range extra {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	git("add", "-A")
	git("commit", "-qm", "head")
	head = git("rev-parse", "HEAD")
	return dir, base, head
}

func reportScript(t *testing.T) string {
	p, err := filepath.Abs("report.sh")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestReportStep runs the report step on a pull request that adds the fixture's
// migration and the noisiest corpus migration: only the changed migrations are checked,
// the comment starts with the marker, links to the head commit and stays under
// 65,536 characters, the SARIF validates, the outputs and the job summary are written.
func TestReportStep(t *testing.T) {
	extra := map[string]string{}
	if c := corpus.Dir(); c != "" {
		data, err := os.ReadFile(filepath.Join(c, "dhis2-flyway/2.32/V2_32_10__Use_bigint_for_id_columns.sql"))
		if err != nil {
			t.Fatal(err)
		}
		extra["db/migrations/V3__Use_bigint_for_id_columns.sql"] = string(data)
	} else {
		t.Log("no shared corpus: the noisiest migration is left out")
	}
	dir, base, head := pullRequest(t, extra)
	out := filepath.Join(t.TempDir(), "out")
	ghOut, summary := filepath.Join(out, "..", "github-output"), filepath.Join(out, "..", "summary")
	log := sh(t, dir, []string{"MIGSAFE_BIN=" + binary, "BASE=" + base, "HEAD=" + head, "PATHS=db/migrations", "OUT=" + out,
		"GITHUB_SERVER_URL=https://github.com", "GITHUB_REPOSITORY=acme/shop", "GITHUB_RUN_ID=99", "MIGSAFE_COMMIT=" + head,
		"GITHUB_OUTPUT=" + ghOut, "GITHUB_STEP_SUMMARY=" + summary}, "bash", reportScript(t))
	read := func(p string) string {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	files := strings.Fields(read(filepath.Join(out, "files.txt")))
	want := []string{"db/migrations/V2__add_phone.sql"}
	if len(extra) > 0 {
		want = append(want, "db/migrations/V3__Use_bigint_for_id_columns.sql")
	}
	if strings.Join(files, " ") != strings.Join(want, " ") {
		t.Errorf("checked %v, want the changed migrations %v (log: %s)", files, want, log)
	}
	comment := read(filepath.Join(out, "comment.md"))
	t.Logf("comment: %d bytes for %d migrations", len(comment), len(files))
	if len(comment) > 65536 {
		t.Errorf("comment of %d bytes is over GitHub's 65,536", len(comment))
	}
	if !strings.HasPrefix(comment, "<!-- migsafe-pr-comment -->\n# migsafe: 🛑 BLOCK") {
		t.Errorf("comment starts %q", comment[:min(len(comment), 80)])
	}
	if !strings.Contains(comment, "https://github.com/acme/shop/blob/"+head+"/db/migrations/V2__add_phone.sql#L2") || !strings.Contains(comment, "```diff") {
		t.Error("comment lacks links to the head commit or a fix diff")
	}
	if len(extra) > 0 && !regexp.MustCompile("\\*\\*\\d+ more\\*\\* `changing-column-type` findings").MatchString(comment) {
		t.Error("the noisy migration's findings are not folded")
	}
	if s := read(summary); !strings.Contains(s, "# migsafe: 🛑 BLOCK") || strings.Contains(s, "<!-- migsafe-pr-comment -->") {
		t.Error("job summary missing or carrying the comment marker")
	}
	outputs := read(ghOut)
	for _, w := range []string{"verdict=BLOCK\n", "exit-code=1\n", "files=" + map[bool]string{true: "2", false: "1"}[len(extra) > 0] + "\n"} {
		if !strings.Contains(outputs, w) {
			t.Errorf("GITHUB_OUTPUT lacks %q:\n%s", w, outputs)
		}
	}
	inst, err := jsonschema.UnmarshalJSON(strings.NewReader(read(filepath.Join(out, "report.sarif"))))
	if err != nil {
		t.Fatal(err)
	}
	if err := schematest.Compile(t, "../testdata/sarif/sarif-2.1.0-rtm.5.json", schematest.SARIFID).Validate(inst); err != nil {
		t.Errorf("report.sarif does not validate against SARIF 2.1.0: %v", err)
	}
	var rep struct{ Files []struct{ Path string } }
	if err := json.Unmarshal([]byte(read(filepath.Join(out, "report.json"))), &rep); err != nil || len(rep.Files) != len(want) {
		t.Errorf("report.json: %v, %d files", err, len(rep.Files))
	}
}

// TestReportStepNoMigrations: a pull request that changes no migration gets a comment
// saying so (replacing an earlier one) and passes.
func TestReportStepNoMigrations(t *testing.T) {
	dir, base, _ := pullRequest(t, nil)
	out := filepath.Join(t.TempDir(), "out")
	sh(t, dir, []string{"MIGSAFE_BIN=" + binary, "BASE=" + base, "PATHS=db/seeds", "OUT=" + out}, "bash", reportScript(t))
	comment, _ := os.ReadFile(filepath.Join(out, "comment.md"))
	code, _ := os.ReadFile(filepath.Join(out, "exit-code"))
	if !strings.HasPrefix(string(comment), "<!-- migsafe-pr-comment -->\n# migsafe: ✅ no migrations changed") || strings.TrimSpace(string(code)) != "0" {
		t.Errorf("comment %q, exit code %q", comment, code)
	}
}

// TestReportStepDeletedMigration: a pull request that deletes a migration is told so
// once, whether or not it also changes others (the comment said "no migrations changed"
// for a deletion alone; beside a change, check --base reports it and the note named it
// again), and the comment with the note stays under 65,536 bytes.
func TestReportStepDeletedMigration(t *testing.T) {
	for _, alsoChanged := range []bool{false, true} {
		dir, base, _ := pullRequest(t, nil)
		env := []string{"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com"}
		if !alsoChanged {
			// Only the deletion: the head is the base minus V1.
			sh(t, dir, env, "git", "reset", "-q", "--hard", base)
		}
		sh(t, dir, env, "git", "rm", "-q", "db/migrations/V1__create_users.sql")
		sh(t, dir, env, "git", "commit", "-qm", "delete V1")
		out := filepath.Join(t.TempDir(), "out")
		sh(t, dir, []string{"MIGSAFE_BIN=" + binary, "BASE=" + base, "PATHS=db/migrations", "OUT=" + out}, "bash", reportScript(t))
		data, _ := os.ReadFile(filepath.Join(out, "comment.md"))
		comment := string(data)
		// Beside a change, check --base names the deletion (deleted-deployed-migration);
		// the note named it a second time.
		if n := strings.Count(comment, "db/migrations/V1__create_users.sql"); n != 1 {
			t.Errorf("changed too %v: the comment names the deleted migration %d times, want once:\n%s", alsoChanged, n, comment)
		}
		if !alsoChanged && (!strings.Contains(comment, "## Deleted migrations") || !strings.Contains(comment, "- `db/migrations/V1__create_users.sql`\n")) {
			t.Errorf("the comment does not note the deleted migration:\n%s", comment)
		}
		if alsoChanged && (strings.Contains(comment, "## Deleted migrations") || !strings.Contains(comment, "deleted-deployed-migration")) {
			t.Errorf("the deletion is not reported by migsafe alone:\n%s", comment)
		}
		if strings.Contains(comment, "no migrations changed") {
			t.Errorf("changed too %v: the comment says nothing changed:\n%s", alsoChanged, comment)
		}
		if alsoChanged && !strings.Contains(comment, "V2__add_phone.sql") {
			t.Errorf("the changed migration's report is missing:\n%s", comment)
		}
		if len(comment) > 65536 {
			t.Errorf("comment of %d bytes", len(comment))
		}
	}
}

// TestDryRun: the local dry run prints the comment it would post.
func TestDryRun(t *testing.T) {
	out := sh(t, ".", []string{"MIGSAFE_BIN=" + binary}, "bash", "dry-run.sh")
	for _, w := range []string{"would create or update the migsafe comment on acme/shop pull request #7", "<!-- migsafe-pr-comment -->", "# migsafe: 🛑 BLOCK", "-- checked: db/migrations/V2__add_phone.sql \n"} {
		if !strings.Contains(out, w) {
			t.Errorf("dry run output lacks %q:\n%s", w, out)
		}
	}
}

// TestActionWiring: action.yml runs the scripts this package tests, passes the pull
// request's base and head, and fails the job only after commenting and uploading.
func TestActionWiring(t *testing.T) {
	data, err := os.ReadFile("../action.yml")
	if err != nil {
		t.Fatal(err)
	}
	y := string(data)
	for _, w := range []string{
		`run: bash "$GITHUB_ACTION_PATH/action/report.sh"`,
		`run: node "$GITHUB_ACTION_PATH/action/comment.mjs"`,
		"default: ${{ github.event.pull_request.base.sha }}",
		"BASE: ${{ inputs.base }}",
		"HEAD: ${{ github.event.pull_request.head.sha || github.sha }}",
		"uses: github/codeql-action/upload-sarif@v3",
		// A fork's read-only token: the comment warns, the upload is skipped.
		"MIGSAFE_FORK: ${{ github.event.pull_request.head.repo.full_name != github.repository }}",
		"(!github.event.pull_request || github.event.pull_request.head.repo.full_name == github.repository)",
	} {
		if !strings.Contains(y, w) {
			t.Errorf("action.yml lacks %q", w)
		}
	}
	if strings.Index(y, `exit "$CODE"`) < strings.Index(y, "upload-sarif") || strings.Index(y, "upload-sarif") < strings.Index(y, "comment.mjs") {
		t.Error("the verdict must fail the job after the comment and the SARIF upload")
	}
}

// TestPreCommitHook runs the migsafe-system hook with the real pre-commit (Debian's;
// scripts/install-precommit.sh) on a repository with a BLOCK migration: the hook fails
// and prints the finding; a safe migration passes.
func TestPreCommitHook(t *testing.T) {
	if _, err := exec.LookPath("pre-commit"); err != nil {
		t.Skip("pre-commit is not installed (scripts/install-precommit.sh installs it; scripts/test does)")
	}
	repo, _, _ := pullRequest(t, nil)
	hooks, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	env := []string{"PATH=" + filepath.Dir(binary) + ":" + os.Getenv("PATH"), "PRE_COMMIT_HOME=" + t.TempDir()}
	cmd := exec.Command("pre-commit", "try-repo", hooks, "migsafe-system", "--files", "db/migrations/V2__add_phone.sql")
	cmd.Dir, cmd.Env = repo, append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "adding-required-column") || !strings.Contains(string(out), "Failed") {
		t.Errorf("pre-commit on a BLOCK migration: %v\n%s", err, out)
	}
	cmd = exec.Command("pre-commit", "try-repo", hooks, "migsafe-system", "--files", "db/migrations/V1__create_users.sql")
	cmd.Dir, cmd.Env = repo, append(os.Environ(), env...)
	if out, err := cmd.CombinedOutput(); err != nil || !strings.Contains(string(out), "Passed") {
		t.Errorf("pre-commit on a safe migration: %v\n%s", err, out)
	}
}

// TestPreCommitHookOneRun: pre-commit splits a hook's files across parallel processes
// (on 2 cores, 13 files ran as two migsafe checks of 7 and 6, each with its own
// verdict line, and a set's deletions reported by each); the hooks are serial, so
// one check reads every staged migration and prints one verdict.
func TestPreCommitHookOneRun(t *testing.T) {
	if _, err := exec.LookPath("pre-commit"); err != nil {
		t.Skip("pre-commit is not installed (scripts/install-precommit.sh installs it; scripts/test does)")
	}
	extra := map[string]string{}
	for i := 3; i < 16; i++ {
		extra[fmt.Sprintf("db/migrations/V%d__c%d.sql", i, i)] = fmt.Sprintf("ALTER TABLE users ADD COLUMN c%d int;\n", i)
	}
	repo, _, _ := pullRequest(t, extra)
	hooks, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("pre-commit", "try-repo", hooks, "migsafe-system", "--all-files")
	cmd.Dir = repo
	cmd.Env = append(os.Environ(), "PATH="+filepath.Dir(binary)+":"+os.Getenv("PATH"), "PRE_COMMIT_HOME="+t.TempDir())
	out, _ := cmd.CombinedOutput()
	if n := regexp.MustCompile(`(?m)^\d+ files? checked`).FindAllString(string(out), -1); len(n) != 1 || n[0] != "15 files checked" {
		t.Errorf("pre-commit ran migsafe as %q, want one check of the 15 migrations:\n%s", n, out)
	}
}

// TestCommentAPIStep runs the API step's node tests (action/test), which drive
// comment.mjs against a fake GitHub on 127.0.0.1.
func TestCommentAPIStep(t *testing.T) {
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("node is not installed (the runner of the action's API step)")
	}
	out := sh(t, ".", nil, "node", "--test", "test/")
	if !regexp.MustCompile(`(?m)^# pass [1-9]\d*$`).MatchString(out) || !regexp.MustCompile(`(?m)^# fail 0$`).MatchString(out) {
		t.Errorf("node tests of comment.mjs:\n%s", out)
	}
}

// TestReportStepForcePushedBase: after the base branch is force-pushed, the pull
// request's base.sha is on no branch, so a fetch-depth: 0 clone lacks it and the step
// failed ("not in this clone; check out with fetch-depth: 0", which it was). It
// compares with the merge-base of origin/<base branch> and says so.
func TestReportStepForcePushedBase(t *testing.T) {
	upstream, _, head := pullRequest(t, nil)
	clone := t.TempDir()
	sh(t, ".", nil, "git", "clone", "-q", "--no-checkout", upstream, clone)
	sh(t, clone, nil, "git", "checkout", "-q", head)
	out := filepath.Join(t.TempDir(), "out")
	gone := strings.Repeat("ab", 20) // the old tip, on no branch any more
	log := sh(t, clone, []string{"MIGSAFE_BIN=" + binary, "BASE=" + gone, "HEAD=" + head, "PATHS=db/migrations", "OUT=" + out, "GITHUB_BASE_REF=main"}, "bash", reportScript(t))
	files, _ := os.ReadFile(filepath.Join(out, "files.txt"))
	if strings.TrimSpace(string(files)) != "db/migrations/V2__add_phone.sql" || !strings.Contains(log, "force-pushed") {
		t.Errorf("checked %q; log:\n%s", files, log)
	}
}

// TestGitLabSnippet runs the GitLab CI job of docs/gitlab-ci.yml as far as it runs
// here: its script after the install line, in one bash -eo pipefail as GitLab's shell
// executor runs it, in a clone made as GitLab makes one (the pipeline's branch only,
// detached), for a merge request pipeline (CI_MERGE_REQUEST_DIFF_BASE_SHA) and a
// branch pipeline (CI_DEFAULT_BRANCH), on the fixture pull request plus a table and an
// index on it, and on its base. The README's snippet uploaded the code quality report
// on success only, so a job failing on a BLOCK showed nothing in the merge request,
// and compared with no base, so the index on the merge request's own new table was a
// BLOCK.
func TestGitLabSnippet(t *testing.T) {
	if err := exec.Command("python3", "-c", "import yaml").Run(); err != nil {
		t.Skip("python3 with yaml is needed to read the snippet")
	}
	js, err := exec.Command("python3", "-c", "import json, sys, yaml; json.dump(yaml.safe_load(open(sys.argv[1])), sys.stdout)", "../docs/gitlab-ci.yml").Output()
	if err != nil {
		t.Fatal(err)
	}
	var ci map[string]struct {
		Variables map[string]any
		Script    []string
		Artifacts struct {
			When    string
			Reports struct{ Codequality string }
		}
	}
	if err := json.Unmarshal(js, &ci); err != nil {
		t.Fatal(err)
	}
	job := ci["migsafe"]
	if len(job.Script) < 2 || !strings.Contains(job.Script[0], "go install") || job.Artifacts.When != "always" || job.Artifacts.Reports.Codequality == "" || fmt.Sprint(job.Variables["GIT_DEPTH"]) != "0" {
		t.Fatalf("docs/gitlab-ci.yml: %+v", job)
	}
	script := strings.Join(job.Script[1:], "\n")
	upstream, base, head := pullRequest(t, map[string]string{
		"db/migrations/V3__carts.sql":     "CREATE TABLE carts (id bigint PRIMARY KEY, user_id bigint);\n",
		"db/migrations/V4__carts_idx.sql": "CREATE INDEX carts_user ON carts (user_id);\n",
	})
	for _, c := range []struct {
		name   string
		rev    string
		env    []string
		code   int
		issues bool
	}{
		{"merge request", head, []string{"CI_MERGE_REQUEST_DIFF_BASE_SHA=" + base}, 1, true},
		{"branch", head, []string{"CI_DEFAULT_BRANCH=main"}, 1, true},
		{"base", base, []string{"CI_MERGE_REQUEST_DIFF_BASE_SHA=" + base}, 0, false},
	} {
		dir := t.TempDir()
		sh(t, dir, nil, "git", "init", "-q")
		sh(t, dir, nil, "git", "remote", "add", "origin", upstream)
		sh(t, dir, nil, "git", "fetch", "-q", "origin", c.rev)
		sh(t, dir, nil, "git", "checkout", "-q", "--detach", "FETCH_HEAD")
		cmd := exec.Command("bash", "-eo", "pipefail", "-c", script)
		cmd.Dir = dir
		cmd.Env = append(append(os.Environ(), "PATH="+filepath.Dir(binary)+":"+os.Getenv("PATH")), c.env...)
		out, err := cmd.CombinedOutput()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		data, _ := os.ReadFile(filepath.Join(dir, job.Artifacts.Reports.Codequality))
		var issues []struct {
			CheckName string `json:"check_name"`
			Location  struct{ Path string }
		}
		if err := json.Unmarshal(data, &issues); err != nil || code != c.code || (len(issues) > 0) != c.issues {
			t.Errorf("%s: job exit %d (want %d), report %v, %d issues\n%s", c.name, code, c.code, err, len(issues), out)
		}
		for _, is := range issues {
			if filepath.IsAbs(is.Location.Path) || !strings.HasPrefix(is.Location.Path, "db/migrations/") {
				t.Errorf("%s: issue path %q, want one relative to the repository", c.name, is.Location.Path)
			}
			if strings.HasSuffix(is.Location.Path, "V4__carts_idx.sql") {
				t.Errorf("%s: %s on the index of the table the merge request creates", c.name, is.CheckName)
			}
		}
	}
}

// TestReportStepORMMigrations: the report step checked only .sql files, so a Rails
// pull request's db/migrate/*.rb got "no migrations changed" and passed whatever it
// did. ORM migrations are checked now, application code is not, and report.sh's
// choice of paths agrees with engine/orm.Candidate, where migsafe reads them.
func TestReportStepORMMigrations(t *testing.T) {
	dir, base, head := pullRequest(t, map[string]string{
		"db/migrate/20240102000000_add_x.rb": "class AddX < ActiveRecord::Migration[7.0]\n  def change\n    add_column :users, :x, :integer, null: false\n  end\nend\n",
		"app/models/user.rb":                 "class User < ApplicationRecord\nend\n",
	})
	out := filepath.Join(t.TempDir(), "out")
	sh(t, dir, []string{"MIGSAFE_BIN=" + binary, "BASE=" + base, "HEAD=" + head, "OUT=" + out}, "bash", reportScript(t))
	files, _ := os.ReadFile(filepath.Join(out, "files.txt"))
	if got := strings.Fields(string(files)); strings.Join(got, " ") != "db/migrate/20240102000000_add_x.rb db/migrations/V2__add_phone.sql" {
		t.Errorf("checked %v", got)
	}
	if comment, _ := os.ReadFile(filepath.Join(out, "comment.md")); !strings.Contains(string(comment), "adding-required-column") || !strings.Contains(string(comment), "20240102000000_add_x.rb") {
		t.Errorf("the Rails migration's finding is not in the comment:\n%s", comment)
	}

	paths := []string{"db/migrate/20240101_a.rb", "app/models/user.rb", "shop/migrations/0001_initial.py", "shop/migrations/__init__.py",
		"src/migrations/1700-Add.ts", "src/migrations/index.d.ts", "src/migrations/x.test.ts", "src/migrations/sub/x.spec.js",
		"alembic/versions/abc.py", "db/x.sql", "lib/migrator.py", "Migrations/2024_a.cjs", "migrations/a.mts", "db/migrate/README.md"}
	script := `source <(sed -n '/^migrations() {/,/^}/p' "$1"); migrations`
	cmd := exec.Command("bash", "-c", script, "bash", reportScript(t))
	cmd.Stdin = strings.NewReader(strings.Join(paths, "\n") + "\n")
	got, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	chosen := map[string]bool{}
	for _, p := range strings.Fields(string(got)) {
		chosen[p] = true
	}
	for _, p := range paths {
		if want := strings.HasSuffix(p, ".sql") || orm.Candidate(p); chosen[p] != want {
			t.Errorf("report.sh chooses %s: %v; engine/orm.Candidate or .sql: %v", p, chosen[p], want)
		}
	}
}

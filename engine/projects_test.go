package engine_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"

	"github.com/migsafe/migsafe/engine"
	"github.com/migsafe/migsafe/engine/config"
	"github.com/migsafe/migsafe/engine/migration"
	"github.com/migsafe/migsafe/engine/orm"
	"github.com/migsafe/migsafe/engine/rules"
)

// Project fixtures live in testdata/projects/<case>/: a directory of migrations (SQL,
// or an ORM's laid out as it lays them out) whose statements carry `want:` comments
// as the rule fixtures do, checked with every
// file judged in its place, as `migsafe check DIR` judges it: against the catalog of
// the migrations before it, knowing which of them are pending. A migsafe.toml in the
// case applies as it does for the command (deployed_through, pg_version); case.toml
// sets the case up:
//
//	base = "REV"                  check --base REV
//	[git]                         build a git repository: these files committed on
//	main = ["0001_x.up.sql"]      main, then these on a branch checked out after it;
//	branch = ["0002_y.up.sql"]    files in neither stay uncommitted
//
// Each case is copied to a temporary directory first, so the repository migsafe is
// developed in never decides what is pending.
func TestProjectFixtures(t *testing.T) {
	root := filepath.Join("..", "testdata", "projects")
	cases, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) == 0 {
		t.Fatal("no project fixtures")
	}
	for _, c := range cases {
		if c.IsDir() {
			t.Run(c.Name(), func(t *testing.T) { checkProject(t, filepath.Join(root, c.Name())) })
		}
	}
}

type projectCase struct {
	Base string `toml:"base"`
	Git  *struct {
		Main   []string `toml:"main"`
		Branch []string `toml:"branch"`
	} `toml:"git"`
}

func checkProject(t *testing.T, src string) {
	var pc projectCase
	if data, err := os.ReadFile(filepath.Join(src, "case.toml")); err == nil {
		if _, err := toml.Decode(string(data), &pc); err != nil {
			t.Fatalf("case.toml: %v", err)
		}
	}
	dir := t.TempDir()
	var names []string // relative to the case, as case.toml names them
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || p == filepath.Join(src, "case.toml") {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, rel)), 0o755); err != nil {
			return err
		}
		names = append(names, rel)
		return os.WriteFile(filepath.Join(dir, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	if pc.Git != nil {
		gitRepo(t, dir, pc.Git.Main, pc.Git.Branch)
	}
	cfg := config.Default()
	if p := filepath.Join(dir, config.FileName); fileExists(p) {
		if cfg, err = config.Load(p, rules.Known); err != nil {
			t.Fatal(err)
		}
	}
	sort.Strings(names)
	var jobs []engine.Job
	var texts []string
	all := ""
	for _, n := range names {
		p := filepath.Join(dir, n)
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		sqlUp := strings.HasSuffix(n, ".sql") && !migration.DownOnly(p)
		if !sqlUp && !(orm.Candidate(p) && orm.Detect(p, string(data), cfg.ORM) != "") {
			continue
		}
		jobs = append(jobs, engine.Job{Path: p, Text: string(data), Config: cfg})
		texts = append(texts, string(data))
		all += string(data)
	}
	quietLockTimeout(cfg, all)
	for i, o := range engine.AnalyzeBatch(jobs, engine.BatchOptions{Base: pc.Base}) {
		if o.Err != nil {
			t.Fatalf("%s: %v", jobs[i].Path, o.Err)
		}
		_, wants := fixtureWants(t, jobs[i].Path, texts[i])
		checkWants(t, jobs[i].Path, o.Result, wants)
	}
}

// gitRepo makes dir a git repository: main's files committed on main, then branch's
// on a branch checked out after it.
func gitRepo(t *testing.T, dir string, main, branch []string) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Fatalf("git is needed for this fixture: %v", err)
	}
	run := func(args ...string) {
		cmd := exec.Command("git", append([]string{"-c", "user.name=migsafe", "-c", "user.email=test@migsafe.invalid", "-c", "commit.gpgsign=false"}, args...)...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_SYSTEM=/dev/null")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	run("init", "-q", "-b", "main")
	run(append([]string{"add"}, main...)...)
	run("commit", "-q", "-m", "deployed")
	run("checkout", "-q", "-b", "feature")
	if len(branch) > 0 {
		run(append([]string{"add"}, branch...)...)
		run("commit", "-q", "-m", "this branch")
	}
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

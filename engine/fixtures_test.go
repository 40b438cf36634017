package engine_test

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/migsafe/migsafe/engine"
	"github.com/migsafe/migsafe/engine/config"
	"github.com/migsafe/migsafe/engine/migration"
	"github.com/migsafe/migsafe/engine/rules"
)

// Rule fixtures live in testdata/rules. Like go/analysis's analysistest, a fixture
// states what it expects beside the SQL:
//
//	-- config: TOML line          configuration for the file (pg_version = 10, [tables] ...)
//	-- want: RULE-ID[, RULE-ID]   on a statement's line or the line before: exactly these findings
//	                              (inside a DO body for the body's statements)
//	-- want: none                 the statement has no finding (every unannotated statement must have none too)
//	-- want-file: RULE-ID         a file-level finding
//	-- want-problem: REGEXP       a syntax or suppression problem whose message matches
//	-- want-suppressed: RULE-ID   a finding suppressed by a migsafe:ignore comment
func TestRuleFixtures(t *testing.T) {
	files := fixtureFiles(t, filepath.Join("..", "testdata", "rules"))
	if len(files) == 0 {
		t.Fatal("no fixtures found")
	}
	covered := map[string]bool{}
	for _, path := range files {
		path := path
		t.Run(strings.TrimPrefix(path, filepath.Join("..", "testdata", "rules")+"/"), func(t *testing.T) {
			for _, id := range checkFixture(t, path) {
				covered[id] = true
			}
		})
	}
	// Every rule has at least one positive fixture, and every statement rule a negative
	// one in its own fixture files (testdata/rules/RULE-ID*.sql): a `-- want: none`.
	for _, r := range rules.All {
		if !covered[r.ID] {
			t.Errorf("rule %s has no positive fixture (a `-- want: %s` comment)", r.ID, r.ID)
		}
		if r.Check != nil && !hasNegative(t, r.ID) {
			t.Errorf("rule %s has no negative fixture (a `-- want: none` in testdata/rules/%s*.sql)", r.ID, r.ID)
		}
	}
}

func hasNegative(t *testing.T, id string) bool {
	matches, err := filepath.Glob(filepath.Join("..", "testdata", "rules", id+"*.sql"))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range matches {
		data, err := os.ReadFile(m)
		if err != nil {
			t.Fatal(err)
		}
		if regexp.MustCompile(`--\s*want:\s*none\b`).Match(data) {
			return true
		}
	}
	return false
}

func fixtureFiles(t *testing.T, root string) []string {
	var files []string
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(p, ".sql") && !strings.Contains(p, ".down.sql") &&
			filepath.Base(p) != "down.sql" && !strings.Contains(p, string(filepath.Separator)+"revert"+string(filepath.Separator)) &&
			!strings.HasPrefix(filepath.Base(p), "U") {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	return files
}

const lockTimeoutRule = "require-lock-timeout"

// directive matches a fixture directive in a comment of the file's language: -- in
// SQL, # in Ruby and Python, // in JavaScript and TypeScript.
var directive = regexp.MustCompile(`(?:--|#|//)\s*(config|want|want-file|want-problem|want-suppressed):\s?(.*)$`)

type want struct {
	line  int // 0-based line of the comment
	kind  string
	value string
	hit   bool
}

// checkFixture analyses one fixture and compares; it returns the rule IDs it expected.
func checkFixture(t *testing.T, path string) []string {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	conf, wants := fixtureWants(t, path, text)
	cfg := config.Default()
	if len(conf) > 0 {
		cfg, err = config.Parse(path, []byte(strings.Join(conf, "\n")), rules.Known)
		if err != nil {
			t.Fatalf("fixture config: %v", err)
		}
	}
	quietLockTimeout(cfg, text)
	return checkWants(t, path, engine.Analyze(path, text, cfg, engine.Options{}), wants)
}

// quietLockTimeout turns require-lock-timeout off unless the fixture names it: it
// fires once on nearly every file that takes a lock, and fixtures about other rules
// would all have to repeat it (its own fixtures exercise it, positive and negative).
func quietLockTimeout(cfg *config.Config, text string) {
	if !strings.Contains(text, lockTimeoutRule) {
		cfg.Disable[lockTimeoutRule] = true
	}
}

// fixtureWants reads a fixture's directives: its config lines and its expectations.
func fixtureWants(t *testing.T, path, text string) (conf []string, wants []*want) {
	// Directives are read line by line: in SQL comments, in comments inside DO bodies,
	// and in the host language's comments of ORM migrations.
	for line, l := range strings.Split(text, "\n") {
		m := directive.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		if m[1] == "config" {
			conf = append(conf, m[2])
			continue
		}
		if m[1] == "want-problem" {
			wants = append(wants, &want{line: line, kind: m[1], value: strings.TrimSpace(m[2])})
			continue
		}
		for _, v := range strings.Split(m[2], ",") {
			if v = strings.TrimSpace(v); v != "" {
				if v != "none" && !rules.Known(v) {
					t.Fatalf("%s:%d: want names unknown rule %q", path, line+1, v)
				}
				wants = append(wants, &want{line: line, kind: m[1], value: v})
			}
		}
	}
	return conf, wants
}

// checkWants compares a result with a fixture's expectations; it returns the rule IDs
// it expected.
func checkWants(t *testing.T, path string, res *engine.Result, wants []*want) []string {
	t.Helper()
	src := res.File.Source
	line := func(off int) int { return src.Position(off, migration.UTF8).Line }

	claim := func(kind, id string, fd *engine.Finding) bool {
		for _, w := range wants {
			if w.kind != kind || w.hit || w.value != id {
				continue
			}
			if kind == "want-file" {
				w.hit = true
				return true
			}
			start, end := fd.Start, fd.End
			if fd.Stmt != nil {
				start, end = fd.Stmt.Start, fd.Stmt.End
			}
			first, last := line(start), line(end)
			if w.line >= first-1 && w.line <= last {
				w.hit = true
				return true
			}
		}
		return false
	}
	var expected []string
	for _, w := range wants {
		if w.kind != "want-problem" && w.value != "none" {
			expected = append(expected, w.value)
		}
	}
	for _, fd := range res.Findings {
		kind := "want"
		if fd.Stmt == nil {
			kind = "want-file"
		}
		// A file-level finding placed on an ORM operation (one Rails cannot reverse)
		// may be expected on that operation's line.
		if !claim(kind, fd.Rule.ID, fd) && !(fd.Stmt == nil && claim("want", fd.Rule.ID, fd)) {
			t.Errorf("%s:%d: unexpected finding %s: %s", path, line(fd.Start)+1, fd.Rule.ID, fd.Message)
		}
	}
	for _, fd := range res.Suppressed {
		if !claim("want-suppressed", fd.Rule.ID, fd) {
			t.Errorf("%s:%d: unexpected suppressed finding %s", path, line(fd.Start)+1, fd.Rule.ID)
		}
	}
	for _, p := range res.Problems {
		matched := false
		for _, w := range wants {
			if w.kind == "want-problem" && !w.hit && regexp.MustCompile(w.value).MatchString(p.Message) {
				w.hit, matched = true, true
				break
			}
		}
		if !matched {
			t.Errorf("%s:%d: unexpected problem: %s", path, line(p.Offset)+1, p.Message)
		}
	}
	for _, w := range wants {
		if !w.hit && w.value != "none" {
			t.Errorf("%s:%d: expected %s %s, got none", path, w.line+1, w.kind, w.value)
		}
	}
	return expected
}

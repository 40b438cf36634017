package main

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/migsafe/migsafe/internal/pgcluster"
)

func TestUnifiedDiff(t *testing.T) {
	a := "one\ntwo\nthree\nfour\nfive\nsix\nseven\neight\nnine\nten\n"
	b := "one\ntwo\nTHREE\nfour\nfive\nsix\nseven\neight\nnine\nten\neleven\n"
	want := `--- a.sql
+++ b.sql
@@ -1,6 +1,6 @@
 one
 two
-three
+THREE
 four
 five
 six
@@ -8,3 +8,4 @@
 eight
 nine
 ten
+eleven
`
	if got := unifiedDiff("a.sql", "b.sql", a, b); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if got := unifiedDiff("a", "a", a, a); got != "" {
		t.Errorf("equal texts give %q", got)
	}
}

// TestUnifiedDiffApplies checks with patch(1) that the diffs turn the old text into
// the new one, including insertions at the ends, deletions and a missing final newline.
func TestUnifiedDiffApplies(t *testing.T) {
	if _, err := exec.LookPath("patch"); err != nil {
		t.Skip("patch(1) not installed")
	}
	cases := [][2]string{
		{"", "CREATE TABLE a (id int);\n"},
		{"a;\nb;\nc;\n", "x;\na;\nb;\nc;\n"},
		{"a;\nb;\nc;\n", "a;\nc;\n"},
		{"a;\nb;\nc;", "a;\nb;\nc;\nd;"},
		{strings.Repeat("x;\n", 20) + "y;\n" + strings.Repeat("x;\n", 20), "z;\n" + strings.Repeat("x;\n", 20) + "w;\n" + strings.Repeat("x;\n", 19)},
	}
	for i, c := range cases {
		dir := t.TempDir()
		f := filepath.Join(dir, "m.sql")
		if err := os.WriteFile(f, []byte(c[0]), 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command("patch", "-s", f)
		cmd.Stdin = strings.NewReader(unifiedDiff("m.sql", "m.sql", c[0], c[1]))
		var stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stderr, &stderr
		if err := cmd.Run(); err != nil {
			t.Errorf("case %d: patch: %v\n%s", i, err, stderr.String())
			continue
		}
		got, _ := os.ReadFile(f)
		if string(got) != c[1] {
			t.Errorf("case %d: patched text %q, want %q", i, got, c[1])
		}
	}
}

// project is a golang-migrate project whose second migration needs three split fixes:
// an index, a unique constraint and a foreign key, with a down that undoes them.
var project = map[string]string{
	"db/migrations/000001_users.up.sql":   "CREATE TABLE users (id bigint PRIMARY KEY, email text, team_id bigint);\nCREATE TABLE teams (id bigint PRIMARY KEY);\n",
	"db/migrations/000001_users.down.sql": "DROP TABLE teams;\nDROP TABLE users;\n",
	"db/migrations/000002_x.up.sql": "CREATE INDEX users_team_idx ON users (team_id);\n" +
		"ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);\n" +
		"ALTER TABLE users ADD CONSTRAINT users_team_fkey FOREIGN KEY (team_id) REFERENCES teams (id);\n",
	"db/migrations/000002_x.down.sql": "ALTER TABLE users DROP CONSTRAINT users_team_fkey;\n" +
		"ALTER TABLE users DROP CONSTRAINT users_email_key;\n" +
		"DROP INDEX users_team_idx;\n",
}

// snapshotTree reads every file under dir (paths relative to it).
func snapshotTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if d.IsDir() {
			out[rel+"/"] = ""
			return nil
		}
		data, err := os.ReadFile(p)
		out[rel] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// The first bug: run from the project root with a relative path, the split
// wrote its follow-up to db/migrations/db/migrations/. Every way of naming the file
// must write the same files in the same place, and the result re-checks without a BLOCK.
func TestFixWriteSplitPaths(t *testing.T) {
	for _, c := range []struct {
		name, cwd, arg string
	}{
		{"relative from the root", ".", "db/migrations/000002_x.up.sql"},
		{"relative from a subdirectory", "db", "migrations/000002_x.up.sql"},
		{"the directory", ".", "db/migrations"},
		{"absolute", "/", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			root := writeTree(t, project)
			arg := c.arg
			if arg == "" {
				arg = filepath.Join(root, "db/migrations/000002_x.up.sql")
			}
			out, stderr, code := run(t, filepath.Join(root, c.cwd), "", "fix", "--write", "--split", arg)
			if code != 0 {
				t.Fatalf("exit %d\n%s%s", code, out, stderr)
			}
			got := snapshotTree(t, root)
			for _, want := range []string{
				"db/migrations/000003_x_concurrently.up.sql", "db/migrations/000003_x_concurrently.down.sql",
				"db/migrations/000004_x_unique_index.up.sql", "db/migrations/000005_x_unique.up.sql",
				"db/migrations/000006_x_validate.up.sql", "db/migrations/000006_x_validate.down.sql",
			} {
				if _, ok := got[want]; !ok {
					t.Errorf("%s was not written; files: %v", want, keys(got))
				}
			}
			for p := range got {
				if strings.Contains(p, "migrations/db") || strings.Contains(p, "migrations/migrations") || strings.Contains(p, ".migsafe-") {
					t.Errorf("stray file %s", p)
				}
			}
			if up := got["db/migrations/000002_x.up.sql"]; strings.Contains(up, "CREATE INDEX") || !strings.Contains(up, "NOT VALID") {
				t.Errorf("the migration was not rewritten:\n%s", up)
			}
			// The down no longer fails on what the phases' downs already dropped.
			if down := got["db/migrations/000002_x.down.sql"]; !strings.Contains(down, "DROP INDEX IF EXISTS users_team_idx") ||
				!strings.Contains(down, "DROP CONSTRAINT IF EXISTS users_email_key") {
				t.Errorf("the down was not rewritten:\n%s", down)
			}
			if out, stderr, code := run(t, root, "", "check", "db/migrations"); code != 0 {
				t.Errorf("check after the fix: exit %d\n%s%s", code, out, stderr)
			}
			// Nothing is left to fix: a second run plans nothing.
			if out, stderr, code := run(t, root, "", "fix", "--split", "db/migrations/000002_x.up.sql"); code != 0 || strings.Contains(out, "+++") {
				t.Errorf("second fix: exit %d, diff:\n%s%s", code, out, stderr)
			}
		})
	}
}

// --diff prints every change of the plan: the migration, its down, the new files.
func TestFixDiffShowsWholePlan(t *testing.T) {
	root := writeTree(t, project)
	before := snapshotTree(t, root)
	out, stderr, code := run(t, root, "", "fix", "--split", "db/migrations/000002_x.up.sql")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		"--- db/migrations/000002_x.up.sql\n+++ db/migrations/000002_x.up.sql\n",
		"--- db/migrations/000002_x.down.sql\n+++ db/migrations/000002_x.down.sql\n",
		"--- /dev/null\n+++ db/migrations/000003_x_concurrently.up.sql\n",
		"--- /dev/null\n+++ db/migrations/000006_x_validate.down.sql\n",
		"+CREATE INDEX CONCURRENTLY users_team_idx ON users (team_id);",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("--diff lacks %q:\n%s", want, out)
		}
	}
	if after := snapshotTree(t, root); len(after) != len(before) {
		t.Errorf("--diff wrote files: %v", keys(after))
	}
	// Without --split the fixes that add migrations are left out, saying so.
	out, stderr, code = run(t, root, "", "fix", "db/migrations/000002_x.up.sql")
	if code != 0 || strings.Contains(out, "/dev/null") || !strings.Contains(stderr, "--split") {
		t.Errorf("fix without --split: exit %d\n%s%s", code, out, stderr)
	}
}

// Every failure leaves every file byte-identical and names what failed.
func TestFixWriteIsAtomic(t *testing.T) {
	cases := []struct {
		name  string
		files map[string]string
		arg   string
		// spoil makes the plan unwritable, in root.
		spoil func(t *testing.T, root string)
		as    bool // run as an unprivileged user, to whom permissions apply
		want  string
	}{
		{name: "taken name", files: map[string]string{
			"add.sql":              "BEGIN;\nCREATE INDEX a_idx ON users (a);\nCOMMIT;\n",
			"add_concurrently.sql": "SELECT 1;\n",
		}, arg: "add.sql", want: "add_concurrently.sql: already exists"},
		{name: "taken pending name", files: map[string]string{
			"m/0001_drop.up.sql":                        "ALTER TABLE users DROP COLUMN legacy;\n",
			"m/0001_drop.down.sql":                      "ALTER TABLE users ADD COLUMN legacy text;\n",
			"m/.migsafe/pending/0001_drop_contract.sql": "-- someone else's\n",
		}, arg: "m/0001_drop.up.sql", want: "already exists"},
		{name: "taken sqitch change", files: map[string]string{
			"sqitch.plan":      "%project=p\n\nidx 2024-01-01T00:00:00Z A <a@b> # x\nidx_concurrently 2024-01-02T00:00:00Z A <a@b> # y\n",
			"deploy/idx.sql":   "BEGIN;\nCREATE INDEX a_idx ON users (a);\nCOMMIT;\n",
			"revert/idx.sql":   "DROP INDEX a_idx;\n",
			"verify/idx.sql":   "SELECT 1;\n",
			"deploy/other.sql": "SELECT 1;\n",
		}, arg: "deploy/idx.sql", want: "already has a change idx_concurrently"},
		{name: "directory that cannot be created", files: map[string]string{
			"prisma/migrations/20240501000000_fill/migration.sql": "ALTER TABLE orders ADD COLUMN status text;\nUPDATE orders SET status = 'open';\n",
		}, arg: "prisma/migrations/20240501000000_fill/migration.sql",
			spoil: func(t *testing.T, root string) {
				// A file where the phase's directory goes.
				if err := os.WriteFile(filepath.Join(root, "prisma/migrations/20240501000001_fill_batch_update"), nil, 0o644); err != nil {
					t.Fatal(err)
				}
			}, want: "20240501000001_fill_batch_update: not a directory"},
		{name: "pending directory that cannot be created", files: map[string]string{
			"m/0001_drop.up.sql": "ALTER TABLE users DROP COLUMN legacy;\n",
		}, arg: "m/0001_drop.up.sql",
			spoil: func(t *testing.T, root string) {
				if err := os.WriteFile(filepath.Join(root, "m/.migsafe"), []byte("x"), 0o644); err != nil {
					t.Fatal(err)
				}
			}, want: ".migsafe: not a directory"},
		{name: "unwritable directory", files: project, arg: "db/migrations/000002_x.up.sql", as: true,
			spoil: func(t *testing.T, root string) {
				if err := os.Chmod(filepath.Join(root, "db/migrations"), 0o555); err != nil {
					t.Fatal(err)
				}
			}, want: "permission denied"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			root := writeTree(t, c.files)
			if c.spoil != nil {
				c.spoil(t, root)
			}
			var cred *syscall.Credential
			if c.as {
				root, cred = asUnprivileged(t, root)
				if c.spoil != nil {
					c.spoil(t, root)
				}
			}
			before := snapshotTree(t, root)
			_, stderr, code := runAs(t, cred, root, "fix", "--write", "--split", c.arg)
			if code != 2 || !strings.Contains(stderr, c.want) || !strings.Contains(stderr, "nothing was written") {
				t.Errorf("exit %d, want 2 with %q and \"nothing was written\":\n%s", code, c.want, stderr)
			}
			after := snapshotTree(t, root)
			for _, p := range keys(after) {
				if b, ok := before[p]; !ok {
					t.Errorf("%s was created", p)
				} else if b != after[p] {
					t.Errorf("%s changed:\n%s", p, after[p])
				}
			}
			for p := range before {
				if _, ok := after[p]; !ok {
					t.Errorf("%s was removed", p)
				}
			}
		})
	}
}

// asUnprivileged copies a project to a directory the unprivileged user owns, so that a
// directory made read-only stops it (root writes anywhere); cred is nil when the tests
// do not run as root.
func asUnprivileged(t *testing.T, root string) (string, *syscall.Credential) {
	t.Helper()
	cred, err := pgcluster.Unprivileged()
	if err != nil {
		t.Fatal(err)
	}
	if cred == nil {
		return root, nil
	}
	dir, err := os.MkdirTemp("", "migsafe-fix-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if out, err := exec.Command("cp", "-a", root+"/.", dir).CombinedOutput(); err != nil {
		t.Fatalf("cp: %v %s", err, out)
	}
	for _, p := range []string{dir, filepath.Dir(binary)} {
		if err := os.Chmod(p, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if out, err := exec.Command("chown", "-R", strconv.FormatUint(uint64(cred.Uid), 10)+":"+strconv.FormatUint(uint64(cred.Gid), 10), dir).CombinedOutput(); err != nil {
		t.Fatalf("chown: %v %s", err, out)
	}
	return dir, cred
}

// runAs is run as cred's user (as the current user when nil).
func runAs(t *testing.T, cred *syscall.Credential, dir string, args ...string) (string, string, int) {
	t.Helper()
	if cred == nil {
		return run(t, dir, "", args...)
	}
	cmd := exec.Command(binary, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "NO_COLOR=1", "HOME="+dir)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	return execute(t, cmd)
}

// Two split fixes in one file get two distinct migrations, in the statements' order.
func TestFixTwoSplitsInOneFile(t *testing.T) {
	for _, c := range []struct {
		name  string
		files map[string]string
		arg   string
		want  []string
	}{
		{"goose", map[string]string{"00001_idx.sql": "-- +goose Up\nCREATE TABLE tags (id bigint);\nCREATE INDEX a_idx ON users (a);\nCREATE INDEX b_idx ON users (b);\n-- +goose Down\nDROP INDEX b_idx;\nDROP INDEX a_idx;\nDROP TABLE tags;\n"},
			"00001_idx.sql", []string{"00002_idx_concurrently.sql", "00003_idx_concurrently.sql"}},
		{"sqitch", map[string]string{
			"sqitch.plan":    "%project=p\n\nidx 2024-01-01T00:00:00Z A <a@b> # x\n",
			"deploy/idx.sql": "BEGIN;\nCREATE INDEX a_idx ON users (a);\nCREATE INDEX b_idx ON users (b);\nCOMMIT;\n",
			"revert/idx.sql": "BEGIN;\nDROP INDEX b_idx;\nDROP INDEX a_idx;\nCOMMIT;\n",
			"verify/idx.sql": "SELECT 1;\n",
		}, "deploy/idx.sql", []string{"deploy/idx_concurrently.sql", "deploy/idx_concurrently_2.sql", "revert/idx_concurrently_2.sql"}},
		// The SET NOT NULL is fixed first (a BLOCK) but its validation must follow the
		// backfill of the statement before it.
		{"in the statements' order", map[string]string{"00002_x.sql": "-- +goose Up\nUPDATE accounts SET region = 'eu' WHERE region IS NULL;\nALTER TABLE accounts ALTER COLUMN region SET NOT NULL;\n\n-- +goose Down\nALTER TABLE accounts ALTER COLUMN region DROP NOT NULL;\n"},
			"00002_x.sql", []string{"00003_x_batch_update.sql", "00004_x_set_not_null.sql"}},
		{"pending", map[string]string{"m/0001_drop.up.sql": "ALTER TABLE users DROP COLUMN a;\nALTER TABLE users DROP COLUMN b;\n"},
			"m/0001_drop.up.sql", []string{"m/.migsafe/pending/0001_drop_contract.sql", "m/.migsafe/pending/0001_drop_contract_2.sql"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			root := writeTree(t, c.files)
			if _, stderr, code := run(t, root, "", "fix", "--write", "--split", c.arg); code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			got := snapshotTree(t, root)
			for _, w := range c.want {
				if _, ok := got[w]; !ok {
					t.Errorf("%s not written; files: %v", w, keys(got))
				}
			}
			if c.name == "goose" && !strings.Contains(got["00002_idx_concurrently.sql"], "a_idx") {
				t.Errorf("the first statement's phase is not first:\n%s", got["00002_idx_concurrently.sql"])
			}
			if c.name == "sqitch" && !strings.Contains(got["sqitch.plan"], "idx_concurrently_2 [idx_concurrently]") {
				t.Errorf("sqitch.plan lacks the second change after the first:\n%s", got["sqitch.plan"])
			}
		})
	}
}

// Two migrations of one directory fixed in one run, the directory named ".": the
// second plan reads the first's new files, so their numbers never collide (goose
// refuses a set with a duplicate version). A relative "." once hid them.
func TestFixSplitsOfTwoFilesInTheCurrentDirectory(t *testing.T) {
	for _, arg := range []string{".", "./", "00001_a.sql"} {
		t.Run(arg, func(t *testing.T) {
			dir := writeTree(t, map[string]string{
				"00001_a.sql": "-- +goose Up\nCREATE TABLE ta (id bigint);\nCREATE INDEX a_idx ON users (a);\n-- +goose Down\nDROP INDEX a_idx;\nDROP TABLE ta;\n",
				"00002_b.sql": "-- +goose Up\nCREATE TABLE tb (id bigint);\nCREATE INDEX b_idx ON users (b);\n-- +goose Down\nDROP INDEX b_idx;\nDROP TABLE tb;\n",
			})
			args := []string{"fix", "--write", "--split", arg}
			if arg == "00001_a.sql" {
				args = append(args, "00002_b.sql")
			}
			if _, stderr, code := run(t, dir, "", args...); code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			got := snapshotTree(t, dir)
			versions := map[string]string{}
			for p := range got {
				if strings.Contains(p, "/") {
					continue
				}
				v, _, _ := strings.Cut(p, "_")
				if other, ok := versions[v]; ok {
					t.Errorf("%s and %s share version %s", other, p, v)
				}
				versions[v] = p
			}
			for _, w := range []string{"00003_a_concurrently.sql", "00004_b_concurrently.sql"} {
				if _, ok := got[w]; !ok {
					t.Errorf("%s not written; files: %v", w, keys(got))
				}
			}
		})
	}
}

// A DROP COLUMN followed by the DROP TYPE of the column's type (Prisma drops an enum
// column so) stays where it is: moved to a contract phase, the DROP TYPE would fail
// on the column still using it (hatchet-goose v0_22_1 under goose).
func TestFixKeepsDropColumnBeforeDropType(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"00001_status.sql": "-- +goose Up\nCREATE TYPE worker_status AS ENUM ('a', 'b');\nCREATE TABLE workers (id bigint, status worker_status);\n-- +goose Down\nDROP TABLE workers;\nDROP TYPE worker_status;\n",
		"00002_drop.sql":   "-- +goose Up\nALTER TABLE workers DROP COLUMN status;\nDROP TYPE worker_status;\n-- +goose Down\nCREATE TYPE worker_status AS ENUM ('a', 'b');\nALTER TABLE workers ADD COLUMN status worker_status;\n",
	})
	if _, stderr, code := run(t, dir, "", "fix", "--write", "--split", "00002_drop.sql"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	got := snapshotTree(t, dir)
	if up := got["00002_drop.sql"]; !strings.Contains(up, "DROP COLUMN status") {
		t.Errorf("the DROP COLUMN left the migration whose DROP TYPE needs it gone:\n%s", up)
	}
}

// A unique index that a later foreign key of the same migration references is not
// moved to the next migration: the key needs it when it is added (hatchet-goose
// v0_7_0 failed under goose: no unique constraint matching given keys).
func TestFixKeepsUniqueIndexAForeignKeyNeeds(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"00012_key.sql": "-- +goose Up\nALTER TABLE steps ADD COLUMN action_key text;\nCREATE UNIQUE INDEX actions_tenant_key ON actions (tenant_id, key);\n" +
			"ALTER TABLE steps ADD CONSTRAINT steps_action_fkey FOREIGN KEY (tenant_id, action_key) REFERENCES actions (tenant_id, key) NOT VALID;\n" +
			"-- +goose Down\nALTER TABLE steps DROP CONSTRAINT steps_action_fkey;\nDROP INDEX actions_tenant_key;\nALTER TABLE steps DROP COLUMN action_key;\n",
	})
	if _, stderr, code := run(t, dir, "", "fix", "--write", "--split", "00012_key.sql"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	got := snapshotTree(t, dir)
	up := got["00012_key.sql"]
	idx, fk := strings.Index(up, "actions_tenant_key ON actions"), strings.Index(up, "ADD CONSTRAINT steps_action_fkey")
	if idx < 0 || fk < 0 || idx > fk {
		t.Errorf("the unique index does not precede the foreign key that needs it:\n%s\nfiles: %v", up, keys(got))
	}
}

// A file with CRLF line endings and a byte order mark keeps both.
func TestFixKeepsLineEndingsAndBOM(t *testing.T) {
	text := "\uFEFFBEGIN;\r\nCREATE INDEX a_idx ON users (a);\r\nCOMMIT;\r\n"
	root := writeTree(t, map[string]string{"add.sql": text})
	if _, stderr, code := run(t, root, "", "fix", "--write", "--split", "add.sql"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	got := snapshotTree(t, root)
	fixed := got["add.sql"]
	if !strings.HasPrefix(fixed, "\uFEFF") || strings.Count(fixed, "\n") != strings.Count(fixed, "\r\n") || fixed == text {
		t.Errorf("fixed file %q", fixed)
	}
	if nf := got["add_concurrently.sql"]; nf == "" || strings.Count(nf, "\n") != strings.Count(nf, "\r\n") {
		t.Errorf("new file %q does not use CRLF like the migration", nf)
	}
}

// A contract phase waits in .migsafe/pending, where the runner does not look; --promote
// makes it the next migration and removes it.
func TestFixPromote(t *testing.T) {
	root := writeTree(t, map[string]string{
		"db/migrations/000001_users.up.sql":  "CREATE TABLE users (id bigint PRIMARY KEY, legacy text);\n",
		"db/migrations/000002_drop.up.sql":   "ALTER TABLE users DROP COLUMN legacy;\n",
		"db/migrations/000002_drop.down.sql": "ALTER TABLE users ADD COLUMN legacy text;\n",
	})
	if _, stderr, code := run(t, root, "", "fix", "--write", "--split", "db/migrations/000002_drop.up.sql"); code != 0 {
		t.Fatalf("fix: exit %d: %s", code, stderr)
	}
	pending := "db/migrations/.migsafe/pending/000002_drop_contract.sql"
	got := snapshotTree(t, root)
	if !strings.Contains(got[pending], "DROP COLUMN legacy") || strings.Contains(got["db/migrations/000002_drop.up.sql"], "ALTER TABLE") {
		t.Fatalf("contract phase not moved to pending: %v\n%s", keys(got), got[pending])
	}
	// Meanwhile another migration landed: the promoted one comes after it.
	if err := os.WriteFile(filepath.Join(root, "db/migrations/000003_more.up.sql"), []byte("SELECT 1;\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, stderr, code := run(t, root, "", "fix", "--promote", pending)
	if code != 0 || !strings.Contains(out, "+++ db/migrations/000004_drop_contract.up.sql") {
		t.Fatalf("promote --diff: exit %d\n%s%s", code, out, stderr)
	}
	if _, stderr, code := run(t, root, "", "fix", "--promote", "--write", pending); code != 0 {
		t.Fatalf("promote --write: exit %d: %s", code, stderr)
	}
	got = snapshotTree(t, root)
	up, down := got["db/migrations/000004_drop_contract.up.sql"], got["db/migrations/000004_drop_contract.down.sql"]
	if !strings.Contains(up, "DROP COLUMN legacy") || !strings.Contains(down, "ADD COLUMN legacy text") {
		t.Errorf("promoted migration:\n%s\ndown:\n%s", up, down)
	}
	if _, ok := got[pending]; ok {
		t.Error("the pending file is still there")
	}
	if _, stderr, code := run(t, root, "", "check", "db/migrations"); code != 0 {
		t.Errorf("check after promote: exit %d\n%s", code, stderr)
	}
}

func TestFixCommand(t *testing.T) {
	dir := writeTree(t, map[string]string{"a.sql": blockSQL})
	if _, stderr, code := run(t, dir, "", "fix", "--diff", "a.sql"); code != 0 {
		t.Errorf("fix --diff: exit %d: %s", code, stderr)
	}
	if _, _, code := run(t, dir, "", "fix", "--diff", "--write", "a.sql"); code != 2 {
		t.Errorf("fix --diff --write: exit %d, want 2", code)
	}
	if _, stderr, code := run(t, dir, "", "fix", "missing.sql"); code != 2 || !strings.Contains(stderr, "missing.sql") {
		t.Errorf("fix on a missing file: exit %d: %s", code, stderr)
	}
	if _, stderr, code := run(t, dir, "", "fix", "--promote", "a.sql"); code != 2 || !strings.Contains(stderr, "a.sql:1: not a pending phase") {
		t.Errorf("promote of a migration: exit %d: %s", code, stderr)
	}
	// A file with nothing to fix says so (fix printed nothing at all, with or without
	// --write, as if it had not looked).
	dir = writeTree(t, map[string]string{"safe.sql": "SELECT 1;\n", "db/000001_t.up.sql": "CREATE TABLE t (id bigint PRIMARY KEY);\n"})
	for _, c := range []struct{ path, want string }{
		{"safe.sql", "safe.sql: SAFE TO SHIP, nothing to fix\n"},
		{"db/000001_t.up.sql", "db/000001_t.up.sql: SAFE WITH MODIFICATIONS, nothing to fix: no automatic fix for its 1 finding(s) (see `migsafe check`)\n"},
	} {
		for _, args := range [][]string{{"fix", c.path}, {"fix", "--write", c.path}} {
			if out, stderr, code := run(t, dir, "", args...); code != 0 || out != "" || stderr != c.want {
				t.Errorf("migsafe %v: exit %d, stdout %q, stderr %q; want %q", args, code, out, stderr, c.want)
			}
		}
	}
}

// TestFixNotFixedNamesEveryRuleInOrder: a fix left out because it makes other rules
// report says which, all of them in order, the same in every run (the rules were
// once taken from a map, so the one named changed from run to run).
func TestFixNotFixedNamesEveryRuleInOrder(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"000001_init.up.sql":   "CREATE TABLE plans (id bigint PRIMARY KEY);\nCREATE TABLE subscriptions (id bigint PRIMARY KEY, plan_key text);\n",
		"000001_init.down.sql": "DROP TABLE subscriptions;\nDROP TABLE plans;\n",
		"000002_link.up.sql":   "ALTER TABLE subscriptions DROP COLUMN plan_key, ADD COLUMN plan_id bigint NULL, ADD CONSTRAINT subscriptions_plans FOREIGN KEY (plan_id) REFERENCES plans (id) ON DELETE SET NULL;\n",
		"000002_link.down.sql": "ALTER TABLE subscriptions DROP CONSTRAINT subscriptions_plans, DROP COLUMN plan_id, ADD COLUMN plan_key text;\n",
	})
	const want = `"Add subscriptions_plans NOT VALID and validate it in a second statement": it makes statements-after-access-exclusive and validate-in-same-transaction report`
	for i := 0; i < 5; i++ {
		_, stderr, _ := run(t, dir, "", "fix", "--diff", "000002_link.up.sql")
		if !strings.Contains(stderr, want) {
			t.Fatalf("run %d: the reason does not name both rules in order (%s):\n%s", i+1, want, stderr)
		}
	}
}

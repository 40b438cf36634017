package orm_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	pg "github.com/pganalyze/pg_query_go/v5"

	"github.com/migsafe/migsafe/engine/migration"
	"github.com/migsafe/migsafe/engine/orm"
	"github.com/migsafe/migsafe/internal/pgcluster"
	"github.com/migsafe/migsafe/internal/pgcluster/pgtest"
)

// The ORMs themselves are the oracle for the front ends: for every fixture in
// testdata/orm, the real ORM runs the migration (up, then down) against a throwaway
// PostgreSQL and reports the SQL it sent; the statements migsafe infers for the same
// file must be the same, in the same order, up to formatting (both sides go through
// pg_query's deparser). Where an ORM refuses to run a migration (CREATE INDEX
// CONCURRENTLY in its transaction), the SQL up to the failure is compared.
//
// The ORMs come from scripts/install-orms.sh. A missing one skips its subtest on a
// developer's machine and fails where MIGSAFE_REQUIRE_ORMS (set by scripts/test)
// promises it.

const requireEnv = "MIGSAFE_REQUIRE_ORMS"

// run is what an oracle script prints for one fixture.
type run struct {
	File      string   `json:"file"`
	Up        []string `json:"up"`
	Down      []string `json:"down"`
	UpError   string   `json:"upError"`
	DownError string   `json:"downError"`
}

type oracle struct {
	name migration.Runner
	// dir is the fixture folder under testdata/orm.
	dir string
	// probe is a command that succeeds when the ORM is installed.
	probe []string
	// command runs the oracle script on fixture files with the cluster's socket and the
	// template database holding base.sql.
	command func(socket, template string, files []string) *exec.Cmd
}

var oracleDir, _ = filepath.Abs("oracle")

var oracles = []oracle{
	{name: migration.Rails, dir: "rails",
		probe: []string{"ruby", "-e", `require "active_record"; require "pg"`},
		command: func(socket, template string, files []string) *exec.Cmd {
			return exec.Command("ruby", append([]string{filepath.Join(oracleDir, "rails.rb"), socket, template}, files...)...)
		}},
	{name: migration.Django, dir: "django",
		probe: []string{debianPython, "-c", "import django, psycopg2"},
		command: func(socket, template string, files []string) *exec.Cmd {
			return exec.Command(debianPython, append([]string{filepath.Join(oracleDir, "django_oracle.py"), socket, template}, files...)...)
		}},
	{name: migration.Alembic, dir: "alembic",
		probe: []string{debianPython, "-c", "import alembic, sqlalchemy"},
		command: func(_, _ string, files []string) *exec.Cmd {
			return exec.Command(debianPython, append([]string{filepath.Join(oracleDir, "alembic_oracle.py")}, files...)...)
		}},
	nodeOracle(migration.Knex, "knex"),
	nodeOracle(migration.TypeORM, "typeorm"),
	nodeOracle(migration.Sequelize, "sequelize"),
}

// nodeOracle runs oracle/node/oracle.js with the ORM's npm packages (installed by
// scripts/install-orms.sh into oracle/node/node_modules).
func nodeOracle(name migration.Runner, pkg string) oracle {
	script := filepath.Join(oracleDir, "node", "oracle.js")
	return oracle{name: name, dir: string(name),
		probe: []string{"node", "-e", "require(" + strconv.Quote(filepath.Join(oracleDir, "node", "node_modules", pkg)) + ")"},
		command: func(socket, template string, files []string) *exec.Cmd {
			return exec.Command("node", append([]string{script, string(name), socket, template}, files...)...)
		}}
}

// debianPython is the interpreter Debian's python3-django and python3-alembic are
// installed for (a python3 earlier on PATH, such as pyenv's, does not see them).
var debianPython = func() string {
	if _, err := os.Stat("/usr/bin/python3"); err == nil {
		return "/usr/bin/python3"
	}
	return "python3"
}()

func TestOracle(t *testing.T) {
	var available []oracle
	for _, o := range oracles {
		if err := exec.Command(o.probe[0], o.probe[1:]...).Run(); err != nil {
			if required(o.name) {
				t.Errorf("%s is required by %s but does not run (%v): run scripts/install-orms.sh", o.name, requireEnv, err)
			} else {
				t.Logf("%s not installed (%v): run scripts/install-orms.sh", o.name, err)
			}
			continue
		}
		available = append(available, o)
	}
	if len(available) == 0 {
		t.Skip("no ORM installed")
	}
	pgtest.Need(t, 15)
	ctx := context.Background()
	c, err := pgcluster.Start(ctx, pgcluster.Options{Major: 15, Settings: map[string]string{"fsync": "off"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Stop() })
	socket := strings.TrimPrefix(strings.Fields(c.DSN())[0], "host=")
	for _, o := range available {
		o := o
		t.Run(string(o.name), func(t *testing.T) {
			root := filepath.Join("..", "..", "testdata", "orm", o.dir)
			template := "oracle_" + o.dir
			createTemplate(t, c, template, filepath.Join(root, "base.sql"))
			files := fixtures(t, root)
			for _, r := range runOracle(t, o, socket, template, files) {
				compare(t, o.name, r)
			}
			// The DSL rewrites of the fixes, applied to the fixtures, run under the ORM
			// without the failure they fix, sending what migsafe infers.
			tmp, rewritten := rewrittenFixtures(t, root, o.dir)
			if len(rewritten) == 0 {
				return
			}
			files = rewritten
			if o.name == migration.Django || o.name == migration.Alembic {
				files = fixtures(t, tmp) // they apply a chain of migrations, in order
			}
			createTemplate(t, c, template+"_rewrites", filepath.Join(root, "base.sql"))
			for _, r := range runOracle(t, o, socket, template+"_rewrites", files) {
				if r.UpError != "" && contains(rewritten, r.File) {
					t.Errorf("%s: the rewritten migration fails under %s: %s", r.File, o.name, r.UpError)
				}
				compare(t, o.name, r)
			}
		})
	}
}

// runOracle runs an ORM's oracle script on files.
func runOracle(t *testing.T, o oracle, socket, template string, files []string) []run {
	t.Helper()
	start := time.Now()
	cmd := o.command(socket, template, files)
	// An ORM waiting forever (a transaction never committed) fails the test.
	timer := time.AfterFunc(3*time.Minute, func() { cmd.Process.Kill() })
	defer timer.Stop()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s oracle: %v\n%s", o.name, err, stderr.String())
	}
	t.Logf("%s ran %d fixtures in %v", o.name, len(files), time.Since(start).Round(time.Millisecond))
	var runs []run
	if err := json.Unmarshal(out, &runs); err != nil {
		t.Fatalf("%s oracle output: %v\n%s", o.name, err, out)
	}
	if len(runs) != len(files) {
		t.Fatalf("%s oracle ran %d of %d fixtures\n%s", o.name, len(runs), len(files), stderr.String())
	}
	return runs
}

// rewrittenFixtures copies a fixture folder to a temporary one and applies, to each
// file named by dslCases, the first of its rewrites; it returns the folder and the
// rewritten files.
func rewrittenFixtures(t *testing.T, root, dir string) (string, []string) {
	t.Helper()
	tmp := filepath.Join(t.TempDir(), dir)
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(tmp, rel), 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(tmp, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, tc := range dslCases {
		if !strings.HasPrefix(tc.file, dir+"/") || tc.want == nil {
			continue
		}
		dst := filepath.Join(tmp, strings.TrimPrefix(tc.file, dir+"/"))
		if contains(out, dst) {
			continue
		}
		fixed, ok := rewriteFixture(t, filepath.Join(root, strings.TrimPrefix(tc.file, dir+"/")), tc.rule, tc.line, tc.intent)
		if !ok {
			t.Fatalf("%s: no rewrite for %s", tc.file, tc.rule)
		}
		if err := os.WriteFile(dst, []byte(fixed), 0o644); err != nil {
			t.Fatal(err)
		}
		out = append(out, dst)
	}
	sort.Strings(out)
	return tmp, out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func required(name migration.Runner) bool {
	for _, f := range strings.Split(os.Getenv(requireEnv), ",") {
		if strings.TrimSpace(f) == string(name) || strings.TrimSpace(f) == "all" {
			return true
		}
	}
	return false
}

// createTemplate makes a database holding the fixture folder's base schema.
func createTemplate(t *testing.T, c *pgcluster.Cluster, name, baseSQL string) {
	t.Helper()
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, c.DSN())
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	if _, err := admin.Exec(ctx, fmt.Sprintf(`CREATE DATABASE %q`, name)); err != nil {
		t.Fatal(err)
	}
	base, err := os.ReadFile(baseSQL)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.Connect(ctx, c.DSNFor(name))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, string(base)); err != nil {
		t.Fatalf("%s: %v", baseSQL, err)
	}
}

// fixtures lists the migration files of a fixture folder, in the order the ORM would
// apply them (file names sort that way in every fixture folder).
func fixtures(t *testing.T, root string) []string {
	var files []string
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == "node_modules" {
			return filepath.SkipDir
		}
		if !d.IsDir() && orm.Candidate(p) {
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

// compare checks migsafe's statements for one fixture against the ORM's.
func compare(t *testing.T, name migration.Runner, r run) {
	data, err := os.ReadFile(r.File)
	if err != nil {
		t.Fatal(err)
	}
	f := orm.Parse(r.File, string(data), name, orm.Options{ReadFile: os.ReadFile, ReadDir: listDir})
	var up, down []string
	for _, s := range f.Statements {
		if s.Node == nil {
			t.Errorf("%s: migsafe's statement does not parse: %s (%v)", r.File, s.Text, s.Err)
			continue
		}
		n := normalize(t, r.File, s.Text)
		if s.Section == migration.Down {
			down = append(down, n...)
		} else {
			up = append(up, n...)
		}
	}
	diff(t, r.File, "up", up, ormStatements(t, r.File, r.Up), r.UpError)
	if r.UpError == "" {
		diff(t, r.File, "down", down, ormStatements(t, r.File, r.Down), r.DownError)
	}
}

// ormStatements normalises what the ORM sent, leaving out transaction control and the
// catalog queries ORMs make to look at the schema.
func ormStatements(t *testing.T, file string, sqls []string) []string {
	var out []string
	for _, s := range sqls {
		for _, n := range normalize(t, file, s) {
			u := strings.ToUpper(n)
			switch {
			case strings.HasPrefix(u, "BEGIN"), strings.HasPrefix(u, "START TRANSACTION"),
				strings.HasPrefix(u, "SELECT") && (strings.Contains(u, "CURRENT_SCHEMA") || strings.Contains(u, "CURRENT_DATABASE") || strings.Contains(u, "VERSION()")), strings.HasPrefix(u, "COMMIT"), strings.HasPrefix(u, "ROLLBACK"),
				strings.HasPrefix(u, "SAVEPOINT"), strings.HasPrefix(u, "RELEASE"), strings.HasPrefix(u, "SHOW "),
				strings.HasPrefix(u, "SELECT") && (strings.Contains(u, "PG_") || strings.Contains(u, "INFORMATION_SCHEMA")),
				strings.Contains(u, "ALEMBIC_VERSION"):
				continue
			}
			out = append(out, n)
		}
	}
	return out
}

// normalize deparses each statement of sql, so formatting and quoting do not matter.
// ALTER TABLE ... RENAME of a sequence is read as ALTER SEQUENCE, which is how
// PostgreSQL runs it.
func normalize(t *testing.T, file, sql string) []string {
	tree, err := pg.Parse(sql)
	if err != nil {
		t.Errorf("%s: does not parse: %v\n%s", file, err, sql)
		return nil
	}
	var out []string
	for _, raw := range tree.Stmts {
		if rs := raw.Stmt.GetRenameStmt(); rs != nil && rs.RenameType == pg.ObjectType_OBJECT_TABLE && strings.HasSuffix(rs.Relation.GetRelname(), "_seq") {
			rs.RenameType, rs.RelationType = pg.ObjectType_OBJECT_SEQUENCE, pg.ObjectType_OBJECT_SEQUENCE
		}
		s, err := pg.Deparse(&pg.ParseResult{Stmts: []*pg.RawStmt{{Stmt: raw.Stmt}}})
		if err != nil {
			t.Errorf("%s: deparse: %v", file, err)
			continue
		}
		out = append(out, s)
	}
	return out
}

func diff(t *testing.T, file, section string, got, want []string, ormErr string) {
	t.Helper()
	if ormErr != "" {
		// The ORM stopped at a statement PostgreSQL refused; the fixtures only do that on
		// purpose, with work that cannot run in a transaction block.
		if !expectedRefusal(ormErr) {
			t.Errorf("%s (%s): the ORM failed: %s", file, section, ormErr)
		}
		if len(got) > len(want) {
			got = got[:len(want)]
		}
	}
	if strings.Join(got, "\n") == strings.Join(want, "\n") {
		return
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s): migsafe's SQL differs from the ORM's", file, section)
	if ormErr != "" {
		fmt.Fprintf(&b, " (the ORM stopped with: %s)", ormErr)
	}
	b.WriteString("\n  migsafe:\n")
	for _, s := range got {
		b.WriteString("    " + s + "\n")
	}
	b.WriteString("  ORM:\n")
	for _, s := range want {
		b.WriteString("    " + s + "\n")
	}
	t.Error(b.String())
}

// expectedRefusal reports an ORM error the fixtures provoke on purpose: work that
// cannot run in a transaction block, and migrations their ORM cannot reverse.
func expectedRefusal(err string) bool {
	for _, s := range []string{"transaction block", "inside a transaction", "Irreversible", "not reversible", "has no attribute 'downgrade'"} {
		if strings.Contains(err, s) {
			return true
		}
	}
	return false
}

func listDir(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		if !e.IsDir() {
			out = append(out, filepath.Join(dir, e.Name()))
		}
	}
	return out, nil
}

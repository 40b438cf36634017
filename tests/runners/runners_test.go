package runners

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// env is one scenario's project and database.
type env struct {
	dir  string // the project root, where commands run
	db   string // the database name
	sock string // the server's socket directory
}

func (e env) dsn() string {
	return fmt.Sprintf("host=%s port=5432 user=postgres dbname=%s sslmode=disable", e.sock, e.db)
}

func (e env) url(socketParam string) string {
	return fmt.Sprintf("postgres://postgres@localhost:5432/%s?%s=%s&sslmode=disable", e.db, socketParam, url.QueryEscape(e.sock))
}

// runner applies and rolls back a project's migrations as one migration tool does.
type runner interface {
	name() string
	// write lays out the baseline (migration 1, a no-op: the schema is the seed's) and
	// migration 2 with its down; it returns migration 2's path relative to dir.
	write(dir string, r recipe) string
	// up applies every migration not applied yet.
	up(ctx context.Context, e env) error
	// down rolls back to the baseline.
	down(ctx context.Context, e env) error
	// recover is what the tool's documentation says to do after a migration failed
	// half-way, before running up again.
	recover(ctx context.Context, e env) error
}

func writeFiles(dir string, files map[string]string) {
	for p, text := range files {
		full := filepath.Join(dir, p)
		os.MkdirAll(filepath.Dir(full), 0o755)
		if err := os.WriteFile(full, []byte(text), 0o644); err != nil {
			panic(err)
		}
	}
}

// command runs a runner's CLI in the project; the error carries its output.
func command(ctx context.Context, e env, env []string, name string, args ...string) error {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = e.dir
	cmd.Env = append(os.Environ(), env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s %s: %v\n%s", filepath.Base(name), strings.Join(args, " "), err, out.String())
	}
	return nil
}

func tool(name string) string { return filepath.Join(runnersDir(), name) }

// runnersDir is where scripts/install-runners.sh puts the Go runners.
func runnersDir() string {
	if d := os.Getenv("MIGSAFE_RUNNERS"); d != "" {
		return d
	}
	base := os.Getenv("XDG_CACHE_HOME")
	if base == "" {
		home, _ := os.UserHomeDir()
		base = filepath.Join(home, ".cache")
	}
	return filepath.Join(base, "migsafe", "runners")
}

// goose: one file per migration with Up and Down sections, numbered; `goose up`,
// `goose down-to 1`. A failed migration is not recorded, so up runs it again.
type goose struct{}

func (goose) name() string { return "goose" }
func (goose) write(dir string, r recipe) string {
	writeFiles(dir, map[string]string{
		"db/migrations/00001_base.sql": "-- +goose Up\nSELECT 1;\n-- +goose Down\nSELECT 1;\n",
		"db/migrations/00002_x.sql":    "-- +goose Up\n" + r.up + "\n\n-- +goose Down\n" + r.down + "\n",
	})
	return "db/migrations/00002_x.sql"
}
func (goose) up(ctx context.Context, e env) error {
	return command(ctx, e, nil, tool("goose"), "-dir", "db/migrations", "postgres", e.dsn(), "up")
}
func (goose) down(ctx context.Context, e env) error {
	return command(ctx, e, nil, tool("goose"), "-dir", "db/migrations", "postgres", e.dsn(), "down-to", "1")
}
func (goose) recover(context.Context, env) error { return nil }

// golang-migrate: N_name.up.sql and N_name.down.sql, each file sent as one query;
// `migrate up`, `migrate goto 1`. A failed migration leaves the database "dirty" at its
// version; the documented way on is `migrate force` to the last good version.
type golangMigrate struct{}

func (golangMigrate) name() string { return "golang-migrate" }
func (golangMigrate) write(dir string, r recipe) string {
	writeFiles(dir, map[string]string{
		"db/migrations/000001_base.up.sql":   "SELECT 1;\n",
		"db/migrations/000001_base.down.sql": "SELECT 1;\n",
		"db/migrations/000002_x.up.sql":      r.up + "\n",
		"db/migrations/000002_x.down.sql":    r.down + "\n",
	})
	return "db/migrations/000002_x.up.sql"
}
func (golangMigrate) db(e env) string {
	return fmt.Sprintf("postgres:///%s?host=%s&user=postgres&sslmode=disable", e.db, url.QueryEscape(e.sock))
}
func (g golangMigrate) up(ctx context.Context, e env) error {
	return command(ctx, e, nil, tool("migrate"), "-path", "db/migrations", "-database", g.db(e), "up")
}
func (g golangMigrate) down(ctx context.Context, e env) error {
	return command(ctx, e, nil, tool("migrate"), "-path", "db/migrations", "-database", g.db(e), "goto", "1")
}
func (g golangMigrate) recover(ctx context.Context, e env) error {
	// The dirty version is the one that failed; force the one before it.
	v, err := queryString(ctx, e, "SELECT version FROM schema_migrations")
	if err != nil {
		return err
	}
	var n int
	fmt.Sscan(v, &n)
	return command(ctx, e, nil, tool("migrate"), "-path", "db/migrations", "-database", g.db(e), "force", fmt.Sprint(n-1))
}

// dbmate: timestamped files with migrate:up and migrate:down; `dbmate up`, `dbmate
// rollback` one at a time. A migration run with transaction:false that fails is not
// recorded, so up runs it again.
type dbmate struct{}

func (dbmate) name() string { return "dbmate" }
func (dbmate) write(dir string, r recipe) string {
	writeFiles(dir, map[string]string{
		"db/migrations/20240101000000_base.sql": "-- migrate:up\nSELECT 1;\n-- migrate:down\nSELECT 1;\n",
		"db/migrations/20240102000000_x.sql":    "-- migrate:up\n" + r.up + "\n\n-- migrate:down\n" + r.down + "\n",
	})
	return "db/migrations/20240102000000_x.sql"
}
func (d dbmate) run(ctx context.Context, e env, verb string) error {
	return command(ctx, e, nil, tool("dbmate"), "--url", e.url("socket"), "--migrations-dir", "db/migrations", "--no-dump-schema", verb)
}
func (d dbmate) up(ctx context.Context, e env) error { return d.run(ctx, e, "up") }
func (d dbmate) down(ctx context.Context, e env) error {
	for {
		n, err := queryString(ctx, e, "SELECT count(*) FROM schema_migrations")
		if err != nil {
			return err
		}
		if n == "1" {
			return nil
		}
		if err := d.run(ctx, e, "rollback"); err != nil {
			return err
		}
	}
}
func (dbmate) recover(context.Context, env) error { return nil }

// sqitch: a plan of changes with deploy, revert and verify scripts run by psql;
// `sqitch deploy --verify`, `sqitch revert --to base`. A failed deploy reverts the
// failed change with its revert script and stops; deploy then runs it again.
type sqitch struct{}

func (sqitch) name() string { return "sqitch" }
func (sqitch) write(dir string, r recipe) string {
	writeFiles(dir, map[string]string{
		"sqitch.conf":     "[core]\n\tengine = pg\n",
		"sqitch.plan":     "%syntax-version=1.0.0\n%project=suite\n\nbase 2024-01-01T00:00:00Z Suite <suite@example.com> # baseline\nx [base] 2024-01-02T00:00:00Z Suite <suite@example.com> # the change\n",
		"deploy/base.sql": "SELECT 1;\n", "revert/base.sql": "SELECT 1;\n", "verify/base.sql": "SELECT 1;\n",
		"deploy/x.sql": "BEGIN;\n" + r.up + "\nCOMMIT;\n",
		"revert/x.sql": "BEGIN;\n" + r.down + "\nCOMMIT;\n",
		"verify/x.sql": "SELECT 1;\n",
	})
	return "deploy/x.sql"
}
func (sqitch) env(e env) []string {
	return []string{"PGHOST=" + e.sock, "PGUSER=postgres", "SQITCH_USER_NAME=suite", "SQITCH_USER_EMAIL=suite@example.com"}
}
func (s sqitch) up(ctx context.Context, e env) error {
	return command(ctx, e, s.env(e), "sqitch", "deploy", "--verify", "db:pg:"+e.db)
}
func (s sqitch) down(ctx context.Context, e env) error {
	return command(ctx, e, s.env(e), "sqitch", "revert", "-y", "--to", "base", "db:pg:"+e.db)
}
func (sqitch) recover(context.Context, env) error { return nil }

// plain: files run in name order with psql -f (ON_ERROR_STOP), each statement in its
// own transaction unless the file says BEGIN. psql keeps no history and has no down:
// rollback is not part of this runner.
type plain struct{}

func (plain) name() string { return "plain" }
func (plain) write(dir string, r recipe) string {
	writeFiles(dir, map[string]string{
		"migrations/0001_base.sql": "SELECT 1;\n",
		"migrations/0002_x.sql":    r.up + "\n",
	})
	return "migrations/0002_x.sql"
}
func (plain) up(ctx context.Context, e env) error {
	files, _ := filepath.Glob(filepath.Join(e.dir, "migrations", "*.sql"))
	done, _ := queryString(ctx, e, "SELECT coalesce(max(name), '') FROM migsafe_suite_plain")
	for _, f := range files {
		if filepath.Base(f) <= done {
			continue
		}
		if err := command(ctx, e, []string{"PGHOST=" + e.sock}, "psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-U", "postgres", "-d", e.db, "-f", f); err != nil {
			return err
		}
		// The suite's own record of what ran, as a deploy script would keep.
		if _, err := exec_(ctx, e, "INSERT INTO migsafe_suite_plain VALUES ($1)", filepath.Base(f)); err != nil {
			return err
		}
	}
	return nil
}
func (plain) down(context.Context, env) error    { return errNoDown }
func (plain) recover(context.Context, env) error { return nil }

var errNoDown = fmt.Errorf("psql has no down migrations")

// promoteAll turns every pending contract phase of the project into a migration, as
// the user does once the code it waits for has shipped.
func promoteAll(ctx context.Context, e env, migsafe string) error {
	var pending []string
	filepath.WalkDir(e.dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.Contains(p, string(filepath.Separator)+filepath.Join(".migsafe", "pending")+string(filepath.Separator)) {
			rel, _ := filepath.Rel(e.dir, p)
			pending = append(pending, rel)
		}
		return nil
	})
	for _, p := range pending {
		if err := command(ctx, e, nil, migsafe, "fix", "--promote", "--write", p); err != nil {
			return err
		}
	}
	return nil
}

// deadline for one runner command.
const commandTimeout = 3 * time.Minute

package runners

import (
	"context"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/migsafe/migsafe/engine/migration"
)

// Flyway, Prisma and Diesel need a JVM, Prisma's engines or a Rust toolchain, none of
// which install from the registries this project may use. The suite runs their
// documented behaviour instead; what is emulated, and from which documentation:
//
// Flyway (documentation: "Migrations", "Script config files", "Undo", "Repair"):
//   - versioned migrations V<version>__<description>.sql, applied in version order
//     (numeric parts compared as numbers), recorded in flyway_schema_history;
//   - each migration in its own transaction, its statements sent one by one, unless
//     its V<version>__x.sql.conf says executeInTransaction=false, or it holds only
//     statements PostgreSQL cannot run in a transaction that Flyway's parser recognises
//     (CREATE/DROP INDEX CONCURRENTLY, VACUUM, CREATE/DROP DATABASE, ALTER SYSTEM): then
//     each statement runs on its own with autocommit; Flyway does not look into DO blocks;
//   - a failed migration in a transaction is rolled back and not recorded; one outside
//     a transaction is recorded as failed, and migrate refuses to go on until `flyway
//     repair` removes the failed entry;
//   - `flyway undo` (Teams) runs U<version>__x.sql of the applied migrations, newest
//     first, with the same transaction rules.
//
// Prisma Migrate (prisma-engines schema-engine ARCHITECTURE.md, "Generating down
// migrations", `migrate resolve`):
//   - prisma/migrations/<name>/migration.sql, applied in name order by `migrate
//     deploy`, each as one script sent in one query (PostgreSQL runs a multi-statement
//     query as one implicit transaction), recorded in _prisma_migrations with its sha256
//     checksum, started_at and, on success, finished_at;
//   - a failed migration's row stays without finished_at, and deploy refuses to go on
//     until `migrate resolve --rolled-back <name>` marks it rolled back;
//   - there are no down migrations: the documented rollback runs a down.sql with `prisma
//     db execute` (one script) and marks the migration rolled back.
//
// Diesel (diesel_migrations: `diesel migration run/revert`, metadata.toml):
//   - migrations/<version>_<name>/up.sql and down.sql, in version order, recorded in
//     __diesel_schema_migrations;
//   - each file sent as one batch_execute (one query), inside a transaction (BEGIN ...
//     COMMIT around it) unless metadata.toml says run_in_transaction = false;
//   - a failed migration is not recorded; run applies it again.

// connect opens a connection to the scenario's database.
func connect(ctx context.Context, e env) (*pgx.Conn, error) {
	return pgx.Connect(ctx, e.dsn())
}

func queryString(ctx context.Context, e env, sql string, args ...any) (string, error) {
	c, err := connect(ctx, e)
	if err != nil {
		return "", err
	}
	defer c.Close(ctx)
	var s string
	err = c.QueryRow(ctx, "SELECT ("+sql+")::text", args...).Scan(&s)
	return s, err
}

func exec_(ctx context.Context, e env, sql string, args ...any) (int64, error) {
	c, err := connect(ctx, e)
	if err != nil {
		return 0, err
	}
	defer c.Close(ctx)
	tag, err := c.Exec(ctx, sql, args...)
	return tag.RowsAffected(), err
}

// script sends a whole file as one simple-protocol query, as Prisma and Diesel do.
func script(ctx context.Context, c *pgx.Conn, sql string) error {
	_, err := c.PgConn().Exec(ctx, sql).ReadAll()
	return err
}

// statements splits a file into statements (Flyway's parser splits at semicolons
// outside quotes and dollar quotes; pg_query's scanner does the same here).
func statements(sql string) []string {
	var out []string
	for _, st := range migration.Parse("m.sql", sql, migration.Options{Runner: migration.Plain}).Statements {
		out = append(out, st.Text)
	}
	return out
}

type flyway struct{}

func (flyway) name() string { return "flyway" }
func (flyway) write(dir string, r recipe) string {
	writeFiles(dir, map[string]string{
		"sql/V1__base.sql": "SELECT 1;\n", "sql/U1__base.sql": "SELECT 1;\n",
		"sql/V2__x.sql": r.up + "\n", "sql/U2__x.sql": r.down + "\n",
	})
	return "sql/V2__x.sql"
}

var flywayV = regexp.MustCompile(`^([VU])(\d+(?:[._]\d+)*)__.+\.sql$`)

type flywayScript struct {
	version []int
	text    string
	path    string
}

func (flyway) scripts(dir, prefix string) []flywayScript {
	entries, _ := os.ReadDir(filepath.Join(dir, "sql"))
	var out []flywayScript
	for _, e := range entries {
		m := flywayV.FindStringSubmatch(e.Name())
		if m == nil || m[1] != prefix {
			continue
		}
		var v []int
		for _, p := range regexp.MustCompile(`[._]`).Split(m[2], -1) {
			n, _ := strconv.Atoi(p)
			v = append(v, n)
		}
		p := filepath.Join(dir, "sql", e.Name())
		data, _ := os.ReadFile(p)
		out = append(out, flywayScript{version: v, text: string(data), path: p})
	}
	sort.Slice(out, func(i, j int) bool { return lessVersion(out[i].version, out[j].version) })
	return out
}

func lessVersion(a, b []int) bool {
	for i := 0; i < len(a) || i < len(b); i++ {
		x, y := 0, 0
		if i < len(a) {
			x = a[i]
		}
		if i < len(b) {
			y = b[i]
		}
		if x != y {
			return x < y
		}
	}
	return false
}

func versionText(v []int) string {
	var parts []string
	for _, n := range v {
		parts = append(parts, strconv.Itoa(n))
	}
	return strings.Join(parts, ".")
}

var flywayNonTx = regexp.MustCompile(`(?is)^\s*(CREATE\s+(UNIQUE\s+)?INDEX\s+CONCURRENTLY|DROP\s+INDEX\s+CONCURRENTLY|VACUUM|CREATE\s+DATABASE|DROP\s+DATABASE|ALTER\s+SYSTEM)\b`)

// inTransaction is Flyway's decision for one script.
func (flyway) inTransaction(s flywayScript) bool {
	if conf, err := os.ReadFile(s.path + ".conf"); err == nil && regexp.MustCompile(`(?m)^\s*executeInTransaction\s*=\s*false`).Match(conf) {
		return false
	}
	stmts := statements(s.text)
	nonTx := 0
	for _, st := range stmts {
		if flywayNonTx.MatchString(stripComments(st)) {
			nonTx++
		}
	}
	return nonTx == 0 || nonTx < len(stmts) // mixed: refused by Flyway; run in a transaction, where it fails
}

func stripComments(st string) string {
	lines := strings.Split(st, "\n")
	var out []string
	for _, l := range lines {
		if !strings.HasPrefix(strings.TrimSpace(l), "--") {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

func (f flyway) run(ctx context.Context, c *pgx.Conn, s flywayScript) error {
	stmts := statements(s.text)
	if !f.inTransaction(s) {
		for _, st := range stmts {
			if _, err := c.Exec(ctx, st); err != nil {
				return err
			}
		}
		return nil
	}
	tx, err := c.Begin(ctx)
	if err != nil {
		return err
	}
	for _, st := range stmts {
		if _, err := tx.Exec(ctx, st); err != nil {
			tx.Rollback(ctx)
			return err
		}
	}
	return tx.Commit(ctx)
}

func (f flyway) up(ctx context.Context, e env) error {
	c, err := connect(ctx, e)
	if err != nil {
		return err
	}
	defer c.Close(ctx)
	if _, err := c.Exec(ctx, `CREATE TABLE IF NOT EXISTS flyway_schema_history (installed_rank serial PRIMARY KEY, version text, script text, checksum text, success boolean NOT NULL)`); err != nil {
		return err
	}
	var failed int
	c.QueryRow(ctx, "SELECT count(*) FROM flyway_schema_history WHERE NOT success").Scan(&failed)
	if failed > 0 {
		return fmt.Errorf("flyway: validate failed: detected failed migration (run flyway repair)")
	}
	for _, s := range f.scripts(e.dir, "V") {
		var n int
		c.QueryRow(ctx, "SELECT count(*) FROM flyway_schema_history WHERE version = $1", versionText(s.version)).Scan(&n)
		if n > 0 {
			continue
		}
		if err := f.run(ctx, c, s); err != nil {
			if !f.inTransaction(s) {
				c.Exec(ctx, "INSERT INTO flyway_schema_history (version, script, checksum, success) VALUES ($1, $2, $3, false)", versionText(s.version), filepath.Base(s.path), checksum(s.text))
			}
			return fmt.Errorf("flyway: migration %s failed: %w", filepath.Base(s.path), err)
		}
		if _, err := c.Exec(ctx, "INSERT INTO flyway_schema_history (version, script, checksum, success) VALUES ($1, $2, $3, true)", versionText(s.version), filepath.Base(s.path), checksum(s.text)); err != nil {
			return err
		}
	}
	return nil
}

func (f flyway) down(ctx context.Context, e env) error {
	c, err := connect(ctx, e)
	if err != nil {
		return err
	}
	defer c.Close(ctx)
	undos := f.scripts(e.dir, "U")
	for i := len(undos) - 1; i >= 0; i-- {
		s := undos[i]
		if versionText(s.version) == "1" {
			break
		}
		var n int
		c.QueryRow(ctx, "SELECT count(*) FROM flyway_schema_history WHERE version = $1 AND success", versionText(s.version)).Scan(&n)
		if n == 0 {
			continue
		}
		if err := f.run(ctx, c, s); err != nil {
			return fmt.Errorf("flyway undo %s: %w", filepath.Base(s.path), err)
		}
		c.Exec(ctx, "DELETE FROM flyway_schema_history WHERE version = $1", versionText(s.version))
	}
	return nil
}

func (flyway) recover(ctx context.Context, e env) error {
	_, err := exec_(ctx, e, "DELETE FROM flyway_schema_history WHERE NOT success")
	return err
}

func checksum(s string) string { return fmt.Sprintf("%x", sha256.Sum256([]byte(s))) }

type prisma struct{}

func (prisma) name() string { return "prisma" }
func (prisma) write(dir string, r recipe) string {
	writeFiles(dir, map[string]string{
		"prisma/migrations/migration_lock.toml":               "provider = \"postgresql\"\n",
		"prisma/migrations/20240101000000_base/migration.sql": "SELECT 1;\n",
		"prisma/migrations/20240101000000_base/down.sql":      "SELECT 1;\n",
		"prisma/migrations/20240102000000_x/migration.sql":    r.up + "\n",
		"prisma/migrations/20240102000000_x/down.sql":         r.down + "\n",
	})
	return "prisma/migrations/20240102000000_x/migration.sql"
}

func (prisma) migrations(dir string) []string {
	entries, _ := os.ReadDir(filepath.Join(dir, "prisma", "migrations"))
	var out []string
	for _, e := range entries {
		if e.IsDir() {
			if _, err := os.Stat(filepath.Join(dir, "prisma", "migrations", e.Name(), "migration.sql")); err == nil {
				out = append(out, e.Name())
			}
		}
	}
	sort.Strings(out)
	return out
}

func (p prisma) up(ctx context.Context, e env) error {
	c, err := connect(ctx, e)
	if err != nil {
		return err
	}
	defer c.Close(ctx)
	if _, err := c.Exec(ctx, `CREATE TABLE IF NOT EXISTS _prisma_migrations (id text PRIMARY KEY DEFAULT gen_random_uuid()::text, checksum text NOT NULL, finished_at timestamptz, migration_name text NOT NULL, logs text, rolled_back_at timestamptz, started_at timestamptz NOT NULL DEFAULT now(), applied_steps_count integer NOT NULL DEFAULT 0)`); err != nil {
		return err
	}
	var failed int
	c.QueryRow(ctx, "SELECT count(*) FROM _prisma_migrations WHERE finished_at IS NULL AND rolled_back_at IS NULL").Scan(&failed)
	if failed > 0 {
		return fmt.Errorf("prisma: P3009: a failed migration is found in the target database")
	}
	for _, name := range p.migrations(e.dir) {
		var n int
		c.QueryRow(ctx, "SELECT count(*) FROM _prisma_migrations WHERE migration_name = $1 AND finished_at IS NOT NULL AND rolled_back_at IS NULL", name).Scan(&n)
		if n > 0 {
			continue
		}
		data, _ := os.ReadFile(filepath.Join(e.dir, "prisma", "migrations", name, "migration.sql"))
		var id string
		if err := c.QueryRow(ctx, "INSERT INTO _prisma_migrations (checksum, migration_name) VALUES ($1, $2) RETURNING id", checksum(string(data)), name).Scan(&id); err != nil {
			return err
		}
		if err := script(ctx, c, string(data)); err != nil {
			c.Exec(ctx, "UPDATE _prisma_migrations SET logs = $2 WHERE id = $1", id, err.Error())
			return fmt.Errorf("prisma: migration %s failed: %w", name, err)
		}
		if _, err := c.Exec(ctx, "UPDATE _prisma_migrations SET finished_at = now(), applied_steps_count = 1 WHERE id = $1", id); err != nil {
			return err
		}
	}
	return nil
}

func (p prisma) down(ctx context.Context, e env) error {
	c, err := connect(ctx, e)
	if err != nil {
		return err
	}
	defer c.Close(ctx)
	names := p.migrations(e.dir)
	for i := len(names) - 1; i > 0; i-- {
		var n int
		c.QueryRow(ctx, "SELECT count(*) FROM _prisma_migrations WHERE migration_name = $1 AND finished_at IS NOT NULL AND rolled_back_at IS NULL", names[i]).Scan(&n)
		if n == 0 {
			continue
		}
		data, err := os.ReadFile(filepath.Join(e.dir, "prisma", "migrations", names[i], "down.sql"))
		if err != nil {
			return fmt.Errorf("prisma: %s has no down.sql", names[i])
		}
		if err := script(ctx, c, string(data)); err != nil {
			return fmt.Errorf("prisma db execute %s/down.sql: %w", names[i], err)
		}
		c.Exec(ctx, "UPDATE _prisma_migrations SET rolled_back_at = now() WHERE migration_name = $1", names[i])
	}
	return nil
}

func (prisma) recover(ctx context.Context, e env) error {
	_, err := exec_(ctx, e, "UPDATE _prisma_migrations SET rolled_back_at = now() WHERE finished_at IS NULL AND rolled_back_at IS NULL")
	return err
}

type diesel struct{}

func (diesel) name() string { return "diesel" }
func (diesel) write(dir string, r recipe) string {
	writeFiles(dir, map[string]string{
		"migrations/2024-01-01-000000_base/up.sql": "SELECT 1;\n", "migrations/2024-01-01-000000_base/down.sql": "SELECT 1;\n",
		"migrations/2024-01-02-000000_x/up.sql": r.up + "\n", "migrations/2024-01-02-000000_x/down.sql": r.down + "\n",
	})
	return "migrations/2024-01-02-000000_x/up.sql"
}

func (diesel) migrations(dir string) []string {
	entries, _ := os.ReadDir(filepath.Join(dir, "migrations"))
	var out []string
	for _, e := range entries {
		if e.IsDir() {
			out = append(out, e.Name())
		}
	}
	sort.Slice(out, func(i, j int) bool { return dieselVersion(out[i]) < dieselVersion(out[j]) })
	return out
}

func dieselVersion(name string) string {
	v, _, _ := strings.Cut(name, "_")
	return strings.ReplaceAll(v, "-", "")
}

func (diesel) run(ctx context.Context, c *pgx.Conn, dir, file string) error {
	data, err := os.ReadFile(filepath.Join(dir, file))
	if err != nil {
		return err
	}
	meta, _ := os.ReadFile(filepath.Join(dir, "metadata.toml"))
	if regexp.MustCompile(`(?m)^\s*run_in_transaction\s*=\s*false`).Match(meta) {
		return script(ctx, c, string(data))
	}
	tx, err := c.Begin(ctx)
	if err != nil {
		return err
	}
	if err := script(ctx, c, string(data)); err != nil {
		tx.Rollback(ctx)
		return err
	}
	return tx.Commit(ctx)
}

func (d diesel) up(ctx context.Context, e env) error {
	c, err := connect(ctx, e)
	if err != nil {
		return err
	}
	defer c.Close(ctx)
	if _, err := c.Exec(ctx, `CREATE TABLE IF NOT EXISTS __diesel_schema_migrations (version varchar(50) PRIMARY KEY, run_on timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP)`); err != nil {
		return err
	}
	for _, m := range d.migrations(e.dir) {
		var n int
		c.QueryRow(ctx, "SELECT count(*) FROM __diesel_schema_migrations WHERE version = $1", dieselVersion(m)).Scan(&n)
		if n > 0 {
			continue
		}
		if err := d.run(ctx, c, filepath.Join(e.dir, "migrations", m), "up.sql"); err != nil {
			return fmt.Errorf("diesel: %s/up.sql: %w", m, err)
		}
		if _, err := c.Exec(ctx, "INSERT INTO __diesel_schema_migrations (version) VALUES ($1)", dieselVersion(m)); err != nil {
			return err
		}
	}
	return nil
}

func (d diesel) down(ctx context.Context, e env) error {
	c, err := connect(ctx, e)
	if err != nil {
		return err
	}
	defer c.Close(ctx)
	ms := d.migrations(e.dir)
	for i := len(ms) - 1; i > 0; i-- {
		var n int
		c.QueryRow(ctx, "SELECT count(*) FROM __diesel_schema_migrations WHERE version = $1", dieselVersion(ms[i])).Scan(&n)
		if n == 0 {
			continue
		}
		if err := d.run(ctx, c, filepath.Join(e.dir, "migrations", ms[i]), "down.sql"); err != nil {
			return fmt.Errorf("diesel: %s/down.sql: %w", ms[i], err)
		}
		c.Exec(ctx, "DELETE FROM __diesel_schema_migrations WHERE version = $1", dieselVersion(ms[i]))
	}
	return nil
}

func (diesel) recover(context.Context, env) error { return nil }

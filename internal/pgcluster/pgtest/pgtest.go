// Package pgtest decides what a test does when a PostgreSQL major it needs is not
// installed: it skips on a developer's machine, and fails where MIGSAFE_REQUIRE_PG
// (set by scripts/test, which installs them) promises that major. A skipped database
// test must never pass for a checked one in CI.
package pgtest

import (
	"context"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/migsafe/migsafe/internal/pgcluster"
)

// Env names the majors a run promises, comma-separated: "10,11,12,15,17".
const Env = "MIGSAFE_REQUIRE_PG"

// Required lists the promised majors.
func Required() []int {
	var out []int
	for _, f := range strings.Split(os.Getenv(Env), ",") {
		if n, err := strconv.Atoi(strings.TrimSpace(f)); err == nil {
			out = append(out, n)
		}
	}
	return out
}

// Need makes the test skip, or fail when the major is promised, unless the major's
// binaries are installed.
func Need(t testing.TB, major int) {
	t.Helper()
	_, err := pgcluster.Find(major)
	if err == nil {
		return
	}
	for _, m := range Required() {
		if m == major {
			t.Fatalf("PostgreSQL %d is required by %s but not installed: %v (run scripts/install-postgres.sh)", major, Env, err)
		}
	}
	t.Skipf("PostgreSQL %d not installed: %v (run scripts/install-postgres.sh)", major, err)
}

// Connect starts a throwaway cluster of the major (skipping or failing as Need does),
// stops it when the test ends, and returns it with a connection to its postgres
// database, closed when the test ends.
func Connect(t testing.TB, major int) (*pgcluster.Cluster, *pgx.Conn) {
	t.Helper()
	Need(t, major)
	ctx := context.Background()
	c, err := pgcluster.Start(ctx, pgcluster.Options{Major: major})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Stop() })
	conn, err := pgx.Connect(ctx, c.DSN())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return c, conn
}

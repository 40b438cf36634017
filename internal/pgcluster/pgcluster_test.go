package pgcluster_test

import (
	"context"
	"errors"
	"github.com/migsafe/migsafe/internal/pgcluster"
	"github.com/migsafe/migsafe/internal/pgcluster/pgtest"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/jackc/pgx/v5"
)

func TestStartEveryAvailableMajor(t *testing.T) {
	majors := pgcluster.Available()
	t.Logf("available majors: %v", majors)
	for _, m := range pgtest.Required() {
		pgtest.Need(t, m)
	}
	if len(majors) == 0 {
		t.Skip("no PostgreSQL binaries installed (run scripts/install-postgres.sh)")
	}
	for _, major := range majors {
		t.Run(strconv.Itoa(major), func(t *testing.T) {
			ctx := context.Background()
			c, err := pgcluster.Start(ctx, pgcluster.Options{Major: major, Settings: map[string]string{"fsync": "off"}})
			if err != nil {
				t.Fatal(err)
			}
			root := filepath.Dir(c.SpareDir()) // the cluster's temporary directory
			t.Cleanup(func() { c.Stop() })
			conn, err := pgx.Connect(ctx, c.DSN())
			if err != nil {
				t.Fatal(err)
			}
			var num int
			if err := conn.QueryRow(ctx, "SELECT current_setting('server_version_num')::int").Scan(&num); err != nil {
				t.Fatal(err)
			}
			conn.Close(ctx)
			if num/10000 != major {
				t.Errorf("server_version_num = %d, want major %d", num, major)
			}
			if err := c.Stop(); err != nil {
				t.Fatal(err)
			}
			if _, err := os.Stat(root); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("Stop left %s behind (%v)", root, err)
			}
		})
	}
}

func TestFindMissingMajorSaysHowToInstall(t *testing.T) {
	_, err := pgcluster.Find(9)
	if !errors.Is(err, pgcluster.ErrNotInstalled) {
		t.Fatalf("pgcluster.Find(9) = %v, want ErrNotInstalled", err)
	}
}

package engine_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/migsafe/migsafe/engine"
	"github.com/migsafe/migsafe/engine/config"
	"github.com/migsafe/migsafe/engine/migration"
	"github.com/migsafe/migsafe/engine/rules"
	"github.com/migsafe/migsafe/internal/pgcluster/pgtest"
)

// TestDroppingIndexFromCatalog: dropping-index reads the dropped index's definition
// from the catalog the earlier migrations leave, with no down migration to tell it.
// An index a constraint owns is a BLOCK, and PostgreSQL agrees: the DROP fails with
// 2BP01 (dependent objects still exist), CASCADE or not; the other drops succeed.
func TestDroppingIndexFromCatalog(t *testing.T) {
	dir := t.TempDir()
	first := "CREATE TABLE users (id bigint PRIMARY KEY, email text, org bigint, CONSTRAINT users_org_key UNIQUE (org));\n" +
		"CREATE UNIQUE INDEX users_email_live ON users (lower(email)) WHERE org IS NOT NULL;\n" +
		"CREATE UNIQUE INDEX users_email_org ON users (email, org) WHERE org IS NOT NULL;\n"
	drops := []string{"DROP INDEX users_pkey;", "DROP INDEX users_org_key CASCADE;", "DROP INDEX users_email_org;", "DROP INDEX users_email_live;"}
	files := map[string]string{"000001_users.up.sql": first, "000002_drop.up.sql": strings.Join(drops, "\n") + "\n"}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cfg := config.Default()
	cfg.DeployedThrough = "000001"
	path := filepath.Join(dir, "000002_drop.up.sql")
	out := engine.AnalyzeBatch([]engine.Job{{Path: path, Config: cfg, OnDisk: true}}, engine.BatchOptions{})
	if out[0].Err != nil {
		t.Fatal(out[0].Err)
	}
	res := out[0].Result
	got := map[int]*engine.Finding{}
	for _, f := range res.Findings {
		if f.Rule.ID == "dropping-index" {
			got[res.File.Source.Position(f.Start, migration.CodePoints).Line] = f
		}
	}
	want := []struct {
		status rules.Status
		says   []string
	}{
		{rules.Block, []string{"DROP INDEX fails: constraint users_pkey on users owns index users_pkey"}},
		{rules.Block, []string{"constraint users_org_key on users owns index users_org_key"}},
		{rules.Flag, []string{"(on users (email, org), unique, partial", "two rows with the same (email, org)", "ON CONFLICT (email, org)"}},
		{rules.Flag, []string{"(on users (an expression), unique, partial"}},
	}
	for i, w := range want {
		f := got[i]
		if f == nil {
			t.Errorf("line %d: no dropping-index finding", i+1)
			continue
		}
		if f.Status != w.status {
			t.Errorf("line %d: %s, want %s: %s", i+1, f.Status, w.status, f.Message)
		}
		for _, s := range w.says {
			if !strings.Contains(f.Message, s) {
				t.Errorf("line %d: message does not say %q: %s", i+1, s, f.Message)
			}
		}
	}

	_, conn := pgtest.Connect(t, cfg.PGVersion)
	ctx := context.Background()
	if _, err := conn.Exec(ctx, first); err != nil {
		t.Fatal(err)
	}
	for i, q := range drops {
		_, err := conn.Exec(ctx, q)
		var pe *pgconn.PgError
		fails := errors.As(err, &pe) && pe.Code == "2BP01"
		if fails != (want[i].status == rules.Block) {
			t.Errorf("%s on PostgreSQL: %v, but the finding is %s", q, err, want[i].status)
		}
	}
}

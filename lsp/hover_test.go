package lsp

import (
	"strings"
	"testing"

	"github.com/migsafe/migsafe/engine"
	"github.com/migsafe/migsafe/engine/config"
)

// The hover's duration comes from the work the knowledge base states for each shape
// (locks.Facts.Work) over the relation that work reads, not from the shape's name:
// REINDEX rewrites indexes but is priced as an index build, ATTACH PARTITION scans the
// partition rather than the parent, and INSERT ... SELECT copies the source's rows.
func TestHoverEstimatesTheKnowledgeBasesWork(t *testing.T) {
	cfg := config.Default()
	cfg.Tables = map[string]int64{"users": 50_000_000, "events": 10_000_000, "events_2026": 2_000_000, "orders": 20_000_000}
	for sql, want := range map[string]string{
		"REINDEX TABLE users;": "estimated index build of `users` at ~50M rows",
		"ALTER TABLE events ATTACH PARTITION events_2026 FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');": "estimated validation scan of `events_2026` at ~2M rows",
		"INSERT INTO orders_copy SELECT * FROM orders;":                                                     "estimated bulk copy of `orders` at ~20M rows",
		"ALTER TABLE users ALTER COLUMN id TYPE bigint;":                                                    "estimated rewrite of `users` at ~50M rows",
		"UPDATE users SET plan = 'free';":                                                                   "estimated backfill of `users` at ~50M rows",
		"ALTER TABLE users ADD CONSTRAINT c CHECK (id > 0);":                                                "estimated validation scan of `users` at ~50M rows",
	} {
		res := engine.Analyze("0001_x.sql", sql, cfg, engine.Options{NoSiblings: true})
		text := hoverText(res, res.Statements[0])
		if !strings.Contains(text, want) {
			t.Errorf("%s: hover lacks %q:\n%s", sql, want, text)
		}
		if n := strings.Count(text, "\n- estimated "); n != 1 {
			t.Errorf("%s: %d estimates, want 1:\n%s", sql, n, text)
		}
	}
}

// A hover's heading and the document symbol name the statement's object as written:
// the leading keywords are upper-cased, identifiers are not ("VACUUM FULL USERS" was
// the heading of VACUUM FULL users), and a statement the outline does not know is
// still named with its object ("REFRESH MATERIALIZED VIEW" lacked the view).
func TestHoverHeadingNamesTheObjectAsWritten(t *testing.T) {
	cfg := config.Default()
	for sql, want := range map[string]string{
		"VACUUM FULL users;":              "**VACUUM FULL users**",
		`LOCK TABLE "Users";`:             `**LOCK TABLE "Users"**`,
		"REINDEX TABLE public.users;":     "**REINDEX TABLE public.users**",
		"CLUSTER users USING users_pkey;": "**CLUSTER users**",
		"REFRESH MATERIALIZED VIEW mv;":   "**REFRESH MATERIALIZED VIEW mv**",
		"refresh materialized view mv;":   "**REFRESH MATERIALIZED VIEW mv**",
	} {
		res := engine.Analyze("0001_x.sql", sql, cfg, engine.Options{NoSiblings: true})
		text := hoverText(res, res.Statements[0])
		if !strings.Contains(text, want) {
			t.Errorf("%s: hover lacks %q:\n%s", sql, want, text)
		}
	}
}

// DROP INDEX names only the index, but its ACCESS EXCLUSIVE lock is on the table too:
// the hover said "on table `(unnamed)`".
func TestHoverLockOnATableNotNamed(t *testing.T) {
	res := engine.Analyze("0001_x.sql", "DROP INDEX users_idx;", config.Default(), engine.Options{NoSiblings: true})
	text := hoverText(res, res.Statements[0])
	want := "- `ACCESS EXCLUSIVE` on the table (not named in the statement): blocks all reads and writes\n"
	if !strings.Contains(text, want) || strings.Contains(text, "(unnamed)") {
		t.Errorf("hover lacks %q:\n%s", want, text)
	}
}

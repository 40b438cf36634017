package runners

import "strings"

// seed is the schema and data every scenario starts from, made once and cloned: 100k
// accounts (a third with a NULL region, a wide pad so that scans take a measurable
// time), teams, 100k events without a primary key, 100k audit rows.
const seed = `
CREATE TABLE teams (id bigint PRIMARY KEY, name text);
INSERT INTO teams SELECT g, 'team ' || g FROM generate_series(1, 100) g;
CREATE TABLE accounts (id bigint PRIMARY KEY, email text, region text, age integer, team_id bigint, legacy text, pad text);
INSERT INTO accounts
SELECT g, 'user' || g || '@example.com', CASE WHEN g % 3 = 0 THEN NULL ELSE 'us' END, 18 + g % 60,
       1 + g % 100, CASE WHEN g % 2 = 0 THEN 'old ' || g END,
       repeat(md5(g::text), 10)
FROM generate_series(1, 100000) g;
CREATE TABLE events (id bigint, kind text, pad text);
INSERT INTO events SELECT g, 'k' || g % 7, repeat(md5(g::text), 10) FROM generate_series(1, 100000) g;
CREATE TABLE audit_log (id bigint PRIMARY KEY, account_id bigint, at timestamptz NOT NULL, what text);
INSERT INTO audit_log SELECT g, g, timestamptz '2023-06-01' + g * interval '10 minutes', 'did ' || g FROM generate_series(1, 100000) g;
`

// recipe is a risky migration, its down as an author would write it, and the end
// state it is meant to reach.
type recipe struct {
	name string
	up   string // the statements of migration 2
	down string
	// intended reaches the end state the migration means, applied with psql on a
	// clone; "" means up itself (which works there, blocking traffic as it goes).
	intended string
	// fill is what the author writes where the fix left a placeholder, as
	// old -> new replacements in the files the fix wrote.
	fill [][2]string
	// scans: the migration as written holds ACCESS EXCLUSIVE or SHARE on a table across
	// a scan or rewrite, which the lock sampler must see (its positive control).
	scans bool
	// backfill: the fix writes a batch job, which the resume scenario interrupts.
	backfill bool
}

var recipes = []recipe{
	{name: "concurrently",
		up:    "CREATE INDEX accounts_email_idx ON accounts (email);\nALTER TABLE accounts ADD COLUMN note text;",
		down:  "ALTER TABLE accounts DROP COLUMN note;\nDROP INDEX accounts_email_idx;",
		scans: true},
	{name: "unique",
		up:    "ALTER TABLE accounts ADD CONSTRAINT accounts_email_key UNIQUE (email);",
		down:  "ALTER TABLE accounts DROP CONSTRAINT accounts_email_key;",
		scans: true},
	{name: "foreign_key",
		up:    "ALTER TABLE accounts ADD CONSTRAINT accounts_team_fkey FOREIGN KEY (team_id) REFERENCES teams (id);",
		down:  "ALTER TABLE accounts DROP CONSTRAINT accounts_team_fkey;",
		scans: true},
	{name: "not_null",
		up:       "UPDATE accounts SET region = 'eu' WHERE region IS NULL;\nALTER TABLE accounts ALTER COLUMN region SET NOT NULL;",
		down:     "ALTER TABLE accounts ALTER COLUMN region DROP NOT NULL;",
		scans:    true,
		backfill: true},
	{name: "required_column",
		up:       "ALTER TABLE accounts ADD COLUMN plan text NOT NULL;",
		down:     "ALTER TABLE accounts DROP COLUMN plan;",
		intended: "ALTER TABLE accounts ADD COLUMN plan text NOT NULL DEFAULT 'free';\nALTER TABLE accounts ALTER COLUMN plan DROP DEFAULT;",
		fill:     [][2]string{{"SET DEFAULT NULL", "SET DEFAULT 'free'"}, {"-- migsafe:todo", "-- filled in:"}},
		backfill: true},
	{name: "primary_key",
		up:    "ALTER TABLE events ADD PRIMARY KEY (id);",
		down:  "ALTER TABLE events DROP CONSTRAINT events_pkey;\nALTER TABLE events ALTER COLUMN id DROP NOT NULL;",
		scans: true},
	{name: "change_type",
		up:       "ALTER TABLE accounts ALTER COLUMN age TYPE bigint;",
		down:     "ALTER TABLE accounts ALTER COLUMN age TYPE integer;",
		scans:    true,
		backfill: true},
	{name: "rename_column",
		up:       "ALTER TABLE accounts RENAME COLUMN legacy TO legacy_note;",
		down:     "ALTER TABLE accounts RENAME COLUMN legacy_note TO legacy;",
		backfill: true},
	{name: "rename_table",
		up:   "ALTER TABLE audit_log RENAME TO audit_events;",
		down: "ALTER TABLE audit_events RENAME TO audit_log;"},
	{name: "drop_column",
		up:   "ALTER TABLE accounts DROP COLUMN legacy;",
		down: "ALTER TABLE accounts ADD COLUMN legacy text;"},
	{name: "drop_table",
		up:   "DROP TABLE audit_log;",
		down: "CREATE TABLE audit_log (id bigint PRIMARY KEY, account_id bigint, at timestamptz NOT NULL, what text);"},
	{name: "batch_update",
		up:       "UPDATE accounts SET age = age + 1;",
		down:     "UPDATE accounts SET age = age - 1;",
		backfill: true},
	{name: "batch_delete",
		up:       "DELETE FROM audit_log WHERE at < '2024-01-01';",
		down:     "SELECT 1;",
		backfill: true},
}

// restoresData says whether rolling back returns the data too, not only the schema:
// a down cannot bring back what a DROP or DELETE destroyed.
func (r recipe) restoresData() bool {
	return !strings.Contains(r.up, "DROP") && !strings.Contains(r.up, "DELETE")
}

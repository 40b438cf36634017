-- config: [tables]
-- config: feature_flags = 40
SET lock_timeout = '5s';
-- Volatile defaults are evaluated per row: a rewrite.
ALTER TABLE users ADD COLUMN public_id uuid DEFAULT gen_random_uuid(); -- want: adding-field-with-rewrite
ALTER TABLE users ADD COLUMN jitter float8 DEFAULT random(); -- want: adding-field-with-rewrite
ALTER TABLE users ADD COLUMN seen_at timestamptz DEFAULT clock_timestamp(); -- want: adding-field-with-rewrite
ALTER TABLE users ADD COLUMN seq bigint DEFAULT nextval('users_seq'); -- want: adding-field-with-rewrite
-- serial, identity and stored generated columns need a value per row.
ALTER TABLE users ADD COLUMN n bigserial; -- want: adding-field-with-rewrite
ALTER TABLE users ADD COLUMN k bigint GENERATED ALWAYS AS IDENTITY; -- want: adding-field-with-rewrite
ALTER TABLE users ADD COLUMN total numeric GENERATED ALWAYS AS (price * qty) STORED; -- want: adding-field-with-rewrite
-- The finding is on the clause at fault, in a multi-command ALTER.
ALTER TABLE users ADD COLUMN a int, ADD COLUMN b uuid DEFAULT gen_random_uuid(); -- want: adding-field-with-rewrite
-- A function migsafe does not know: a FLAG to verify its volatility.
ALTER TABLE users ADD COLUMN score int DEFAULT compute_score(); -- want: adding-field-with-rewrite
-- Stable and constant defaults are stored in the catalog from PostgreSQL 11.
ALTER TABLE users ADD COLUMN created_at timestamptz DEFAULT now(); -- want: none
ALTER TABLE users ADD COLUMN updated_at timestamptz NOT NULL DEFAULT CURRENT_TIMESTAMP; -- want: none
ALTER TABLE users ADD COLUMN active boolean NOT NULL DEFAULT true; -- want: none
ALTER TABLE users ADD COLUMN plan text DEFAULT 'free'; -- want: none
-- statement_timestamp() and txid_current() are STABLE (pg_proc.provolatile = 's'): one value, no rewrite.
ALTER TABLE users ADD COLUMN requested_at timestamptz DEFAULT statement_timestamp(); -- want: none
ALTER TABLE users ADD COLUMN created_xid bigint DEFAULT txid_current(); -- want: none
ALTER TABLE users ADD COLUMN created_on date DEFAULT CURRENT_DATE; -- want: none
ALTER TABLE users ADD COLUMN created_utc timestamp DEFAULT (now() AT TIME ZONE 'utc'); -- want: none
ALTER TABLE users ADD COLUMN slug text DEFAULT lower(md5('x')); -- want: none
-- Schema-qualified calls outside pg_catalog are user functions, whatever their name.
ALTER TABLE users ADD COLUMN stamp timestamptz DEFAULT app.now(); -- want: adding-field-with-rewrite
ALTER TABLE users ADD COLUMN stamp2 timestamptz DEFAULT pg_catalog.now(); -- want: none
-- New and small tables rewrite in no time.
CREATE TABLE pets (id bigint PRIMARY KEY);
ALTER TABLE pets ADD COLUMN tag uuid DEFAULT gen_random_uuid(); -- want: none
ALTER TABLE feature_flags ADD COLUMN tag uuid DEFAULT gen_random_uuid(); -- want: none

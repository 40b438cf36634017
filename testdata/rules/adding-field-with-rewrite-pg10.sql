-- config: pg_version = 10
SET lock_timeout = '5s';
-- Before PostgreSQL 11 any non-NULL default rewrites the table.
ALTER TABLE users ADD COLUMN active boolean NOT NULL DEFAULT true; -- want: adding-field-with-rewrite
ALTER TABLE users ADD COLUMN plan text DEFAULT 'free'; -- want: adding-field-with-rewrite
ALTER TABLE users ADD COLUMN created_at timestamptz DEFAULT now(); -- want: adding-field-with-rewrite
ALTER TABLE users ADD COLUMN note text DEFAULT NULL; -- want: none
ALTER TABLE users ADD COLUMN nickname text; -- want: none

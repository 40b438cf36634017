-- config: pg_version = 14
SET lock_timeout = '5s';
-- Before PostgreSQL 15 timezone() (AT TIME ZONE) has a volatile overload: whether the
-- table is rewritten depends on the argument's type, a FLAG to verify.
ALTER TABLE users ADD COLUMN created_utc timestamp DEFAULT (now() AT TIME ZONE 'utc'); -- want: adding-field-with-rewrite
ALTER TABLE users ADD COLUMN requested_at timestamptz DEFAULT statement_timestamp(); -- want: none

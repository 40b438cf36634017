-- config: [rules]
-- config: enable = ["prefer-robust-stmts"]
-- psql -f: no transaction, a failure leaves earlier statements applied.
CREATE TABLE tags (id bigint PRIMARY KEY); -- want: prefer-robust-stmts
CREATE TABLE IF NOT EXISTS labels (id bigint PRIMARY KEY); -- want: none
CREATE INDEX CONCURRENTLY users_email_idx ON users (email); -- want: prefer-robust-stmts
CREATE INDEX CONCURRENTLY IF NOT EXISTS users_name_idx ON users (name); -- want: none
DROP INDEX CONCURRENTLY IF EXISTS users_old_idx; -- want: dropping-index
ALTER TABLE users ADD COLUMN IF NOT EXISTS bio text; -- want: none
ALTER TABLE users ADD COLUMN nickname text; -- want: prefer-robust-stmts
-- Inside a transaction a failure rolls everything back: re-running is clean.
BEGIN;
CREATE TABLE notes (id bigint PRIMARY KEY); -- want: none
COMMIT;

-- New tables and non-blocking locks need no timeout.
CREATE TABLE audit (id bigint PRIMARY KEY); -- want: none
ALTER TABLE audit ADD COLUMN note text; -- want: none
CREATE INDEX CONCURRENTLY users_email_idx ON users (email); -- want: none
-- The first lock that blocks traffic on an existing table.
ALTER TABLE users ADD COLUMN nickname text; -- want: require-lock-timeout
-- Reported once per file.
ALTER TABLE users ADD COLUMN bio text; -- want: none

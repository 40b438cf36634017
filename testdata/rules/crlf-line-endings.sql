SET lock_timeout = '5s';
-- A file with CRLF line endings.
-- want: require-concurrent-index-creation
CREATE INDEX users_email_idx
  ON users (email);
ALTER TABLE users ALTER COLUMN id TYPE bigint; -- want: changing-column-type
ALTER TABLE users ADD COLUMN nickname text; -- want: none

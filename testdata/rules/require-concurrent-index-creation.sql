SET lock_timeout = '5s';
-- An index on an existing table blocks writes while it builds.
-- want: require-concurrent-index-creation
CREATE INDEX users_email_idx ON users (email);

CREATE UNIQUE INDEX users_name_idx ON users (name); -- want: require-concurrent-index-creation

-- Concurrent builds are the safe pattern (this file is plain psql: no transaction).
CREATE INDEX CONCURRENTLY users_created_idx ON users (created_at); -- want: none

-- A table created earlier in the same migration is empty.
CREATE TABLE audit (id bigint PRIMARY KEY, user_id bigint);
CREATE INDEX audit_user_idx ON audit (user_id); -- want: none

-- ON ONLY a partitioned parent builds nothing: the first step of the partitioned pattern.
CREATE INDEX events_at_idx ON ONLY events (at); -- want: none

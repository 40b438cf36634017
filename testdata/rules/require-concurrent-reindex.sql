-- config: [tables]
-- config: feature_flags = 40
SET lock_timeout = '5s';
REINDEX INDEX users_email_idx; -- want: require-concurrent-reindex
REINDEX TABLE users; -- want: require-concurrent-reindex
REINDEX INDEX CONCURRENTLY users_email_idx; -- want: none
REINDEX TABLE CONCURRENTLY users; -- want: none
-- A small table rebuilds in milliseconds.
REINDEX TABLE feature_flags; -- want: none
-- A table and index created in this file are empty.
CREATE TABLE audit (id bigint PRIMARY KEY, user_id bigint);
CREATE INDEX audit_user_idx ON audit (user_id);
REINDEX INDEX audit_user_idx; -- want: none
REINDEX TABLE audit; -- want: none

-- config: pg_version = 11
SET lock_timeout = '5s';
-- Before 12 there is no REINDEX CONCURRENTLY: the message says to build a replacement.
REINDEX INDEX users_email_idx; -- want: require-concurrent-reindex
-- ... and using it fails.
REINDEX INDEX CONCURRENTLY users_email_idx; -- want: unsupported-on-version

-- config: pg_version = 11
SET lock_timeout = '5s';
REINDEX TABLE CONCURRENTLY users; -- want: unsupported-on-version

-- config: pg_version = 13
SET lock_timeout = '5s';
REINDEX TABLE CONCURRENTLY users; -- want: none
-- DETACH PARTITION CONCURRENTLY arrived in PostgreSQL 14.
ALTER TABLE events DETACH PARTITION events_2023 CONCURRENTLY; -- want: unsupported-on-version
-- Without the concurrent form there is nothing better to suggest before 14.
ALTER TABLE events DETACH PARTITION events_2022; -- want: none

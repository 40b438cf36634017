-- config: pg_version = 13
SET lock_timeout = '5s';
-- No concurrent form before PostgreSQL 14: no finding.
ALTER TABLE events DETACH PARTITION events_2024; -- want: none

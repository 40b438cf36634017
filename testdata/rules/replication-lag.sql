-- config: replication_lag_seconds = 60
-- config: [tables]
-- config: events = "500M"
-- config: users = "1M"
SET lock_timeout = '5s';
CREATE INDEX CONCURRENTLY events_at_idx ON events (at); -- want: replication-lag
-- 1M rows index in seconds.
CREATE INDEX CONCURRENTLY users_at_idx ON users (at); -- want: none
-- Whole-table backfills.
UPDATE events SET flag = false; -- want: replication-lag, unbatched-backfill
UPDATE events SET flag = false WHERE flag IS NULL; -- want: replication-lag, unbatched-backfill
-- A keyed update touches few rows.
UPDATE events SET flag = true WHERE id = 42; -- want: none
-- Unknown size: no estimate, no finding.
CREATE INDEX CONCURRENTLY orders_idx ON orders (x); -- want: none
-- A validation scan writes no WAL.
ALTER TABLE events VALIDATE CONSTRAINT events_flag_check; -- want: none
-- A rewrite is also a lock-contention finding.
ALTER TABLE events ALTER COLUMN id TYPE bigint; -- want: changing-column-type, replication-lag

SET lock_timeout = '5s';
ALTER TABLE events DETACH PARTITION events_2024; -- want: require-concurrent-detach-partition
ALTER TABLE events DETACH PARTITION events_2023 CONCURRENTLY; -- want: none
-- A partitioned table created in this file has no traffic yet.
CREATE TABLE logs (id bigint, at date NOT NULL) PARTITION BY RANGE (at);
CREATE TABLE logs_2024 PARTITION OF logs FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
ALTER TABLE logs DETACH PARTITION logs_2024; -- want: none

-- config: [tables]
-- config: flag_counts = 200
SET lock_timeout = '5s';
REFRESH MATERIALIZED VIEW daily_totals; -- want: require-concurrent-refresh
REFRESH MATERIALIZED VIEW CONCURRENTLY daily_totals; -- want: none
-- A small view refreshes in milliseconds.
REFRESH MATERIALIZED VIEW flag_counts; -- want: none
-- A view created in this file: its first refresh cannot be concurrent, and nobody reads it yet.
CREATE MATERIALIZED VIEW weekly_totals AS SELECT 1 AS week WITH NO DATA;
REFRESH MATERIALIZED VIEW weekly_totals; -- want: none

SET lock_timeout = '5s';
CREATE TABLE orders (id bigint PRIMARY KEY, day date, total numeric);
CREATE MATERIALIZED VIEW daily_totals AS SELECT day, sum(total) AS total FROM orders GROUP BY day;
-- PostgreSQL 15: "cannot refresh materialized view "public.daily_totals" concurrently".
REFRESH MATERIALIZED VIEW CONCURRENTLY daily_totals; -- want: concurrent-refresh-precondition
-- Neither a partial nor an expression index will do.
CREATE UNIQUE INDEX daily_totals_recent ON daily_totals (day) WHERE day > '2024-01-01';
CREATE UNIQUE INDEX daily_totals_expr ON daily_totals ((day + 1));
REFRESH MATERIALIZED VIEW CONCURRENTLY daily_totals; -- want: concurrent-refresh-precondition
CREATE UNIQUE INDEX daily_totals_day ON daily_totals (day);
REFRESH MATERIALIZED VIEW CONCURRENTLY daily_totals; -- want: none
-- "CONCURRENTLY cannot be used when the materialized view is not populated".
CREATE MATERIALIZED VIEW weekly_totals AS SELECT day, sum(total) AS total FROM orders GROUP BY day WITH NO DATA;
CREATE UNIQUE INDEX weekly_totals_day ON weekly_totals (day);
REFRESH MATERIALIZED VIEW CONCURRENTLY weekly_totals; -- want: concurrent-refresh-precondition
REFRESH MATERIALIZED VIEW weekly_totals;
REFRESH MATERIALIZED VIEW CONCURRENTLY weekly_totals; -- want: none
-- A view the migrations do not show may have its index.
REFRESH MATERIALIZED VIEW CONCURRENTLY monthly_totals; -- want: none

SET lock_timeout = '5s';
-- CREATE OR REPLACE VIEW opens the deployed view ACCESS EXCLUSIVE before it swaps its
-- query (checked on PostgreSQL 10 to 18): every query reading order_totals waits.
CREATE OR REPLACE VIEW order_totals AS SELECT id, total, status FROM orders; -- want: none

CREATE VIEW recent_orders AS SELECT * FROM orders; -- want: none
DROP VIEW recent_orders; -- want: none
-- DROP VIEW takes ACCESS EXCLUSIVE on the view: every query reading it queues behind
-- it (checked on PostgreSQL 10 to 18).
DROP VIEW IF EXISTS order_totals; -- want: require-lock-timeout

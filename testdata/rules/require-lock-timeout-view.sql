CREATE VIEW recent_orders AS SELECT * FROM orders; -- want: none
DROP VIEW recent_orders; -- want: none
-- DROP VIEW takes ACCESS EXCLUSIVE on the view: every query reading it queues behind
-- it (checked on PostgreSQL 10 to 18).
DROP VIEW IF EXISTS order_totals; -- want: require-lock-timeout
-- CREATE OR REPLACE VIEW takes ACCESS EXCLUSIVE on the view it replaces (see
-- testdata/projects/views); replacing one made in this file does not matter, nobody
-- reads it yet.
CREATE VIEW draft_orders AS SELECT * FROM orders; -- want: none
CREATE OR REPLACE VIEW draft_orders AS SELECT id FROM orders; -- want: none

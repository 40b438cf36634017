-- migsafe:pending contract phase of ../../0003_rename_orders.up.sql, written by `migsafe fix`.
-- No runner reads this directory. Run it only after: every deployed version of the application uses purchases instead of orders.
-- Then make it the next migration: `migsafe fix --promote --write` this file (or the editor's code action).
-- migsafe:after ../../0003_rename_orders.up.sql
-- migsafe:runner golang-migrate
-- migsafe:name drop_view_orders
-- migsafe:wait every deployed version of the application uses purchases instead of orders
-- migsafe:brief
-- migsafe:up
DROP VIEW orders;
-- migsafe:down
CREATE VIEW orders AS SELECT * FROM purchases;

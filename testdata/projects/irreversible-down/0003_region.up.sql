-- The down's CASCADE also drops big_orders, a view 0001 made (this up only replaced it).
-- want-file: irreversible-down-migration
ALTER TABLE orders ADD COLUMN region text;
CREATE OR REPLACE VIEW big_orders AS SELECT id, region FROM orders WHERE total > 100;

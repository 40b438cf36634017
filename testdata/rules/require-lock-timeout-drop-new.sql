-- A scratch table made and dropped in the migration: the DROP locks only it, and no
-- one else can be using it. (Before, the DROP's lock on the tables its foreign keys
-- reference, unnamed, was taken for a lock on an existing table.)
BEGIN;
CREATE TEMP TABLE order_ids AS SELECT id FROM orders WHERE id < 10; -- want: none
DROP TABLE order_ids; -- want: none
-- Nor does its lock, held to COMMIT, make later work an outage.
UPDATE orders SET flag = true WHERE flag IS NULL; -- want: unbatched-backfill
COMMIT;
-- The first lock on an existing table is the one reported.
ALTER TABLE orders ADD COLUMN note text; -- want: require-lock-timeout

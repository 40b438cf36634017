ALTER TABLE orders ADD COLUMN status text;
UPDATE orders SET status = 'open'; -- fix: unbatched-backfill

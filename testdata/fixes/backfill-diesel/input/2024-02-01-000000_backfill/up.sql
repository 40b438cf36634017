UPDATE orders SET currency = 'EUR' WHERE currency IS NULL; -- fix: unbatched-backfill

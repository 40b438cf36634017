-- An ordinary migration runs in Flyway's transaction.
SET lock_timeout = '5s';
ALTER TABLE orders ADD COLUMN note text;
UPDATE orders SET note = ''; -- want: statements-after-access-exclusive, mixed-schema-and-data-change, unbatched-backfill

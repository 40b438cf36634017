-- A multi-statement golang-migrate file is one implicit transaction: the lock the
-- ALTER takes is held through the backfill.
SET lock_timeout = '5s';
ALTER TABLE users ADD COLUMN tier text;
UPDATE users SET tier = 'free'; -- want: statements-after-access-exclusive, mixed-schema-and-data-change, unbatched-backfill

-- config: [tables]
-- config: feature_flags = 40
SET lock_timeout = '5s';
BEGIN;
ALTER TABLE users ADD COLUMN tier text;
-- A backfill of a small table is quick.
UPDATE feature_flags SET enabled = false; -- want: none
COMMIT;

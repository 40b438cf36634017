-- config: pg_version = 11
BEGIN;
ALTER TYPE mood ADD VALUE 'meh'; -- want: concurrently-in-transaction
COMMIT;

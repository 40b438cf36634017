BEGIN;
SET LOCAL lock_timeout = '5s';
ALTER TABLE users ADD COLUMN nickname text; -- want: none
COMMIT;
-- SET LOCAL ended with its transaction.
ALTER TABLE users ADD COLUMN bio text; -- want: require-lock-timeout

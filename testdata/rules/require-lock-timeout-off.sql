SET lock_timeout = '5s';
ALTER TABLE users ADD COLUMN nickname text; -- want: none
-- 0 means no timeout.
SET lock_timeout = 0;
ALTER TABLE users ADD COLUMN bio text; -- want: require-lock-timeout

-- V4__conf.sql.conf turns Flyway's transaction off for this script.
SET lock_timeout = '5s';
ALTER TABLE orders ADD COLUMN note text;
REINDEX INDEX CONCURRENTLY orders_user_idx; -- want: none

SET lock_timeout = '5s';
BEGIN;
CREATE INDEX CONCURRENTLY orders_user_idx ON orders (user_id); -- want: concurrently-in-transaction
COMMIT;
CREATE INDEX CONCURRENTLY orders_item_idx ON orders (item_id); -- want: none
BEGIN;
VACUUM orders; -- want: concurrently-in-transaction
DROP INDEX CONCURRENTLY orders_old_idx; -- want: concurrently-in-transaction, dropping-index
COMMIT;
-- From PostgreSQL 12 ALTER TYPE ... ADD VALUE runs in a transaction.
BEGIN;
ALTER TYPE mood ADD VALUE 'meh'; -- want: none
COMMIT;

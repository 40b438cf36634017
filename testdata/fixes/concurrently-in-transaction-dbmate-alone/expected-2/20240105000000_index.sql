-- migrate:up
-- migsafe: CREATE INDEX CONCURRENTLY runs in the next migration, outside a transaction. -- fix: concurrently-in-transaction

-- migrate:down
DROP INDEX CONCURRENTLY IF EXISTS orders_user_idx;

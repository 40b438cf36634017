-- migrate:up transaction:false
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_user_idx ON orders (user_id); -- fix: concurrently-in-transaction

-- migrate:down
DROP INDEX CONCURRENTLY IF EXISTS orders_user_idx;

-- migrate:up transaction:false
CREATE INDEX CONCURRENTLY orders_user_idx ON orders (user_id);

-- migrate:down transaction:false
DROP INDEX CONCURRENTLY IF EXISTS orders_user_idx;

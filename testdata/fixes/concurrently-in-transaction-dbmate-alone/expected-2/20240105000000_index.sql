-- migrate:up

-- migrate:down
DROP INDEX CONCURRENTLY IF EXISTS orders_user_idx;

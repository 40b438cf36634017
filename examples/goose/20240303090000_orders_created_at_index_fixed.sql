-- +goose NO TRANSACTION
-- +goose Up
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_created_at_idx ON orders (created_at);

-- +goose Down
DROP INDEX CONCURRENTLY IF EXISTS orders_created_at_idx;

-- +goose Up
-- goose wraps each migration in a transaction by default.
CREATE INDEX CONCURRENTLY orders_user_idx ON orders (user_id); -- want: concurrently-in-transaction

-- +goose Down
DROP INDEX orders_user_idx;

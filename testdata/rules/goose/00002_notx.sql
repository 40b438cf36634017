-- +goose NO TRANSACTION
-- +goose Up
CREATE INDEX CONCURRENTLY orders_user_idx ON orders (user_id); -- want: none

-- +goose Down
DROP INDEX CONCURRENTLY orders_user_idx;

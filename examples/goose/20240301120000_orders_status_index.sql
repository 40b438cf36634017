-- +goose Up
CREATE INDEX orders_status_idx ON orders (status);

-- +goose Down
DROP INDEX orders_status_idx;

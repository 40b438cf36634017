-- +goose NO TRANSACTION
-- +goose Up
CREATE UNIQUE INDEX CONCURRENTLY events_pkey ON events (id);

-- +goose Down
DROP INDEX CONCURRENTLY IF EXISTS events_pkey;

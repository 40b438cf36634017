-- +goose NO TRANSACTION
-- +goose Up
-- If the build fails it leaves the INVALID index events_pkey: DROP INDEX CONCURRENTLY IF EXISTS events_pkey; then run this again.
CREATE UNIQUE INDEX CONCURRENTLY events_pkey ON events (id);

-- +goose Down
DROP INDEX CONCURRENTLY IF EXISTS events_pkey;

-- +goose Up
-- migsafe: CREATE INDEX CONCURRENTLY runs in the next migration, outside a transaction. -- fix: require-concurrent-index-creation

-- +goose Down
DROP INDEX IF EXISTS users_email_idx;

-- +goose Up
CREATE INDEX users_email_idx ON users (email); -- fix: require-concurrent-index-creation

-- +goose Down
DROP INDEX users_email_idx;

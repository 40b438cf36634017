-- +goose Up
    SET LOCAL lock_timeout = '5s';
    SET LOCAL statement_timeout = '15s';
    ALTER TABLE users ADD COLUMN phone text; -- fix: require-lock-timeout

-- +goose Down
ALTER TABLE users DROP COLUMN phone;

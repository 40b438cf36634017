-- +goose Up
    SET lock_timeout = '5s';
    ALTER TABLE users ADD COLUMN phone text; -- fix: require-lock-timeout

-- +goose Down
ALTER TABLE users DROP COLUMN phone;

-- +goose Up
    ALTER TABLE users ADD COLUMN phone text; -- fix: require-lock-timeout

-- +goose Down
ALTER TABLE users DROP COLUMN phone;

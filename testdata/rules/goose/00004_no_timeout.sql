-- +goose Up
ALTER TABLE users ADD COLUMN nickname text; -- want: require-lock-timeout

-- +goose Down
ALTER TABLE users DROP COLUMN nickname;

-- +goose Up
-- goose's transaction: SET LOCAL lock_timeout holds for the whole migration.
SET LOCAL lock_timeout = '5s';
ALTER TABLE users ADD COLUMN nickname text; -- want: none

-- +goose Down
ALTER TABLE users DROP COLUMN nickname;

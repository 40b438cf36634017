-- +goose Up
ALTER TABLE users ADD COLUMN bio text;

-- want-file: empty-down-migration
-- +goose Down

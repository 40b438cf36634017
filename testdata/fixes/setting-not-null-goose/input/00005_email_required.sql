-- +goose Up
UPDATE settings SET value = 'x' WHERE id = 1;
ALTER TABLE users ALTER COLUMN email SET NOT NULL; -- fix: setting-not-null

-- +goose Down
ALTER TABLE users ALTER COLUMN email DROP NOT NULL;

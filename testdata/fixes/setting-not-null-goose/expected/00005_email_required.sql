-- +goose Up
UPDATE settings SET value = 'x' WHERE id = 1;
ALTER TABLE users ADD CONSTRAINT users_email_not_null CHECK (email IS NOT NULL) NOT VALID; -- fix: setting-not-null

-- +goose Down
ALTER TABLE users DROP CONSTRAINT IF EXISTS users_email_not_null;

-- +goose Up
UPDATE settings SET value = 'x' WHERE id = 1;
ALTER TABLE users ADD CONSTRAINT users_email_not_null CHECK (email IS NOT NULL) NOT VALID;
ALTER TABLE users VALIDATE CONSTRAINT users_email_not_null;
ALTER TABLE users ALTER COLUMN email SET NOT NULL; -- fix: setting-not-null
ALTER TABLE users DROP CONSTRAINT users_email_not_null;

-- +goose Down
ALTER TABLE users ALTER COLUMN email DROP NOT NULL;

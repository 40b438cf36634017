-- +goose Up
ALTER TABLE users VALIDATE CONSTRAINT users_email_not_null;
ALTER TABLE users ALTER COLUMN email SET NOT NULL;
ALTER TABLE users DROP CONSTRAINT users_email_not_null;

-- +goose Down
ALTER TABLE users ALTER COLUMN email DROP NOT NULL;

-- +goose NO TRANSACTION
-- +goose Up
CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users (email);
ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key DEFERRABLE INITIALLY DEFERRED; -- fix: adding-unique-constraint

-- +goose Down
ALTER TABLE users DROP CONSTRAINT users_email_key;

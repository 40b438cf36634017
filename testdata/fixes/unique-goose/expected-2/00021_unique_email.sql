-- +goose Up
-- migsafe: the constraint is built in the phases that follow this migration. -- fix: adding-unique-constraint

-- +goose Down
ALTER TABLE users DROP CONSTRAINT IF EXISTS users_email_key;

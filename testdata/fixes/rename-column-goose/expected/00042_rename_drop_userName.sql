-- +goose Up
SET lock_timeout = '5s';
-- Contract: run only once every deployed version reads and writes user_name.
DROP TRIGGER "accounts_userName_to_user_name_sync" ON app.accounts;
DROP FUNCTION app."accounts_userName_to_user_name_sync"();
ALTER TABLE app.accounts DROP COLUMN "userName";

-- +goose Down
-- Dropping "userName" lost its data: re-add it and backfill it from user_name to undo.

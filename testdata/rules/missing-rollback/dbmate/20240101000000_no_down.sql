-- migrate:up
-- want-file: missing-down-migration
ALTER TABLE users ADD COLUMN nickname text;

-- +goose Up
-- +goose NO TRANSACTION
ALTER TABLE meters RENAME COLUMN slug TO key; -- fix: renaming-column
ALTER TABLE meters ADD COLUMN name text;
UPDATE meters SET name = key;

-- +goose Down
ALTER TABLE meters DROP COLUMN name;
ALTER TABLE meters RENAME COLUMN key TO slug;

-- +goose Up
ALTER TABLE users ALTER COLUMN age TYPE bigint; -- fix: changing-column-type

-- +goose Down
ALTER TABLE users ALTER COLUMN age TYPE integer;

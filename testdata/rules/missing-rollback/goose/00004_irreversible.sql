-- +goose Up
CREATE TABLE tags (id bigint PRIMARY KEY);

-- +goose Down
DROP TABLE tags;
-- want-file: irreversible-down-migration
ALTER TABLE users DROP COLUMN nickname;

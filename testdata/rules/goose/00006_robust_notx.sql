-- config: [rules]
-- config: enable = ["prefer-robust-stmts"]
-- +goose NO TRANSACTION
-- +goose Up
CREATE INDEX CONCURRENTLY tags_name_idx ON tags (name); -- want: prefer-robust-stmts

-- +goose Down
DROP INDEX CONCURRENTLY IF EXISTS tags_name_idx;

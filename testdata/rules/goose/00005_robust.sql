-- config: [rules]
-- config: enable = ["prefer-robust-stmts"]
-- +goose Up
-- goose's transaction rolls a failed migration back: re-running is clean.
CREATE TABLE tags (id bigint PRIMARY KEY); -- want: none

-- +goose Down
DROP TABLE tags;

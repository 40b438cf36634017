-- +goose Up
CREATE TABLE tags (id bigint PRIMARY KEY); -- want: none

-- +goose Down
DROP TABLE tags;

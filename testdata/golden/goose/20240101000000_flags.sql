-- +goose Up
CREATE TABLE feature_flags (id bigint PRIMARY KEY, name text NOT NULL);
CREATE INDEX feature_flags_name_idx ON feature_flags (name);

-- +goose Down
DROP TABLE feature_flags;

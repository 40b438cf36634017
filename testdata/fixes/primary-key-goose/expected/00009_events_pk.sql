-- +goose Up
ALTER TABLE events ALTER COLUMN id SET DEFAULT 0;

-- +goose Down
ALTER TABLE events DROP CONSTRAINT IF EXISTS events_pkey;

-- +goose Up
SET lock_timeout = '5s';
ALTER TABLE events ADD CONSTRAINT events_pkey PRIMARY KEY USING INDEX events_pkey;

-- +goose Down
ALTER TABLE events DROP CONSTRAINT IF EXISTS events_pkey;

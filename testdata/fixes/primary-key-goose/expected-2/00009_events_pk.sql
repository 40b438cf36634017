-- +goose Up
ALTER TABLE events ALTER COLUMN id SET DEFAULT 0;
CREATE UNIQUE INDEX CONCURRENTLY events_pkey ON events (id);
ALTER TABLE events ADD CONSTRAINT events_pkey PRIMARY KEY USING INDEX events_pkey; -- fix: adding-unique-constraint

-- +goose Down
ALTER TABLE events DROP CONSTRAINT events_pkey;

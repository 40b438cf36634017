-- +goose Up
ALTER TABLE events ALTER COLUMN id SET DEFAULT 0;
ALTER TABLE events ADD PRIMARY KEY (id); -- fix: adding-unique-constraint

-- +goose Down
ALTER TABLE events DROP CONSTRAINT events_pkey;

-- +goose Up
SET LOCAL lock_timeout = '5s';
ALTER TABLE events VALIDATE CONSTRAINT events_id_not_null;
ALTER TABLE events ALTER COLUMN id SET NOT NULL;
ALTER TABLE events DROP CONSTRAINT events_id_not_null;

-- +goose Down
SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '15s';
ALTER TABLE events ALTER COLUMN id DROP NOT NULL;
ALTER TABLE events ADD CONSTRAINT events_id_not_null CHECK (id IS NOT NULL) NOT VALID;

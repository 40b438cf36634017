SET TimeZone = 'UTC';
-- In a UTC session, PostgreSQL 12+ converts timestamptz back to timestamp in place.
ALTER TABLE accounts ALTER COLUMN seen TYPE timestamp; -- want: none

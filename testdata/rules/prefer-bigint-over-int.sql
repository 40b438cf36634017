-- config: [rules]
-- config: enable = ["prefer-bigint-over-int"]
CREATE TABLE events (id serial PRIMARY KEY, count integer, big bigint); -- want: prefer-bigint-over-int, prefer-bigint-over-int
ALTER TABLE events ADD COLUMN retries smallint; -- want: prefer-bigint-over-int
ALTER TABLE events ADD COLUMN total bigint; -- want: none
-- A type change is not a new column.
ALTER TABLE events ALTER COLUMN big TYPE numeric; -- want: none

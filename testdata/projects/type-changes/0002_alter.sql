-- Widenings keep the data in place: the old types come from 0001.
ALTER TABLE accounts ALTER COLUMN name TYPE varchar(200); -- want: none
ALTER TABLE accounts ALTER COLUMN code TYPE text; -- want: none
ALTER TABLE accounts ALTER COLUMN amount TYPE numeric(12, 2); -- want: none
ALTER TABLE accounts ALTER COLUMN label TYPE varchar; -- want: none
-- Narrowing: fails on longer values, after rewriting.
ALTER TABLE accounts ALTER COLUMN note TYPE varchar(10); -- want: changing-column-type, narrowing-type-change
-- Rewriting: integer to bigint.
ALTER TABLE accounts ALTER COLUMN id TYPE bigint; -- want: changing-column-type
-- Depends on the session: in place only when TimeZone is UTC (Verify:).
ALTER TABLE accounts ALTER COLUMN seen TYPE timestamptz; -- want: changing-column-type

-- Column types established earlier in the file (ADD COLUMN) on an existing table.
ALTER TABLE events ADD COLUMN big bigint, ADD COLUMN name varchar(50), ADD COLUMN note text,
  ADD COLUMN price numeric(10,2), ADD COLUMN at timestamptz, ADD COLUMN score float8, ADD COLUMN code varchar(10);
ALTER TABLE events ALTER COLUMN big TYPE integer; -- want: narrowing-type-change, changing-column-type
ALTER TABLE events ALTER COLUMN name TYPE varchar(10); -- want: narrowing-type-change, changing-column-type
ALTER TABLE events ALTER COLUMN note TYPE varchar(200); -- want: narrowing-type-change, changing-column-type
ALTER TABLE events ALTER COLUMN price TYPE numeric(8,2); -- want: narrowing-type-change, changing-column-type
ALTER TABLE events ALTER COLUMN at TYPE date; -- want: narrowing-type-change, changing-column-type
ALTER TABLE events ALTER COLUMN score TYPE real; -- want: narrowing-type-change, changing-column-type
-- Widening is safe.
ALTER TABLE events ALTER COLUMN code TYPE varchar(20); -- want: none
-- The same type with a new collation narrows nothing (the index rebuild it causes is
-- changing-column-type's).
ALTER TABLE events ALTER COLUMN code TYPE varchar(20) COLLATE "C"; -- want: changing-column-type
-- A narrower type with a collation still narrows.
ALTER TABLE events ALTER COLUMN code TYPE varchar(5) COLLATE "C"; -- want: narrowing-type-change, changing-column-type
ALTER TABLE events ALTER COLUMN big TYPE numeric; -- want: changing-column-type
-- Current type unknown: a narrow target is a Verify.
ALTER TABLE users ALTER COLUMN age TYPE smallint; -- want: narrowing-type-change, changing-column-type
ALTER TABLE users ALTER COLUMN bio TYPE text; -- want: changing-column-type
ALTER TABLE users ALTER COLUMN id TYPE bigint; -- want: changing-column-type

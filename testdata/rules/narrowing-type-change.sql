-- Types known from this file.
CREATE TABLE t (id bigint, name varchar(50), note text, price numeric(10,2), at timestamptz, score float8, n int);
-- The table is new: nothing to lose yet.
ALTER TABLE t ALTER COLUMN id TYPE integer; -- want: none

-- config: [tables]
-- config: feature_flags = 40
SET lock_timeout = '5s';
ALTER TABLE orders ALTER COLUMN id TYPE bigint; -- want: changing-column-type
ALTER TABLE orders ALTER COLUMN created SET DATA TYPE timestamptz; -- want: changing-column-type
-- The old type is unknown, and the target could be a widening: FLAG with Verify.
ALTER TABLE orders ALTER COLUMN note TYPE varchar(500); -- want: changing-column-type, narrowing-type-change
ALTER TABLE orders ALTER COLUMN summary TYPE text; -- want: changing-column-type
-- note is varchar(500) since the statement above: widening it to text keeps the data.
ALTER TABLE orders ALTER COLUMN note TYPE text; -- want: none
ALTER TABLE orders ALTER COLUMN amount TYPE numeric(12, 2); -- want: changing-column-type, narrowing-type-change
-- A USING expression rewrites.
ALTER TABLE orders ALTER COLUMN code TYPE text USING trim(code); -- want: changing-column-type
-- Old type known from this file: a binary-coercible widening keeps the data in place.
ALTER TABLE orders ADD COLUMN label varchar(50);
ALTER TABLE orders ALTER COLUMN label TYPE varchar(80); -- want: none
-- USING the column cast to the new type (Django's form) keeps the data in place too
-- (PostgreSQL 15: same relfilenode); a cast to another type does not.
ALTER TABLE orders ALTER COLUMN label TYPE varchar(120) USING "label"::varchar(120); -- want: none
ALTER TABLE orders ALTER COLUMN label TYPE text USING label; -- want: none
ALTER TABLE orders ALTER COLUMN label TYPE text; -- want: none
ALTER TABLE orders ALTER COLUMN label TYPE text USING label::varchar(10)::text; -- want: changing-column-type
-- A fractional-seconds precision raised or dropped, and a longer varbit, keep the data
-- in place (PostgreSQL 10 and 15: same relfilenode); a lower precision rewrites.
ALTER TABLE orders ADD COLUMN placed timestamp(3), ADD COLUMN bits bit varying(5);
ALTER TABLE orders ALTER COLUMN placed TYPE timestamp; -- want: none
ALTER TABLE orders ALTER COLUMN placed TYPE timestamp(2); -- want: changing-column-type
ALTER TABLE orders ALTER COLUMN bits TYPE bit varying(10); -- want: none
ALTER TABLE orders ADD COLUMN qty int;
ALTER TABLE orders ALTER COLUMN qty TYPE bigint; -- want: changing-column-type
-- A new collation on a type that stays (Django's AlterField of db_collation): the data
-- stays in place, the indexes on the column are rebuilt (PostgreSQL 10 to 18: same
-- table relfilenode, the index on the column built again under ACCESS EXCLUSIVE).
ALTER TABLE orders ALTER COLUMN label TYPE text COLLATE "C"; -- want: changing-column-type
CREATE INDEX orders_label_idx ON orders (label); -- want: require-concurrent-index-creation
ALTER TABLE orders ALTER COLUMN label TYPE text COLLATE "natural_sort"; -- want: changing-column-type
-- The collation it has keeps the index (PostgreSQL 15: same relfilenode); no COLLATE
-- resets it to the type's default, which rebuilds the index (Django's reverse).
ALTER TABLE orders ALTER COLUMN label TYPE text COLLATE "natural_sort"; -- want: none
ALTER TABLE orders ALTER COLUMN label TYPE text; -- want: changing-column-type
ALTER TABLE orders ALTER COLUMN label TYPE text COLLATE "default"; -- want: none
-- The old type unknown: a rewrite unless it is a widening, and if it is the same type,
-- still the index rebuild.
ALTER TABLE orders ALTER COLUMN title TYPE varchar(100) COLLATE "C"; -- want: changing-column-type, narrowing-type-change
-- New and small tables.
CREATE TABLE items (id int PRIMARY KEY, name varchar(100));
ALTER TABLE items ALTER COLUMN id TYPE bigint; -- want: none
ALTER TABLE feature_flags ALTER COLUMN id TYPE bigint; -- want: none

-- migrate:up
ALTER TABLE products ALTER COLUMN price TYPE numeric(12,2) USING price / 100.0; -- fix: changing-column-type

-- migrate:down
ALTER TABLE products ALTER COLUMN price TYPE bigint USING (price * 100)::bigint;

-- migrate:up
-- Expand/contract instead of ALTER COLUMN price TYPE numeric(12, 2), which rewrites products under ACCESS EXCLUSIVE:
-- price_new of the new type is added and kept in step by a trigger; the phases that follow fill it and
-- copy price's indexes and NOT NULL; a contract phase swaps the names once the code handles the new type.
-- migsafe:ignore dynamic-sql -- written by migsafe fix: adds price_new with the type of price, read from the catalog when it runs
DO $migsafe$
DECLARE
  tbl constant regclass := 'products'::regclass;
  col_type text;
  col_not_null boolean;
BEGIN
  SELECT format_type(atttypid, atttypmod), attnotnull INTO col_type, col_not_null
    FROM pg_attribute WHERE attrelid = tbl AND attname = 'price' AND NOT attisdropped;
  IF col_type IS NULL THEN
    RAISE EXCEPTION 'column % of % does not exist', 'price', tbl;
  END IF;
  EXECUTE format('ALTER TABLE %s ADD COLUMN %I %s', tbl, 'price_new', 'numeric(12, 2)');
  IF col_not_null THEN
    EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I CHECK (%I IS NOT NULL) NOT VALID', tbl, 'products_price_new_not_null', 'price_new');
  END IF;
END
$migsafe$;
CREATE FUNCTION products_price_to_price_new_sync() RETURNS trigger LANGUAGE plpgsql AS $migsafe$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.price_new IS NULL THEN NEW.price_new := (NEW.price / 100.0); ELSE NEW.price := (NEW.price_new)::bigint; END IF;
  ELSIF NEW.price IS DISTINCT FROM OLD.price THEN
    NEW.price_new := (NEW.price / 100.0);
  ELSIF NEW.price_new IS DISTINCT FROM OLD.price_new THEN
    NEW.price := (NEW.price_new)::bigint;
  ELSIF NEW.price_new IS NULL THEN
    NEW.price_new := (NEW.price / 100.0);
  END IF;
  RETURN NEW;
END
$migsafe$;
CREATE TRIGGER products_price_to_price_new_sync BEFORE INSERT OR UPDATE ON products FOR EACH ROW EXECUTE FUNCTION products_price_to_price_new_sync(); -- fix: changing-column-type

-- migrate:down
DROP TRIGGER IF EXISTS products_price_to_price_new_sync ON products;
DROP FUNCTION IF EXISTS products_price_to_price_new_sync();
ALTER TABLE products DROP COLUMN IF EXISTS price_new;

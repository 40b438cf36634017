-- migsafe:pending contract phase of ../../20240301000000_price_cents.sql, written by `migsafe fix`.
-- No runner reads this directory. Run it only after: every deployed version of the application handles products.price as numeric(12, 2).
-- Then make it the next migration: `migsafe fix --promote --write` this file (or the editor's code action).
-- migsafe:after ../../20240301000000_price_cents.sql
-- migsafe:runner dbmate
-- migsafe:name drop_price
-- migsafe:wait every deployed version of the application handles products.price as numeric(12, 2)
-- migsafe:brief
-- migsafe:up
DO $migsafe$
DECLARE
  tbl constant regclass := 'products'::regclass;
  r record;
  want text;
BEGIN
  FOR r IN SELECT i.indexrelid::regclass AS name, pg_get_indexdef(i.indexrelid) AS def
      FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid
      WHERE i.indrelid = tbl AND a.attname = 'price' AND a.attnum = ANY (i.indkey) LOOP
    want := regexp_replace(substr(r.def, strpos(r.def, ' USING ')), '\m' || 'price' || '\M', 'price_new', 'g');
    IF NOT EXISTS (SELECT FROM pg_index j WHERE j.indrelid = tbl
        AND substr(pg_get_indexdef(j.indexrelid), strpos(pg_get_indexdef(j.indexrelid), ' USING ')) = want) THEN
      RAISE EXCEPTION 'index % is on %, which this phase drops, and no index covers % the same way: create one first (CREATE INDEX CONCURRENTLY ... ON % %)', r.name, 'price', 'price_new', tbl, want;
    END IF;
  END LOOP;
END
$migsafe$;
-- migsafe:ignore dynamic-sql -- written by migsafe fix: gives price_new the default of price, read from the catalog when it runs
DO $migsafe$
DECLARE
  old_default text;
BEGIN
  SELECT pg_get_expr(d.adbin, d.adrelid) INTO old_default FROM pg_attrdef d
    JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
    WHERE d.adrelid = 'products'::regclass AND a.attname = 'price';
  IF old_default IS NOT NULL THEN
    EXECUTE format('ALTER TABLE %s ALTER COLUMN %I SET DEFAULT %s', 'products'::regclass, 'price_new', '(' || old_default || ')::' || 'numeric(12, 2)');
  END IF;
END
$migsafe$;
DROP TRIGGER products_price_to_price_new_sync ON products;
DROP FUNCTION products_price_to_price_new_sync();
ALTER TABLE products DROP COLUMN price;
ALTER TABLE products RENAME COLUMN price_new TO price;
-- migsafe:down
ALTER TABLE products RENAME COLUMN price TO price_new;
ALTER TABLE products ADD COLUMN price bigint;
UPDATE products SET price = (price_new)::bigint;
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
CREATE TRIGGER products_price_to_price_new_sync BEFORE INSERT OR UPDATE ON products FOR EACH ROW EXECUTE FUNCTION products_price_to_price_new_sync();

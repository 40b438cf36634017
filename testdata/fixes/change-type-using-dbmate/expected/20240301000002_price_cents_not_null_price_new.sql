-- migrate:up
SET LOCAL lock_timeout = '5s';
-- The NOT NULL of price, if it had one: validated (no write is blocked), then SET NOT NULL uses the check instead of scanning.
DO $migsafe$
BEGIN
  IF EXISTS (SELECT FROM pg_constraint WHERE conrelid = 'products'::regclass AND conname = 'products_price_new_not_null') THEN
    ALTER TABLE products VALIDATE CONSTRAINT products_price_new_not_null;
    -- migsafe:ignore setting-not-null -- the CHECK (col IS NOT NULL) validated just above, added NOT VALID in the phase before, lets SET NOT NULL skip its scan
    ALTER TABLE products ALTER COLUMN price_new SET NOT NULL;
    ALTER TABLE products DROP CONSTRAINT products_price_new_not_null;
  END IF;
END
$migsafe$;

-- migrate:down
SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '15s';
DO $migsafe$
BEGIN
  IF (SELECT attnotnull FROM pg_attribute WHERE attrelid = 'products'::regclass AND attname = 'price_new') THEN
    ALTER TABLE products ALTER COLUMN price_new DROP NOT NULL;
    ALTER TABLE products ADD CONSTRAINT products_price_new_not_null CHECK (price_new IS NOT NULL) NOT VALID;
  END IF;
END
$migsafe$;

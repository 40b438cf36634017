SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '15s';
DO $migsafe$
BEGIN
  IF (SELECT attnotnull FROM pg_attribute WHERE attrelid = 'meters'::regclass AND attname = 'key') THEN
    ALTER TABLE meters ALTER COLUMN key DROP NOT NULL;
    ALTER TABLE meters ADD CONSTRAINT meters_key_not_null CHECK (key IS NOT NULL) NOT VALID;
  END IF;
END
$migsafe$;

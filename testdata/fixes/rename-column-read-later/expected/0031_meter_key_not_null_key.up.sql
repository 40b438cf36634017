SET LOCAL lock_timeout = '5s';
-- The NOT NULL of slug, if it had one: validated (no write is blocked), then SET NOT NULL uses the check instead of scanning.
DO $migsafe$
BEGIN
  IF EXISTS (SELECT FROM pg_constraint WHERE conrelid = 'meters'::regclass AND conname = 'meters_key_not_null') THEN
    ALTER TABLE meters VALIDATE CONSTRAINT meters_key_not_null;
    -- migsafe:ignore setting-not-null -- the CHECK (col IS NOT NULL) validated just above, added NOT VALID in the phase before, lets SET NOT NULL skip its scan
    ALTER TABLE meters ALTER COLUMN key SET NOT NULL;
    ALTER TABLE meters DROP CONSTRAINT meters_key_not_null;
  END IF;
END
$migsafe$;

SET LOCAL lock_timeout = '5s';
-- The NOT NULL of email, if it had one: validated (no write is blocked), then SET NOT NULL uses the check instead of scanning.
DO $migsafe$
BEGIN
  IF EXISTS (SELECT FROM pg_constraint WHERE conrelid = 'users'::regclass AND conname = 'users_email_address_not_null') THEN
    ALTER TABLE users VALIDATE CONSTRAINT users_email_address_not_null;
    -- migsafe:ignore setting-not-null -- the CHECK (col IS NOT NULL) validated just above, added NOT VALID in the phase before, lets SET NOT NULL skip its scan
    ALTER TABLE users ALTER COLUMN email_address SET NOT NULL;
    ALTER TABLE users DROP CONSTRAINT users_email_address_not_null;
  END IF;
END
$migsafe$;

SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '15s';
DO $migsafe$
BEGIN
  IF (SELECT attnotnull FROM pg_attribute WHERE attrelid = 'users'::regclass AND attname = 'email_address') THEN
    ALTER TABLE users ALTER COLUMN email_address DROP NOT NULL;
    ALTER TABLE users ADD CONSTRAINT users_email_address_not_null CHECK (email_address IS NOT NULL) NOT VALID;
  END IF;
END
$migsafe$;

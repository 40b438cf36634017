-- Expand/contract instead of RENAME COLUMN email TO email_address: code still running during the deploy keeps
-- working. 1) add email_address with email's type (copy its NOT NULL, default, indexes and constraints
-- yourself), kept in step by a trigger; 2) backfill (next migration); 3) deploy code that
-- reads and writes email_address; 4) drop email (last migration).
DO $migsafe$
BEGIN
  EXECUTE format('ALTER TABLE %s ADD COLUMN %I %s', 'users'::regclass, 'email_address',
    (SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'users'::regclass AND attname = 'email'));
END
$migsafe$;
CREATE FUNCTION users_email_to_email_address_sync() RETURNS trigger LANGUAGE plpgsql AS $migsafe$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.email_address IS NULL THEN NEW.email_address := NEW.email; ELSE NEW.email := NEW.email_address; END IF;
  ELSIF NEW.email IS DISTINCT FROM OLD.email THEN
    NEW.email_address := NEW.email;
  ELSE
    NEW.email := NEW.email_address;
  END IF;
  RETURN NEW;
END
$migsafe$;
CREATE TRIGGER users_email_to_email_address_sync BEFORE INSERT OR UPDATE ON users FOR EACH ROW EXECUTE FUNCTION users_email_to_email_address_sync(); -- fix: renaming-column

-- Expand/contract instead of RENAME COLUMN email TO email_address: code still running during the deploy keeps
-- working. email_address is added and kept in step with email by a trigger; the phases that follow fill it,
-- copy email's indexes and NOT NULL; email is dropped once no deployed code uses it (.migsafe/pending).
-- migsafe:ignore dynamic-sql -- written by migsafe fix: adds email_address with the type of email, read from the catalog when it runs
DO $migsafe$
DECLARE
  tbl constant regclass := 'users'::regclass;
  col_type text;
  col_not_null boolean;
BEGIN
  SELECT format_type(atttypid, atttypmod), attnotnull INTO col_type, col_not_null
    FROM pg_attribute WHERE attrelid = tbl AND attname = 'email' AND NOT attisdropped;
  IF col_type IS NULL THEN
    RAISE EXCEPTION 'column % of % does not exist', 'email', tbl;
  END IF;
  EXECUTE format('ALTER TABLE %s ADD COLUMN %I %s', tbl, 'email_address', col_type);
  IF col_not_null THEN
    EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I CHECK (%I IS NOT NULL) NOT VALID', tbl, 'users_email_address_not_null', 'email_address');
  END IF;
END
$migsafe$;
CREATE FUNCTION users_email_to_email_address_sync() RETURNS trigger LANGUAGE plpgsql AS $migsafe$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.email_address IS NULL THEN NEW.email_address := NEW.email; ELSE NEW.email := NEW.email_address; END IF;
  ELSIF NEW.email IS DISTINCT FROM OLD.email THEN
    NEW.email_address := NEW.email;
  ELSIF NEW.email_address IS DISTINCT FROM OLD.email_address THEN
    NEW.email := NEW.email_address;
  ELSIF NEW.email_address IS NULL THEN
    NEW.email_address := NEW.email;
  END IF;
  RETURN NEW;
END
$migsafe$;
CREATE TRIGGER users_email_to_email_address_sync BEFORE INSERT OR UPDATE ON users FOR EACH ROW EXECUTE FUNCTION users_email_to_email_address_sync(); -- fix: renaming-column

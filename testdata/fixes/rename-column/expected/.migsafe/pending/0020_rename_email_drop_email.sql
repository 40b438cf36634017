-- migsafe:pending contract phase of ../../0020_rename_email.up.sql, written by `migsafe fix`.
-- No runner reads this directory. Run it only after: every deployed version of the application reads and writes users.email_address instead of email.
-- Then make it the next migration: `migsafe fix --promote --write` this file (or the editor's code action).
-- migsafe:after ../../0020_rename_email.up.sql
-- migsafe:runner golang-migrate
-- migsafe:name drop_email
-- migsafe:wait every deployed version of the application reads and writes users.email_address instead of email
-- migsafe:brief
-- migsafe:up
DO $migsafe$
DECLARE
  tbl constant regclass := 'users'::regclass;
  r record;
  want text;
BEGIN
  FOR r IN SELECT i.indexrelid::regclass AS name, pg_get_indexdef(i.indexrelid) AS def
      FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid
      WHERE i.indrelid = tbl AND a.attname = 'email' AND a.attnum = ANY (i.indkey) LOOP
    want := regexp_replace(substr(r.def, strpos(r.def, ' USING ')), '\m' || 'email' || '\M', 'email_address', 'g');
    IF NOT EXISTS (SELECT FROM pg_index j WHERE j.indrelid = tbl
        AND substr(pg_get_indexdef(j.indexrelid), strpos(pg_get_indexdef(j.indexrelid), ' USING ')) = want) THEN
      RAISE EXCEPTION 'index % is on %, which this phase drops, and no index covers % the same way: create one first (CREATE INDEX CONCURRENTLY ... ON % %)', r.name, 'email', 'email_address', tbl, want;
    END IF;
  END LOOP;
END
$migsafe$;
-- migsafe:ignore dynamic-sql -- written by migsafe fix: gives email_address the default of email, read from the catalog when it runs
DO $migsafe$
DECLARE
  old_default text;
BEGIN
  SELECT pg_get_expr(d.adbin, d.adrelid) INTO old_default FROM pg_attrdef d
    JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
    WHERE d.adrelid = 'users'::regclass AND a.attname = 'email';
  IF old_default IS NOT NULL THEN
    EXECUTE format('ALTER TABLE %s ALTER COLUMN %I SET DEFAULT %s', 'users'::regclass, 'email_address', old_default);
  END IF;
END
$migsafe$;
DROP TRIGGER users_email_to_email_address_sync ON users;
DROP FUNCTION users_email_to_email_address_sync();
ALTER TABLE users DROP COLUMN email;
-- migsafe:down
-- Re-adds email (its data copied back from email_address) and the trigger; its indexes are not re-created.
-- migsafe:ignore dynamic-sql -- written by migsafe fix: re-adds email with the type of email_address, read from the catalog when it runs
DO $migsafe$
BEGIN
  EXECUTE format('ALTER TABLE %s ADD COLUMN %I %s', 'users'::regclass, 'email',
    (SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'users'::regclass AND attname = 'email_address'));
END
$migsafe$;
UPDATE users SET email = email_address;
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
CREATE TRIGGER users_email_to_email_address_sync BEFORE INSERT OR UPDATE ON users FOR EACH ROW EXECUTE FUNCTION users_email_to_email_address_sync();

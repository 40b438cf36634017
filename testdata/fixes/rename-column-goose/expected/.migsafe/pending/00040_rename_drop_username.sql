-- migsafe:pending contract phase of ../../00040_rename.sql, written by `migsafe fix`.
-- No runner reads this directory. Run it only after: every deployed version of the application reads and writes app.accounts.user_name instead of userName.
-- Then make it the next migration: `migsafe fix --promote --write` this file (or the editor's code action).
-- migsafe:after ../../00040_rename.sql
-- migsafe:runner goose
-- migsafe:name drop_userName
-- migsafe:wait every deployed version of the application reads and writes app.accounts.user_name instead of userName
-- migsafe:brief
-- migsafe:up
DO $migsafe$
DECLARE
  tbl constant regclass := 'app.accounts'::regclass;
  r record;
  want text;
BEGIN
  FOR r IN SELECT i.indexrelid::regclass AS name, pg_get_indexdef(i.indexrelid) AS def
      FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid
      WHERE i.indrelid = tbl AND a.attname = 'userName' AND a.attnum = ANY (i.indkey) LOOP
    want := regexp_replace(substr(r.def, strpos(r.def, ' USING ')), '\m' || 'userName' || '\M', 'user_name', 'g');
    IF NOT EXISTS (SELECT FROM pg_index j WHERE j.indrelid = tbl
        AND substr(pg_get_indexdef(j.indexrelid), strpos(pg_get_indexdef(j.indexrelid), ' USING ')) = want) THEN
      RAISE EXCEPTION 'index % is on %, which this phase drops, and no index covers % the same way: create one first (CREATE INDEX CONCURRENTLY ... ON % %)', r.name, 'userName', 'user_name', tbl, want;
    END IF;
  END LOOP;
END
$migsafe$;
-- migsafe:ignore dynamic-sql -- written by migsafe fix: gives user_name the default of userName, read from the catalog when it runs
DO $migsafe$
DECLARE
  old_default text;
BEGIN
  SELECT pg_get_expr(d.adbin, d.adrelid) INTO old_default FROM pg_attrdef d
    JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
    WHERE d.adrelid = 'app.accounts'::regclass AND a.attname = 'userName';
  IF old_default IS NOT NULL THEN
    EXECUTE format('ALTER TABLE %s ALTER COLUMN %I SET DEFAULT %s', 'app.accounts'::regclass, 'user_name', old_default);
  END IF;
END
$migsafe$;
DROP TRIGGER "accounts_userName_to_user_name_sync" ON app.accounts;
DROP FUNCTION app."accounts_userName_to_user_name_sync"();
ALTER TABLE app.accounts DROP COLUMN "userName";
-- migsafe:down
-- Re-adds "userName" (its data copied back from user_name) and the trigger; its indexes are not re-created.
-- migsafe:ignore dynamic-sql -- written by migsafe fix: re-adds userName with the type of user_name, read from the catalog when it runs
DO $migsafe$
BEGIN
  EXECUTE format('ALTER TABLE %s ADD COLUMN %I %s', 'app.accounts'::regclass, 'userName',
    (SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'app.accounts'::regclass AND attname = 'user_name'));
END
$migsafe$;
UPDATE app.accounts SET "userName" = user_name;
CREATE FUNCTION app."accounts_userName_to_user_name_sync"() RETURNS trigger LANGUAGE plpgsql AS $migsafe$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.user_name IS NULL THEN NEW.user_name := NEW."userName"; ELSE NEW."userName" := NEW.user_name; END IF;
  ELSIF NEW."userName" IS DISTINCT FROM OLD."userName" THEN
    NEW.user_name := NEW."userName";
  ELSIF NEW.user_name IS DISTINCT FROM OLD.user_name THEN
    NEW."userName" := NEW.user_name;
  ELSIF NEW.user_name IS NULL THEN
    NEW.user_name := NEW."userName";
  END IF;
  RETURN NEW;
END
$migsafe$;
CREATE TRIGGER "accounts_userName_to_user_name_sync" BEFORE INSERT OR UPDATE ON app.accounts FOR EACH ROW EXECUTE FUNCTION app."accounts_userName_to_user_name_sync"();

-- migsafe:pending contract phase of ../../00012_widen_age.sql, written by `migsafe fix`.
-- No runner reads this directory. Run it only after: every deployed version of the application handles users.age as bigint.
-- Then make it the next migration: `migsafe fix --promote --write` this file (or the editor's code action).
-- migsafe:after ../../00012_widen_age.sql
-- migsafe:runner goose
-- migsafe:name drop_age
-- migsafe:wait every deployed version of the application handles users.age as bigint
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
      WHERE i.indrelid = tbl AND a.attname = 'age' AND a.attnum = ANY (i.indkey) LOOP
    want := regexp_replace(substr(r.def, strpos(r.def, ' USING ')), '\m' || 'age' || '\M', 'age_new', 'g');
    IF NOT EXISTS (SELECT FROM pg_index j WHERE j.indrelid = tbl
        AND substr(pg_get_indexdef(j.indexrelid), strpos(pg_get_indexdef(j.indexrelid), ' USING ')) = want) THEN
      RAISE EXCEPTION 'index % is on %, which this phase drops, and no index covers % the same way: create one first (CREATE INDEX CONCURRENTLY ... ON % %)', r.name, 'age', 'age_new', tbl, want;
    END IF;
  END LOOP;
END
$migsafe$;
-- migsafe:ignore dynamic-sql -- written by migsafe fix: gives age_new the default of age, read from the catalog when it runs
DO $migsafe$
DECLARE
  old_default text;
BEGIN
  SELECT pg_get_expr(d.adbin, d.adrelid) INTO old_default FROM pg_attrdef d
    JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
    WHERE d.adrelid = 'users'::regclass AND a.attname = 'age';
  IF old_default IS NOT NULL THEN
    EXECUTE format('ALTER TABLE %s ALTER COLUMN %I SET DEFAULT %s', 'users'::regclass, 'age_new', '(' || old_default || ')::' || 'bigint');
  END IF;
END
$migsafe$;
DROP TRIGGER users_age_to_age_new_sync ON users;
DROP FUNCTION users_age_to_age_new_sync();
ALTER TABLE users DROP COLUMN age;
ALTER TABLE users RENAME COLUMN age_new TO age;
-- migsafe:down
ALTER TABLE users RENAME COLUMN age TO age_new;
ALTER TABLE users ADD COLUMN age int;
UPDATE users SET age = (age_new)::int;
CREATE FUNCTION users_age_to_age_new_sync() RETURNS trigger LANGUAGE plpgsql AS $migsafe$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.age_new IS NULL THEN NEW.age_new := (NEW.age)::bigint; ELSE NEW.age := (NEW.age_new)::int; END IF;
  ELSIF NEW.age IS DISTINCT FROM OLD.age THEN
    NEW.age_new := (NEW.age)::bigint;
  ELSIF NEW.age_new IS DISTINCT FROM OLD.age_new THEN
    NEW.age := (NEW.age_new)::int;
  ELSIF NEW.age_new IS NULL THEN
    NEW.age_new := (NEW.age)::bigint;
  END IF;
  RETURN NEW;
END
$migsafe$;
CREATE TRIGGER users_age_to_age_new_sync BEFORE INSERT OR UPDATE ON users FOR EACH ROW EXECUTE FUNCTION users_age_to_age_new_sync();

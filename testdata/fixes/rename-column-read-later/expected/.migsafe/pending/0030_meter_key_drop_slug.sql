-- migsafe:pending contract phase of ../../0030_meter_key.up.sql, written by `migsafe fix`.
-- No runner reads this directory. Run it only after: every deployed version of the application reads and writes meters.key instead of slug.
-- Then make it the next migration: `migsafe fix --promote --write` this file (or the editor's code action).
-- migsafe:after ../../0030_meter_key.up.sql
-- migsafe:runner golang-migrate
-- migsafe:name drop_slug
-- migsafe:wait every deployed version of the application reads and writes meters.key instead of slug
-- migsafe:brief
-- migsafe:up
DO $migsafe$
DECLARE
  tbl constant regclass := 'meters'::regclass;
  r record;
  want text;
BEGIN
  FOR r IN SELECT i.indexrelid::regclass AS name, pg_get_indexdef(i.indexrelid) AS def
      FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid
      WHERE i.indrelid = tbl AND a.attname = 'slug' AND a.attnum = ANY (i.indkey) LOOP
    want := regexp_replace(substr(r.def, strpos(r.def, ' USING ')), '\m' || 'slug' || '\M', 'key', 'g');
    IF NOT EXISTS (SELECT FROM pg_index j WHERE j.indrelid = tbl
        AND substr(pg_get_indexdef(j.indexrelid), strpos(pg_get_indexdef(j.indexrelid), ' USING ')) = want) THEN
      RAISE EXCEPTION 'index % is on %, which this phase drops, and no index covers % the same way: create one first (CREATE INDEX CONCURRENTLY ... ON % %)', r.name, 'slug', 'key', tbl, want;
    END IF;
  END LOOP;
END
$migsafe$;
-- migsafe:ignore dynamic-sql -- written by migsafe fix: gives key the default of slug, read from the catalog when it runs
DO $migsafe$
DECLARE
  old_default text;
BEGIN
  SELECT pg_get_expr(d.adbin, d.adrelid) INTO old_default FROM pg_attrdef d
    JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
    WHERE d.adrelid = 'meters'::regclass AND a.attname = 'slug';
  IF old_default IS NOT NULL THEN
    EXECUTE format('ALTER TABLE %s ALTER COLUMN %I SET DEFAULT %s', 'meters'::regclass, 'key', old_default);
  END IF;
END
$migsafe$;
DROP TRIGGER meters_slug_to_key_sync ON meters;
DROP FUNCTION meters_slug_to_key_sync();
ALTER TABLE meters DROP COLUMN slug;
-- migsafe:down
-- Re-adds slug (its data copied back from key) and the trigger; its indexes are not re-created.
-- migsafe:ignore dynamic-sql -- written by migsafe fix: re-adds slug with the type of key, read from the catalog when it runs
DO $migsafe$
BEGIN
  EXECUTE format('ALTER TABLE %s ADD COLUMN %I %s', 'meters'::regclass, 'slug',
    (SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'meters'::regclass AND attname = 'key'));
END
$migsafe$;
UPDATE meters SET slug = key;
CREATE FUNCTION meters_slug_to_key_sync() RETURNS trigger LANGUAGE plpgsql AS $migsafe$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.key IS NULL THEN NEW.key := NEW.slug; ELSE NEW.slug := NEW.key; END IF;
  ELSIF NEW.slug IS DISTINCT FROM OLD.slug THEN
    NEW.key := NEW.slug;
  ELSIF NEW.key IS DISTINCT FROM OLD.key THEN
    NEW.slug := NEW.key;
  ELSIF NEW.key IS NULL THEN
    NEW.key := NEW.slug;
  END IF;
  RETURN NEW;
END
$migsafe$;
CREATE TRIGGER meters_slug_to_key_sync BEFORE INSERT OR UPDATE ON meters FOR EACH ROW EXECUTE FUNCTION meters_slug_to_key_sync();

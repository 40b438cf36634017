-- Expand/contract instead of RENAME COLUMN slug TO key: code still running during the deploy keeps
-- working. key is added and kept in step with slug by a trigger; the phases that follow fill it,
-- copy slug's indexes and NOT NULL; slug is dropped once no deployed code uses it (.migsafe/pending).
-- migsafe:ignore dynamic-sql -- written by migsafe fix: adds key with the type of slug, read from the catalog when it runs
DO $migsafe$
DECLARE
  tbl constant regclass := 'meters'::regclass;
  col_type text;
  col_not_null boolean;
BEGIN
  SELECT format_type(atttypid, atttypmod), attnotnull INTO col_type, col_not_null
    FROM pg_attribute WHERE attrelid = tbl AND attname = 'slug' AND NOT attisdropped;
  IF col_type IS NULL THEN
    RAISE EXCEPTION 'column % of % does not exist', 'slug', tbl;
  END IF;
  EXECUTE format('ALTER TABLE %s ADD COLUMN %I %s', tbl, 'key', col_type);
  IF col_not_null THEN
    EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I CHECK (%I IS NOT NULL) NOT VALID', tbl, 'meters_key_not_null', 'key');
  END IF;
END
$migsafe$;
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
-- Fill key now: the statements after it read it, in this migration's transaction, which a batch job cannot run in.
-- migsafe:ignore unbatched-backfill -- written by migsafe fix: the migration's own statements after it read key in the same transaction
UPDATE meters SET key = slug WHERE key IS DISTINCT FROM slug; -- fix: renaming-column
ALTER TABLE meters ADD COLUMN name text;
-- The new name is read by the rest of this migration: it must be filled by then.
UPDATE meters SET name = key;

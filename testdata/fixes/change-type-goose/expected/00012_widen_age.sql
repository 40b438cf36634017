-- +goose Up
-- Expand/contract instead of ALTER COLUMN age TYPE bigint, which rewrites users under ACCESS EXCLUSIVE:
-- age_new of the new type is added and kept in step by a trigger; the phases that follow fill it and
-- copy age's indexes and NOT NULL; a contract phase swaps the names once the code handles the new type.
-- +goose StatementBegin
-- migsafe:ignore dynamic-sql -- written by migsafe fix: adds age_new with the type of age, read from the catalog when it runs
DO $migsafe$
DECLARE
  tbl constant regclass := 'users'::regclass;
  col_type text;
  col_not_null boolean;
BEGIN
  SELECT format_type(atttypid, atttypmod), attnotnull INTO col_type, col_not_null
    FROM pg_attribute WHERE attrelid = tbl AND attname = 'age' AND NOT attisdropped;
  IF col_type IS NULL THEN
    RAISE EXCEPTION 'column % of % does not exist', 'age', tbl;
  END IF;
  EXECUTE format('ALTER TABLE %s ADD COLUMN %I %s', tbl, 'age_new', 'bigint');
  IF col_not_null THEN
    EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I CHECK (%I IS NOT NULL) NOT VALID', tbl, 'users_age_new_not_null', 'age_new');
  END IF;
END
$migsafe$;
-- +goose StatementEnd
-- +goose StatementBegin
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
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER users_age_to_age_new_sync BEFORE INSERT OR UPDATE ON users FOR EACH ROW EXECUTE FUNCTION users_age_to_age_new_sync();
-- +goose StatementEnd
-- fix: changing-column-type

-- +goose Down
DROP TRIGGER IF EXISTS users_age_to_age_new_sync ON users;
DROP FUNCTION IF EXISTS users_age_to_age_new_sync();
ALTER TABLE users DROP COLUMN IF EXISTS age_new;

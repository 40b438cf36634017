-- +goose Up
-- Expand/contract instead of RENAME COLUMN "userName" TO user_name: code still running during the deploy keeps
-- working. user_name is added and kept in step with "userName" by a trigger; the phases that follow fill it,
-- copy "userName"'s indexes and NOT NULL; "userName" is dropped once no deployed code uses it (.migsafe/pending).
-- +goose StatementBegin
-- migsafe:ignore dynamic-sql -- written by migsafe fix: adds user_name with the type of userName, read from the catalog when it runs
DO $migsafe$
DECLARE
  tbl constant regclass := 'app.accounts'::regclass;
  col_type text;
  col_not_null boolean;
BEGIN
  SELECT format_type(atttypid, atttypmod), attnotnull INTO col_type, col_not_null
    FROM pg_attribute WHERE attrelid = tbl AND attname = 'userName' AND NOT attisdropped;
  IF col_type IS NULL THEN
    RAISE EXCEPTION 'column % of % does not exist', 'userName', tbl;
  END IF;
  EXECUTE format('ALTER TABLE %s ADD COLUMN %I %s', tbl, 'user_name', col_type);
  IF col_not_null THEN
    EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I CHECK (%I IS NOT NULL) NOT VALID', tbl, 'accounts_user_name_not_null', 'user_name');
  END IF;
END
$migsafe$;
-- +goose StatementEnd
-- +goose StatementBegin
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
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER "accounts_userName_to_user_name_sync" BEFORE INSERT OR UPDATE ON app.accounts FOR EACH ROW EXECUTE FUNCTION app."accounts_userName_to_user_name_sync"();
-- +goose StatementEnd
-- fix: renaming-column

-- +goose Down
DROP TRIGGER IF EXISTS "accounts_userName_to_user_name_sync" ON app.accounts;
DROP FUNCTION IF EXISTS app."accounts_userName_to_user_name_sync"();
ALTER TABLE app.accounts DROP COLUMN IF EXISTS user_name;

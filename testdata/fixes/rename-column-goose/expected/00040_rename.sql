-- +goose Up
-- Expand/contract instead of RENAME COLUMN "userName" TO user_name: code still running during the deploy keeps
-- working. 1) add user_name with "userName"'s type (copy its NOT NULL, default, indexes and constraints
-- yourself), kept in step by a trigger; 2) backfill (next migration); 3) deploy code that
-- reads and writes user_name; 4) drop "userName" (last migration).
-- +goose StatementBegin
DO $migsafe$
BEGIN
  EXECUTE format('ALTER TABLE %s ADD COLUMN %I %s', 'app.accounts'::regclass, 'user_name',
    (SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'app.accounts'::regclass AND attname = 'userName'));
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
  ELSE
    NEW."userName" := NEW.user_name;
  END IF;
  RETURN NEW;
END
$migsafe$;
-- +goose StatementEnd
CREATE TRIGGER "accounts_userName_to_user_name_sync" BEFORE INSERT OR UPDATE ON app.accounts FOR EACH ROW EXECUTE FUNCTION app."accounts_userName_to_user_name_sync"(); -- fix: renaming-column

-- +goose Down
ALTER TABLE app.accounts RENAME COLUMN user_name TO "userName";

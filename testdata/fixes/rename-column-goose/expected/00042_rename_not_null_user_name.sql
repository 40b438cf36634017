-- +goose Up
SET LOCAL lock_timeout = '5s';
-- The NOT NULL of userName, if it had one: validated (no write is blocked), then SET NOT NULL uses the check instead of scanning.
-- +goose StatementBegin
DO $migsafe$
BEGIN
  IF EXISTS (SELECT FROM pg_constraint WHERE conrelid = 'app.accounts'::regclass AND conname = 'accounts_user_name_not_null') THEN
    ALTER TABLE app.accounts VALIDATE CONSTRAINT accounts_user_name_not_null;
    -- migsafe:ignore setting-not-null -- the CHECK (col IS NOT NULL) validated just above, added NOT VALID in the phase before, lets SET NOT NULL skip its scan
    ALTER TABLE app.accounts ALTER COLUMN user_name SET NOT NULL;
    ALTER TABLE app.accounts DROP CONSTRAINT accounts_user_name_not_null;
  END IF;
END
$migsafe$;
-- +goose StatementEnd

-- +goose Down
SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '15s';
-- +goose StatementBegin
DO $migsafe$
BEGIN
  IF (SELECT attnotnull FROM pg_attribute WHERE attrelid = 'app.accounts'::regclass AND attname = 'user_name') THEN
    ALTER TABLE app.accounts ALTER COLUMN user_name DROP NOT NULL;
    ALTER TABLE app.accounts ADD CONSTRAINT accounts_user_name_not_null CHECK (user_name IS NOT NULL) NOT VALID;
  END IF;
END
$migsafe$;
-- +goose StatementEnd

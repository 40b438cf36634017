-- +goose Up
SET LOCAL lock_timeout = '5s';
-- The NOT NULL of age, if it had one: validated (no write is blocked), then SET NOT NULL uses the check instead of scanning.
-- +goose StatementBegin
DO $migsafe$
BEGIN
  IF EXISTS (SELECT FROM pg_constraint WHERE conrelid = 'users'::regclass AND conname = 'users_age_new_not_null') THEN
    ALTER TABLE users VALIDATE CONSTRAINT users_age_new_not_null;
    -- migsafe:ignore setting-not-null -- the CHECK (col IS NOT NULL) validated just above, added NOT VALID in the phase before, lets SET NOT NULL skip its scan
    ALTER TABLE users ALTER COLUMN age_new SET NOT NULL;
    ALTER TABLE users DROP CONSTRAINT users_age_new_not_null;
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
  IF (SELECT attnotnull FROM pg_attribute WHERE attrelid = 'users'::regclass AND attname = 'age_new') THEN
    ALTER TABLE users ALTER COLUMN age_new DROP NOT NULL;
    ALTER TABLE users ADD CONSTRAINT users_age_new_not_null CHECK (age_new IS NOT NULL) NOT VALID;
  END IF;
END
$migsafe$;
-- +goose StatementEnd

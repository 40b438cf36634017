ALTER TABLE users
    ADD COLUMN phone text; -- fix: adding-required-column
-- TODO(migsafe): backfill phone in batches before the constraint below is validated: existing rows must not be NULL.
ALTER TABLE users ADD CONSTRAINT users_phone_not_null CHECK (phone IS NOT NULL) NOT VALID;
ALTER TABLE users VALIDATE CONSTRAINT users_phone_not_null;
ALTER TABLE users ALTER COLUMN phone SET NOT NULL;
ALTER TABLE users DROP CONSTRAINT users_phone_not_null;

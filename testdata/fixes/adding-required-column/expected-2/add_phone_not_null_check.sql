SET lock_timeout = '5s';
-- TODO(migsafe): backfill phone in batches before the constraint below is validated: existing rows must not be NULL.
ALTER TABLE users ADD CONSTRAINT users_phone_not_null CHECK (phone IS NOT NULL) NOT VALID;

SET LOCAL lock_timeout = '5s';
ALTER TABLE users VALIDATE CONSTRAINT users_phone_not_null;
-- migsafe:ignore setting-not-null -- the CHECK (col IS NOT NULL) validated just above, added NOT VALID in the phase before, lets SET NOT NULL skip its scan
ALTER TABLE users ALTER COLUMN phone SET NOT NULL;
ALTER TABLE users DROP CONSTRAINT users_phone_not_null;

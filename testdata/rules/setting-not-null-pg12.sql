-- config: pg_version = 12
-- From PostgreSQL 12 the validated CHECK spares the scan.
ALTER TABLE users ADD CONSTRAINT users_email_nn CHECK (email IS NOT NULL) NOT VALID;
ALTER TABLE users VALIDATE CONSTRAINT users_email_nn;
ALTER TABLE users ALTER COLUMN email SET NOT NULL; -- want: none
ALTER TABLE users ALTER COLUMN phone SET NOT NULL; -- want: setting-not-null

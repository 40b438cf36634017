-- config: pg_version = 11
-- Before PostgreSQL 12 the validated CHECK does not spare SET NOT NULL its scan.
ALTER TABLE users ADD CONSTRAINT users_email_nn CHECK (email IS NOT NULL) NOT VALID;
ALTER TABLE users VALIDATE CONSTRAINT users_email_nn;
ALTER TABLE users ALTER COLUMN email SET NOT NULL; -- want: setting-not-null

-- config: pg_version = 11
ALTER TABLE users ALTER COLUMN email SET NOT NULL; -- fix: setting-not-null

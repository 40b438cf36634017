-- The CHECK (email IS NOT NULL) validated by 0002 spares SET NOT NULL its scan (PostgreSQL 12+).
ALTER TABLE users ALTER COLUMN email SET NOT NULL; -- want: none
-- Nothing proves phone has no NULLs.
ALTER TABLE users ALTER COLUMN phone SET NOT NULL; -- want: setting-not-null

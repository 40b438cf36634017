ALTER TABLE users DROP COLUMN legacy_flags; -- fix: dropping-column

ALTER TABLE meters DROP COLUMN name;
DROP TRIGGER IF EXISTS meters_slug_to_key_sync ON meters;
DROP FUNCTION IF EXISTS meters_slug_to_key_sync();
ALTER TABLE meters DROP COLUMN IF EXISTS key;

ALTER TABLE meters RENAME COLUMN slug TO key; -- fix: renaming-column
ALTER TABLE meters ADD COLUMN name text;
-- The new name is read by the rest of this migration: it must be filled by then.
UPDATE meters SET name = key;

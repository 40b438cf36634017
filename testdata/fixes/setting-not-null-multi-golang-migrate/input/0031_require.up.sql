ALTER TABLE charges ALTER COLUMN tax_code SET NOT NULL, ADD COLUMN note text, ALTER COLUMN currency SET NOT NULL; -- fix: setting-not-null

ALTER TABLE charges ALTER COLUMN currency DROP NOT NULL, DROP COLUMN note, ALTER COLUMN tax_code DROP NOT NULL;
ALTER TABLE charges DROP CONSTRAINT IF EXISTS charges_tax_code_not_null;
ALTER TABLE charges DROP CONSTRAINT IF EXISTS charges_currency_not_null;

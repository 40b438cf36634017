ALTER TABLE charges ADD CONSTRAINT charges_tax_code_not_null CHECK (tax_code IS NOT NULL) NOT VALID;
ALTER TABLE charges VALIDATE CONSTRAINT charges_tax_code_not_null;
ALTER TABLE charges ADD CONSTRAINT charges_currency_not_null CHECK (currency IS NOT NULL) NOT VALID;
ALTER TABLE charges VALIDATE CONSTRAINT charges_currency_not_null;
ALTER TABLE charges ALTER COLUMN tax_code SET NOT NULL, ADD COLUMN note text, ALTER COLUMN currency SET NOT NULL; -- fix: setting-not-null
ALTER TABLE charges DROP CONSTRAINT charges_tax_code_not_null;
ALTER TABLE charges DROP CONSTRAINT charges_currency_not_null;

ALTER TABLE charges ADD CONSTRAINT charges_tax_code_not_null CHECK (tax_code IS NOT NULL) NOT VALID;
ALTER TABLE charges ADD CONSTRAINT charges_currency_not_null CHECK (currency IS NOT NULL) NOT VALID;
ALTER TABLE charges ADD COLUMN note text; -- fix: setting-not-null

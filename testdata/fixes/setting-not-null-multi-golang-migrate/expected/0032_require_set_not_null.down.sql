SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '15s';
ALTER TABLE charges ALTER COLUMN tax_code DROP NOT NULL;
ALTER TABLE charges ADD CONSTRAINT charges_tax_code_not_null CHECK (tax_code IS NOT NULL) NOT VALID;
ALTER TABLE charges ALTER COLUMN currency DROP NOT NULL;
ALTER TABLE charges ADD CONSTRAINT charges_currency_not_null CHECK (currency IS NOT NULL) NOT VALID;

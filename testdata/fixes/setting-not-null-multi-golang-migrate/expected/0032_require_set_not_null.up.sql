SET LOCAL lock_timeout = '5s';
ALTER TABLE charges VALIDATE CONSTRAINT charges_tax_code_not_null;
ALTER TABLE charges ALTER COLUMN tax_code SET NOT NULL;
ALTER TABLE charges DROP CONSTRAINT charges_tax_code_not_null;
ALTER TABLE charges VALIDATE CONSTRAINT charges_currency_not_null;
ALTER TABLE charges ALTER COLUMN currency SET NOT NULL;
ALTER TABLE charges DROP CONSTRAINT charges_currency_not_null;

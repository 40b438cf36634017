ALTER TABLE orders ADD CONSTRAINT orders_amount_check CHECK (amount > 0) NOT VALID; -- fix: constraint-missing-not-valid
ALTER TABLE orders VALIDATE CONSTRAINT orders_amount_check;

ALTER TABLE orders ADD CHECK (amount > 0); -- fix: constraint-missing-not-valid

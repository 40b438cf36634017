-- A CHECK on a column ADD COLUMN adds cannot be NOT VALID: it moves into a table
-- constraint added NOT VALID, and validated after.
ALTER TABLE routes ADD COLUMN timeout_s int NOT NULL DEFAULT 5 CHECK (timeout_s > 0), ADD COLUMN note text; -- fix: constraint-missing-not-valid

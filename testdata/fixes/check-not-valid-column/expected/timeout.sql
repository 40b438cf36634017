-- A CHECK on a column ADD COLUMN adds cannot be NOT VALID: it moves into a table
-- constraint added NOT VALID, and validated after.
ALTER TABLE routes ADD COLUMN timeout_s int NOT NULL DEFAULT 5, ADD COLUMN note text; -- fix: constraint-missing-not-valid
ALTER TABLE routes ADD CONSTRAINT routes_timeout_s_check CHECK (timeout_s > 0) NOT VALID;
ALTER TABLE routes VALIDATE CONSTRAINT routes_timeout_s_check;

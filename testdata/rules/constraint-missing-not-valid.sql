-- config: [tables]
-- config: flags = 40
ALTER TABLE orders ADD CONSTRAINT orders_total_pos CHECK (total >= 0); -- want: constraint-missing-not-valid
ALTER TABLE orders ADD CONSTRAINT orders_qty_pos CHECK (qty > 0) NOT VALID; -- want: none
ALTER TABLE orders VALIDATE CONSTRAINT orders_qty_pos; -- want: none
-- Known small table.
ALTER TABLE flags ADD CONSTRAINT flags_name_len CHECK (length(name) < 100); -- want: none
-- Table created earlier in the file.
CREATE TABLE pets (id bigint PRIMARY KEY, age int);
ALTER TABLE pets ADD CONSTRAINT pets_age_pos CHECK (age >= 0); -- want: none
-- A CHECK on a column ADD COLUMN adds scans every existing row under ACCESS EXCLUSIVE
-- (checked on PostgreSQL 15), though the new column holds only its default.
ALTER TABLE routes ADD COLUMN timeout_s int NOT NULL DEFAULT 5 CHECK (timeout_s > 0); -- want: constraint-missing-not-valid
ALTER TABLE pets ADD COLUMN weight int CHECK (weight > 0); -- want: none

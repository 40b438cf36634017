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

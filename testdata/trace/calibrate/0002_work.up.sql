-- One statement per kind of work engine/estimate prices, on a table of a few narrow
-- columns with two indexes. Calibrate with:
--   migsafe trace --seed-rows 1000000 testdata/trace/calibrate/0002_work.up.sql
CREATE INDEX items_created_idx ON items (created_at);
ALTER TABLE items ADD CONSTRAINT items_amount_pos CHECK (amount >= 0);
ALTER TABLE items ADD CONSTRAINT items_account_fk FOREIGN KEY (account_id) REFERENCES accounts (id);
ALTER TABLE items ALTER COLUMN amount TYPE bigint;
UPDATE items SET note = 'backfilled';
CREATE TABLE items_copy (LIKE items INCLUDING ALL);
INSERT INTO items_copy SELECT * FROM items;

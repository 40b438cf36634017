-- config: [tables]
-- config: flags = 40
ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id); -- want: adding-foreign-key-constraint
-- ADD COLUMN ... REFERENCES with a default validates the same way (DEFAULT NULL too).
ALTER TABLE orders ADD COLUMN coupon_id bigint DEFAULT NULL REFERENCES coupons (id); -- want: adding-foreign-key-constraint
-- Without a default the new column is NULL in every row: PostgreSQL (10 and 15) reads
-- no row; the foreign key is valid at once.
ALTER TABLE orders ADD COLUMN voucher_id bigint REFERENCES vouchers (id); -- want: none
-- The safe pattern.
ALTER TABLE orders ADD CONSTRAINT orders_shop_fk FOREIGN KEY (shop_id) REFERENCES shops (id) NOT VALID; -- want: none
-- A known small referencing table.
ALTER TABLE flags ADD CONSTRAINT flags_owner_fk FOREIGN KEY (owner_id) REFERENCES users (id); -- want: none
-- A table created in the file: nothing to scan (the referenced table's brief lock is
-- left to the lock-contention rules; see the doc).
CREATE TABLE invoices (id bigint PRIMARY KEY, user_id bigint REFERENCES users (id)); -- want: none
CREATE INDEX invoices_user_idx ON invoices (user_id);
CREATE TABLE refunds (id bigint PRIMARY KEY, invoice_id bigint);
ALTER TABLE refunds ADD CONSTRAINT refunds_invoice_fk FOREIGN KEY (invoice_id) REFERENCES invoices (id); -- want: foreign-key-missing-index

-- The index on orders (user_id) comes from 0001.
ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID; -- want: none
-- No migration indexes orders (product_id).
ALTER TABLE orders ADD CONSTRAINT orders_product_fk FOREIGN KEY (product_id) REFERENCES products (id) NOT VALID; -- want: foreign-key-missing-index

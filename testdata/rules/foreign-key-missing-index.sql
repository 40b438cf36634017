CREATE TABLE orders (
  id bigint PRIMARY KEY,
  user_id bigint REFERENCES users (id), -- want: foreign-key-missing-index
  shop_id bigint REFERENCES shops (id), -- want: none
  coupon_id bigint REFERENCES coupons (id) -- want: none
);
-- An index created later in the file counts.
CREATE INDEX orders_shop_idx ON orders (shop_id, id);
CREATE INDEX CONCURRENTLY orders_coupon_idx ON orders (coupon_id);

-- A primary key that leads with the foreign key's columns counts.
CREATE TABLE order_items (
  order_id bigint REFERENCES orders (id), -- want: none
  line int,
  PRIMARY KEY (order_id, line)
);
-- A composite foreign key without an index on its columns.
CREATE TABLE shipments (id bigint PRIMARY KEY, order_id bigint, line int,
  FOREIGN KEY (order_id, line) REFERENCES order_items (order_id, line)); -- want: foreign-key-missing-index

-- Existing tables are not judged: their indexes are not in this file.
ALTER TABLE payments ADD CONSTRAINT payments_order_fk FOREIGN KEY (order_id) REFERENCES orders (id) NOT VALID; -- want: none

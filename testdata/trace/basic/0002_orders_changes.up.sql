-- An index without CONCURRENTLY, a column with a volatile default and a validated
-- foreign key: `migsafe trace` shows SHARE on orders, a rewrite of orders, and
-- SHARE ROW EXCLUSIVE on both orders and users.
CREATE INDEX orders_created_at_idx ON orders (created_at);
ALTER TABLE orders ADD COLUMN jitter double precision DEFAULT random();
ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id);

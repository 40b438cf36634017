-- Flyway sees CREATE INDEX CONCURRENTLY and runs this migration without a transaction.
CREATE INDEX CONCURRENTLY orders_user_idx ON orders (user_id); -- want: none
CREATE INDEX CONCURRENTLY orders_item_idx ON orders (item_id); -- want: none

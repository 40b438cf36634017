BEGIN;
CREATE INDEX CONCURRENTLY orders_user_idx ON orders (user_id); -- want: concurrently-in-transaction
COMMIT;
CREATE INDEX CONCURRENTLY orders_item_idx ON orders (item_id); -- want: none

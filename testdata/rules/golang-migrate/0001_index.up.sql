-- golang-migrate sends a multi-statement file as one query: an implicit transaction.
CREATE TABLE things (id bigint PRIMARY KEY);
CREATE INDEX CONCURRENTLY orders_user_idx ON orders (user_id); -- want: concurrently-in-transaction

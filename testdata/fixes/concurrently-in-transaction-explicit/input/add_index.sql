BEGIN;
CREATE TABLE audit (id bigint PRIMARY KEY);
  CREATE INDEX CONCURRENTLY orders_user_idx ON orders (user_id);  -- fix: concurrently-in-transaction
COMMIT;

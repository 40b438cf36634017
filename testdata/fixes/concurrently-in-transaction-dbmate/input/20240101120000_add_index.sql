-- migrate:up
CREATE TABLE audit (id bigint PRIMARY KEY);
CREATE INDEX CONCURRENTLY orders_user_idx ON orders (user_id); -- fix: concurrently-in-transaction

-- migrate:down
DROP INDEX orders_user_idx;
DROP TABLE audit;
